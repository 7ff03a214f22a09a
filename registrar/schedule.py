"""The in-process runner of scheduled jobs, for installations without a Celery broker.

It reads the same ``CELERY_BEAT_SCHEDULE`` as Celery beat and runs each task
in this process when its schedule says it is due.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


def due_jobs(last_runs: dict[str, datetime.datetime], now: datetime.datetime) -> list[str]:
    """Names of the schedule entries due at ``now``; an entry first seen counts from ``now``."""
    due = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        last = last_runs.setdefault(name, now)
        if maybe_schedule(entry["schedule"]).is_due(last).is_due:
            due.append(name)
    return due


def run_forever(poll_seconds: float = 30, *, sleep: Callable[[float], None] = time.sleep) -> None:
    last_runs: dict[str, datetime.datetime] = {}
    while True:
        now = timezone.now()
        for name in due_jobs(last_runs, now):
            entry = settings.CELERY_BEAT_SCHEDULE[name]
            logger.info("running scheduled job %s", name)
            current_app.tasks[entry["task"]].apply(kwargs=entry.get("kwargs", {}))
            last_runs[name] = now
        sleep(poll_seconds)
