"""The freshman 复查 (ENR-5) and deferred-admission (ENR-4) kinds, on real admission records.

Records start in their default state through the model's manager (as the
import would leave them) and move only through the enrollment services.
"""

import datetime

import pytest
from django.utils import timezone

from deadlines.clocks import add_months
from deadlines.models import DeadlineViolation
from deadlines.scan import deadline_scan
from enrollment.models import AdmissionRecord, AdmissionState
from enrollment.services import admission_transition
from tests.factories import TermFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def old_term(db):
    """A first term that started four months ago: its 3-month 复查 window has closed."""
    return TermFactory(start_date=add_months(TODAY, -4))


@pytest.fixture
def admitted_record(major_a, old_term):
    def make(n: int = 1, term=None) -> AdmissionRecord:
        record = AdmissionRecord.objects.create(
            year=(term or old_term).start_date.year,
            exam_number=f"2611010100{n:04d}",
            name=f"新生{n}",
            gender="1",
            birth_date=datetime.date(2007, 5, 1),
            id_number=f"11010120070501{n:03d}X",
            ethnicity="01",
            major=major_a,
            college=major_a.college,
            level=major_a.level,
            program_years=major_a.program_years,
            entry_date=(term or old_term).start_date,
            term=term or old_term,
        )
        return record

    return make


def move(record: AdmissionRecord, transition: str, **kwargs) -> AdmissionRecord:
    return admission_transition(
        actor=None, record_id=record.pk, transition=transition, reason="测试", **kwargs
    )


def rule_violations(code: str):
    return DeadlineViolation.objects.filter(rule__code=code)


def test_an_admitted_freshman_without_rereview_three_months_after_term_start_is_late(
    admitted_record, old_term
):
    # rule ENR-5
    record = move(admitted_record(), "admit")
    deadline_scan(as_of=TODAY)
    violation = rule_violations("freshman_review").get()
    assert (violation.subject_id, violation.state) == (record.pk, "open")
    assert violation.due_date == add_months(old_term.start_date, 3)


def test_a_freshman_within_three_months_of_term_start_is_not_late(admitted_record):
    # rule ENR-5
    recent = TermFactory(number=2, start_date=TODAY - 30 * DAY)
    move(admitted_record(term=recent), "admit")
    deadline_scan(as_of=TODAY)
    assert not rule_violations("freshman_review").exists()


def test_a_freshman_cancelled_after_the_window_is_resolved_late(admitted_record, old_term):
    # rule ENR-5: done when the record is cancelled; late by the days since the due date.
    record = move(admitted_record(), "admit")
    deadline_scan(as_of=TODAY - DAY)
    move(record, "cancel")
    deadline_scan(as_of=TODAY)
    violation = rule_violations("freshman_review").get()
    assert (violation.state, violation.done_on) == ("resolved", TODAY)
    assert violation.days_late == (TODAY - add_months(old_term.start_date, 3)).days


def test_a_deferral_past_its_end_is_late(admitted_record):
    # rule ENR-4
    record = move(admitted_record(), "defer", deferral_end=TODAY - 10 * DAY, decided_on=TODAY - 375 * DAY)
    deadline_scan(as_of=TODAY)
    violation = rule_violations("deferral_expiry").get()
    assert (violation.subject_id, violation.due_date, violation.days_late) == (
        record.pk,
        TODAY - 10 * DAY,
        10,
    )


def test_a_deferral_settled_after_its_end_is_resolved_late(admitted_record):
    # rule ENR-4: leaving deferred (here: forfeited) settles it, ten days late.
    record = move(admitted_record(), "defer", deferral_end=TODAY - 10 * DAY, decided_on=TODAY - 375 * DAY)
    deadline_scan(as_of=TODAY)
    move(record, "forfeit")
    assert AdmissionRecord.objects.get(pk=record.pk).state == AdmissionState.FORFEITED
    deadline_scan(as_of=TODAY)
    violation = rule_violations("deferral_expiry").get()
    assert (violation.state, violation.done_on, violation.days_late) == ("resolved", TODAY, 10)


def test_a_deferral_not_yet_ended_is_not_late(admitted_record):
    # rule ENR-4
    move(admitted_record(), "defer", deferral_end=TODAY + 30 * DAY, decided_on=TODAY)
    deadline_scan(as_of=TODAY)
    assert not rule_violations("deferral_expiry").exists()
