"""Graduating cohorts for the diploma tests, built through the services."""

from __future__ import annotations

import datetime

from diploma.models import ExpectedGraduate
from diploma.services.graduates import expected_graduates_build
from diploma.services.outcomes import graduate_outcomes_apply
from diploma.services.photos import photo_check_confirm
from registrar.models import Student, User
from registrar.roles import Role
from registrar.services import user_create
from tests.diploma.photo_builders import captured
from tests.factories import StudentFactory
from tests.users import PASSWORD

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


def photo_confirmed(registrar, students: list[Student]) -> None:
    """DIP-9: these students' photos captured, imported and confirmed by each student's own check (their
    account, opened here if they have none)."""
    captured(registrar, students)
    accounts = {user.student_id: user for user in User.objects.filter(student__in=students)}
    for student in students:
        user = accounts.get(student.pk) or user_create(
            actor=None, username=f"grad{student.pk}", password=PASSWORD, role=Role.STUDENT, student=student
        )
        photo_check_confirm(user=user)


def cohort(
    registrar, students, outcome: str = "graduated", year: int = 2026, *, ready: bool = False
) -> list[ExpectedGraduate]:
    """The expected-graduate list of ``year`` built, and these students' outcome approved.

    ``ready``: their photos confirmed too, so that the pre-check passes them (DIP-10) and
    ``certificates_precheck`` takes them. That is all a factory student lacks while no annual roll of
    their years is open here and they have no admission data (``precheck_builders.clean_cohort`` has both).
    """
    if ready:
        photo_confirmed(registrar, students)
    expected_graduates_build(actor=registrar, graduation_year=year)
    graduates = list(ExpectedGraduate.objects.filter(student__in=students).order_by("pk"))
    graduate_outcomes_apply(
        actor=registrar, outcomes={g.pk: outcome for g in graduates}, document_number="教务〔2026〕9号"
    )
    return list(ExpectedGraduate.objects.filter(pk__in=[g.pk for g in graduates]).order_by("pk"))
