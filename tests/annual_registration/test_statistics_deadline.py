"""The statistics table's deadline (ANN-12): one school-level report a year, watched by the deadline scan."""

from __future__ import annotations

import datetime

import pytest

from annual_registration.services.reports import statistics_report_send
from deadlines.models import DeadlineViolation
from deadlines.scan import deadline_scan
from registrar.models import School
from tests.annual_registration.builders import roll_opened
from tests.annual_registration.record_builders import TODAY

pytestmark = pytest.mark.django_db


def open_report_violations(term) -> list[DeadlineViolation]:
    return list(
        DeadlineViolation.objects.filter(
            rule__code="annual_registration_report", subject_id=term.pk, state="open"
        )
    )


@pytest.mark.rule("ANN-12")
def test_a_jl_school_without_its_report_by_october_30_is_late_once_not_per_student(
    students_a, registrar, year_2027, term_2027
):
    School.objects.update(deadline_policy="jl")
    roll_opened(registrar, year_2027)
    deadline_scan(as_of=datetime.date(2027, 10, 30))
    assert open_report_violations(term_2027) == []
    deadline_scan(as_of=datetime.date(2027, 11, 2))
    (violation,) = open_report_violations(term_2027)
    assert (violation.due_date, violation.college_id, violation.student_id) == (
        datetime.date(2027, 10, 30),
        None,
        None,
    )


@pytest.mark.rule("ANN-12")
def test_the_report_sent_is_the_deadline_met(students_a, registrar, year_2027, term_2027):
    School.objects.update(deadline_policy="jl")
    roll_opened(registrar, year_2027)
    statistics_report_send(actor=registrar, academic_year=year_2027, sent_on=TODAY, recipient="吉林省教育厅")
    deadline_scan(as_of=datetime.date(2027, 11, 2))
    assert open_report_violations(term_2027) == []
