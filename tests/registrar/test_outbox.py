"""Follow-up tasks wait in a database outbox when the broker is down (issue 8, item 9).

The broker is outside the request: these tests point Celery at a port where
nothing listens instead of stopping the shared Redis.
"""

import datetime
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.utils import timezone

from deadlines.models import DeadlineNotice
from deadlines.scan import deadline_scan
from registrar.celery import app
from registrar.models import OutboxMessage, User
from registrar.outbox import outbox_drain, outbox_enqueue
from registrar.schedule import due_jobs


@pytest.mark.rule("SEC-1")
@pytest.mark.django_db(transaction=True)
def test_an_approval_through_the_api_answers_success_while_the_broker_is_down(
    client_for, registrar, submitted_list, broker_down
):
    """The approval committed, so it answers 200; its notice waits in the outbox, nothing is mailed yet."""
    url = f"/api/enrollment/batches/{submitted_list.pk}/approve/"
    response = client_for(registrar).post(url, {"document_number": "教学〔2026〕1号"})
    assert response.status_code == 200
    waiting = OutboxMessage.objects.get(sent_at__isnull=True)
    assert (waiting.task, waiting.kwargs, waiting.attempts) == (
        "registrar.tasks.batch_decided",
        {"batch_id": submitted_list.pk},
        1,
    )
    assert mail.outbox == []


@pytest.mark.rule("SEC-1")
@pytest.mark.django_db(transaction=True)
def test_an_approval_on_the_staff_page_answers_success_while_the_broker_is_down(
    client_for, registrar, submitted_list, broker_down
):
    url = f"/admin/enrollment/reviewbatch/{submitted_list.pk}/review/"
    response = client_for(registrar).post(
        url, {"action": "approve", "confirmed": "1", "document_number": "教学〔2026〕1号"}
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_drain_sends_what_waited_once_the_broker_is_back(
    client_for, registrar, submitted_list, broker_down
):
    client_for(registrar).post(f"/api/enrollment/batches/{submitted_list.pk}/approve/")
    assert outbox_drain() == 0  # still down: nothing sent, the row keeps waiting
    app.conf.task_always_eager = True  # the broker is back (tasks run in-process here)
    assert outbox_drain() == 1
    assert OutboxMessage.objects.get().sent_at is not None
    assert [m.to for m in mail.outbox] == [["a-staff@example.edu.cn"]]


@pytest.mark.django_db(transaction=True)
def test_a_deadline_scan_commits_while_the_broker_is_down_and_its_reminders_wait(
    make_rule, subject_in, college_a_staff, broker_down
):
    User.objects.filter(pk=college_a_staff.pk).update(email="a@example.edu.cn")
    make_rule()
    subject_in(datetime.date(2026, 9, 1))  # due 2026-12-01: a reminder on 11-24
    deadline_scan(as_of=datetime.date(2026, 11, 24))
    waiting = OutboxMessage.objects.get(sent_at__isnull=True)
    assert waiting.kwargs == {"notice_ids": [DeadlineNotice.objects.get().pk]}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_is_sent_once_even_when_the_drain_runs_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox_enqueue(task="audit.tasks.verify_audit_chain")
    assert OutboxMessage.objects.get().sent_at is not None
    assert outbox_drain() == 0


def test_the_drain_is_due_every_minute_for_beat_and_run_schedule():
    now = timezone.now()
    assert "drain-outbox" in due_jobs({"drain-outbox": now - datetime.timedelta(seconds=61)}, now)
    assert "drain-outbox" not in due_jobs({"drain-outbox": now}, now)


@pytest.mark.django_db
def test_the_drain_deletes_messages_sent_more_than_a_week_ago_and_keeps_waiting_ones():
    old = OutboxMessage.objects.create(task="audit.tasks.verify_audit_chain", sent_at=timezone.now())
    # Around the services on purpose: a week passes (sent_at is the drain's own clock).
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=8))
    recent = OutboxMessage.objects.create(task="audit.tasks.verify_audit_chain", sent_at=timezone.now())
    outbox_drain()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_registrar_sees_waiting_tasks_and_college_staff_do_not(client_for, registrar, college_a_staff):
    OutboxMessage.objects.create(task="registrar.tasks.batch_decided", kwargs={"batch_id": 1})
    assert (
        "batch_decided"
        in client_for(registrar).get("/admin/registrar/outboxmessage/?waiting=yes").content.decode()
    )
    assert client_for(college_a_staff).get("/admin/registrar/outboxmessage/").status_code == 403


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
    reason="needs Redis: set CELERY_BROKER_URL=redis://… (CI does)",
)
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_up_the_message_is_published_at_commit():
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            with transaction.atomic():
                message = outbox_enqueue(task="audit.tasks.verify_audit_chain")
            message.refresh_from_db()
            assert message.sent_at is not None and message.attempts == 1
    finally:
        app.conf.task_always_eager = True


@pytest.mark.django_db
def test_a_message_whose_task_cannot_run_does_not_hold_up_the_ones_behind_it():
    broken = OutboxMessage.objects.create(task="enrollment.tasks.renamed_since")
    OutboxMessage.objects.create(task="audit.tasks.verify_audit_chain")
    assert outbox_drain() == 1
    broken.refresh_from_db()
    assert (broken.sent_at, broken.attempts) == (None, 1) and "renamed_since" in broken.last_error
