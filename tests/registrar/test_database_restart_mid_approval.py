"""PostgreSQL drops the connection in the middle of an approval: nothing is half-written, the retry succeeds.

The approval is held on the batch's row lock by a second connection, its
backend is ended with ``pg_terminate_backend`` (what a restart does to it),
and the lock is released (issue 8, item 9; ENR-2).
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from enrollment.models import AdmissionRecord, AdmissionState
from registrar.models import Batch, BatchState, OutboxMessage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.rule("ENR-2")]


def backend_waiting_for_a_lock(cursor, answers, *, timeout: float = 20) -> int:
    """The pid of the backend blocked on a row lock (asked until it is there; no sleeping)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is a snapshot per transaction otherwise
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
        if row:
            return row[0]
    raise AssertionError(f"no request waited for the batch's lock: {answers}")


def test_an_approval_whose_connection_dies_writes_nothing_and_can_be_retried(registrar, submitted_list):
    client = Client(raise_request_exception=False)
    client.force_login(registrar)
    url = f"/api/enrollment/batches/{submitted_list.pk}/approve/"
    answers = []

    def approve() -> None:
        try:
            response = client.post(url, {"document_number": "教学〔2026〕1号"})
            answers.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    holder = connection.copy()
    holder.set_autocommit(False)
    request = threading.Thread(target=approve)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT 1 FROM registrar_batch WHERE id = %s FOR UPDATE", [submitted_list.pk])
            request.start()
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_waiting_for_a_lock(cursor, answers)])
    finally:
        holder.rollback()
        holder.close()
        request.join(timeout=30)
    # 503 with the reason in Chinese (it was a bare 500): the approval can simply be tried again.
    [(status, body)] = answers
    assert status == 503 and "数据库暂时不可用" in body
    assert Batch.objects.get(pk=submitted_list.pk).state == BatchState.SUBMITTED
    assert not AdmissionRecord.objects.filter(state=AdmissionState.REGISTERED).exists()
    assert not OutboxMessage.objects.exists()
    assert client.post(url, {"document_number": "教学〔2026〕1号"}).status_code == 200
