"""Two scans at once on PostgreSQL end as one would (the advisory lock and ON CONFLICT)."""

import datetime
import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from deadlines.models import DeadlineReminder, DeadlineViolation
from deadlines.scan import deadline_scan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = datetime.date


def test_two_concurrent_scans_leave_the_same_violations_as_one(make_rule, subject_in):
    make_rule()
    for _ in range(50):
        subject_in(datetime.date(2026, 9, 7))
    subject_in(datetime.date(2026, 9, 10))
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            deadline_scan(as_of=D(2026, 12, 8))
        except BaseException as exc:  # a thread must hand its failure to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert DeadlineViolation.objects.filter(state="open").count() == 50
    assert AuditEvent.objects.filter(action="deadline.violation.open").count() == 50
    assert DeadlineReminder.objects.count() == 1
