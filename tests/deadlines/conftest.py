"""A deadline kind over ``registrar.Student`` for testing the engine without the domain apps.

Its clock is the student's entry date and it is done on the student's
expected graduation date: a stand-in with the same shape as the real kinds.
"""

import datetime

import pytest

from deadlines.models import Clock, DeadlineRule, DeadlineUnit
from deadlines.registry import register_kind, unregister_kind
from registrar.models import Student
from tests.factories import StudentFactory

TEST_KIND = "tests.student_check"


@pytest.fixture
def student_kind(db):
    kind = register_kind(
        TEST_KIND,
        label="测试：学生核对",
        subjects=Student.objects.all(),
        clocks={Clock.TERM_START: "entry_date", Clock.DECISION_DATE: "entry_date"},
        college="college",
        student="pk",
        done_on="expected_graduation_date",
    )
    yield kind
    unregister_kind(TEST_KIND)


@pytest.fixture
def make_rule(student_kind):
    def make(code: str = "student_check", **values) -> DeadlineRule:
        defaults = {
            "name": "学生核对",
            "kind": TEST_KIND,
            "clock": Clock.TERM_START,
            "unit": DeadlineUnit.MONTHS,
            "length": 3,
        }
        defaults.update(values)
        return DeadlineRule.objects.create(code=code, **defaults)

    return make


@pytest.fixture
def subject_in(major_a):
    """A student of college A whose clock starts on ``start``; done on ``done`` (or not yet)."""

    def make(start: datetime.date, done: datetime.date | None = None, major=None) -> Student:
        return StudentFactory(major=major or major_a, entry_date=start, expected_graduation_date=done)

    return make
