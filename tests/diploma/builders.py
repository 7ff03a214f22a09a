"""Graduating cohorts for the diploma tests, built through the services."""

from __future__ import annotations

import datetime

from diploma.models import ExpectedGraduate
from diploma.services.graduates import expected_graduates_build
from diploma.services.outcomes import graduate_outcomes_apply
from registrar.models import Student
from tests.factories import StudentFactory

GRADUATION_DATE = datetime.date(2026, 6, 30)


def graduating(major, n: int, *, date: datetime.date = GRADUATION_DATE, **fields) -> list[Student]:
    """``n`` in-school students of ``major`` expected to graduate on ``date``."""
    return [
        StudentFactory(
            major=major,
            entry_date=datetime.date(date.year - 4, 9, 1),
            birth_date=datetime.date(2003, 5, 1),
            expected_graduation_date=date,
            **fields,
        )
        for _ in range(n)
    ]


def cohort(registrar, students, outcome: str = "graduated", year: int = 2026) -> list[ExpectedGraduate]:
    """The expected-graduate list of ``year`` built, and these students' outcome approved."""
    expected_graduates_build(actor=registrar, graduation_year=year)
    graduates = list(ExpectedGraduate.objects.filter(student__in=students).order_by("pk"))
    graduate_outcomes_apply(
        actor=registrar, outcomes={g.pk: outcome for g in graduates}, document_number="教务〔2026〕9号"
    )
    return list(ExpectedGraduate.objects.filter(pk__in=[g.pk for g in graduates]).order_by("pk"))
