"""With a broker configured, tasks go through Redis to a real worker."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from audit.tasks import verify_audit_chain
from registrar.celery import app

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
        reason="needs Redis: set CELERY_BROKER_URL=redis://… (CI does)",
    ),
]


def test_a_task_runs_on_a_worker_through_redis():
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = verify_audit_chain.delay()
            assert result.get(timeout=30) == {"checked": 0, "broken_event_id": None}
    finally:
        app.conf.task_always_eager = True
