"""Status changes' test data (issue 11, items 3-5), built through the services only."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from annual_registration.models import AnnualRegistration, StatusChange
from annual_registration.services.change_approval import status_change_approve
from annual_registration.services.change_rules import ChangeInput
from annual_registration.services.changes import kind_settings_seed, status_change_file, status_change_submit
from annual_registration.services.roll import annual_roll_open
from registrar.models import AcademicYear, Student
from registrar.proofs import ProofFile
from tests.factories import AcademicYearFactory, MajorFactory, StudentFactory, TermFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENT = ProofFile(name="学籍处理决定.pdf", content=PDF, content_type="application/pdf")


class Clock:
    """Today, as ``django.utils.timezone`` tells it: the one thing the tests move in time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch

    def set(self, day: datetime.date, hour: int = 10) -> datetime.date:
        moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
        self._monkeypatch.setattr(timezone, "now", lambda: moment)
        return day


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze the date at 2026-10-12 (a Monday of the 2026-2027 first term); ``clock.set`` moves it."""
    frozen = Clock(monkeypatch)
    frozen.set(datetime.date(2026, 10, 12))
    return frozen


@pytest.fixture
def kind_settings(db) -> None:
    """What each kind does, as the data migration seeded it: put back if a transactional test emptied it."""
    kind_settings_seed()


@pytest.fixture
def second_years(school, major_a, term, kind_settings) -> list[Student]:
    """Five students of college A who entered in 2025: on the 2026-2027 roll (ANN-1)."""
    return StudentFactory.create_batch(5, major=major_a, entry_date=datetime.date(2025, 9, 8))


@pytest.fixture
def second_year_b(major_b, term) -> Student:
    return StudentFactory(major=major_b, name="乙同学", entry_date=datetime.date(2025, 9, 8))


@pytest.fixture
def other_major_a(college_a):
    return MajorFactory(code="080902", name="软件工程", college=college_a)


@pytest.fixture
def roll_2026(registrar, second_years, second_year_b, clock) -> AcademicYear:
    """The 2026-2027 roll opened: every student above pending (ANN-1)."""
    year = AcademicYearFactory(start_year=2026)
    TermFactory(academic_year=year)
    annual_roll_open(actor=registrar, academic_year=year)
    return year


def filed(actor, student: Student, kind: str, reason: str = "本人申请", **fields) -> StatusChange:
    values = fields.pop("values", {})
    return status_change_file(
        actor=actor,
        student_id=student.pk,
        given=ChangeInput(kind=kind, reason=reason, values=values, **fields),
    )


def submitted(actor, student: Student, kind: str, **fields) -> StatusChange:
    change = filed(actor, student, kind, **fields)
    return status_change_submit(actor=actor, change_id=change.pk)


def approved(
    staff,
    registrar,
    student: Student,
    kind: str,
    *,
    on: datetime.date | None = None,
    number: str = "校学〔2026〕12号",
    **fields,
) -> StatusChange:
    """Filed by ``staff``, submitted, and approved by the registrar on ``on`` (today by default)."""
    change = submitted(staff, student, kind, **fields)
    status_change_approve(
        actor=registrar,
        change_id=change.pk,
        decision_date=on or timezone.localdate(),
        document_number=number,
        document=DOCUMENT,
    )
    return StatusChange.objects.get(pk=change.pk)


def registration_of(student: Student, year: AcademicYear) -> AnnualRegistration:
    return AnnualRegistration.objects.get(student=student, academic_year=year)
