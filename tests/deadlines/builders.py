"""Builders for the deadline engine's tests (plain functions; the fixtures stay in conftest.py)."""

import datetime

from registrar.models import Student


def mark_done(student: Student, day: datetime.date | None) -> None:
    """The subject is done (or undone) on ``day``; stands for the domain service that does it."""
    Student.objects.filter(pk=student.pk).update(expected_graduation_date=day)
