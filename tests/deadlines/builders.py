"""Builders for the deadline engine's tests (plain functions; the fixtures stay in conftest.py)."""

import datetime

from deadlines.models import Clock, DeadlineRule
from deadlines.registry import register_kind
from deadlines.scan import deadline_scan
from registrar.models import Major, Student
from tests.factories import StudentFactory


def mark_done(student: Student, day: datetime.date | None) -> None:
    """The subject is done (or undone) on ``day``; stands for the domain service that does it."""
    Student.objects.filter(pk=student.pk).update(expected_graduation_date=day)


def students_watched_and_scanned(*, key: str, code: str, major_a: Major, major_b: Major) -> None:
    """A rule over students (3 months from entry, kind ``key``), three students scanned on 2026-12-20:
    甲 (college A) overdue, 乙 (A) resolved late, 丙 (college B) overdue. The caller unregisters ``key``."""
    register_kind(
        key,
        label="测试：学生核对",
        subjects=Student.objects.all(),
        clocks={Clock.TERM_START: "entry_date"},
        college="college",
        student="pk",
        done_on="expected_graduation_date",
    )
    DeadlineRule.objects.create(
        code=code, name="学生核对", kind=key, clock="term_start", unit="months", length=3
    )
    entry = datetime.date(2026, 9, 7)
    StudentFactory(major=major_a, name="甲同学", entry_date=entry)
    StudentFactory(
        major=major_a, name="乙同学", entry_date=entry, expected_graduation_date=datetime.date(2026, 12, 9)
    )
    StudentFactory(major=major_b, name="丙同学", entry_date=entry)
    deadline_scan(as_of=datetime.date(2026, 12, 20))
