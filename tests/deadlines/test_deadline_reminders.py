"""Reminders N working days before a due date, to the responsible college's staff, never twice."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings

from deadlines.models import DeadlineNotice, DeadlineReminder
from deadlines.scan import deadline_scan
from registrar.models import User
from tests.deadlines.builders import mark_done

D = datetime.date
START = D(2026, 9, 1)  # due 2026-12-01 (Tuesday) under the 3-month rule


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """Scan, then run what the scan queued after commit (the mail)."""

    def do(as_of: datetime.date) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            deadline_scan(as_of=as_of)

    return do


@pytest.fixture
def staff_with_mail(college_a_staff, college_b_staff):
    User.objects.filter(pk=college_a_staff.pk).update(email="a@example.edu.cn")
    User.objects.filter(pk=college_b_staff.pk).update(email="b@example.edu.cn")


def test_no_reminder_more_than_five_working_days_before_the_due_date(make_rule, subject_in):
    make_rule()
    subject_in(START)
    deadline_scan(as_of=D(2026, 11, 23))
    assert not DeadlineReminder.objects.exists()


def test_a_reminder_five_working_days_before_the_due_date(make_rule, subject_in, staff_with_mail, scan):
    make_rule()
    subject_in(START)
    scan(D(2026, 11, 24))
    notice = DeadlineNotice.objects.get()
    assert (notice.subject_count, notice.first_due_date) == (1, D(2026, 12, 1))
    assert [m.to for m in mail.outbox] == [["a@example.edu.cn"]]


def test_the_same_reminder_is_never_made_or_mailed_twice(make_rule, subject_in, staff_with_mail, scan):
    make_rule()
    subject_in(START)
    scan(D(2026, 11, 24))
    scan(D(2026, 11, 25))
    scan(D(2026, 11, 25))
    assert DeadlineReminder.objects.count() == 1
    assert DeadlineNotice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_subject_done_before_the_reminder_gets_none(make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    mark_done(student, D(2026, 11, 20))
    deadline_scan(as_of=D(2026, 11, 24))
    assert not DeadlineReminder.objects.exists()


def test_reminders_are_grouped_per_college_and_mailed_only_to_that_colleges_staff(
    make_rule, subject_in, major_b, staff_with_mail, scan
):
    make_rule()
    subject_in(START)
    subject_in(START)
    subject_in(START, major=major_b)
    scan(D(2026, 11, 24))
    counts = dict(DeadlineNotice.objects.values_list("college__code", "subject_count"))
    assert counts == {"A01": 2, "B01": 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.edu.cn", "b@example.edu.cn"]


@override_settings(DEADLINE_REMINDER_WORKDAYS=10)
def test_the_number_of_working_days_is_a_setting(make_rule, subject_in):
    make_rule()
    subject_in(START)
    deadline_scan(as_of=D(2026, 11, 17))
    assert DeadlineReminder.objects.count() == 1


def test_a_reminder_over_a_provisional_due_date_says_so(make_rule, subject_in):
    make_rule(unit="workdays", length=10)
    subject_in(D(2026, 12, 25))
    deadline_scan(as_of=D(2027, 1, 4))
    assert DeadlineNotice.objects.get().provisional


def test_a_reminder_whose_mail_failed_is_mailed_by_the_next_scan(
    make_rule, subject_in, staff_with_mail, scan
):
    make_rule()
    subject_in(START)
    with override_settings(EMAIL_BACKEND="tests.deadlines.failing_mail.Backend"):
        scan(D(2026, 11, 24))
    assert DeadlineNotice.objects.get().emailed_at is None
    scan(D(2026, 11, 25))
    assert [m.to for m in mail.outbox] == [["a@example.edu.cn"]]
    assert DeadlineNotice.objects.get().emailed_at is not None
