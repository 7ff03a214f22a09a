"""Benchmark: annual registration on PostgreSQL (make bench). Prints numbers; asserts nothing about time.

1. Opens a year's roll for 100,000 in-school students (INSERT … SELECT a window
   of 5,000 at a time, 100,000 audit events hashed while the next window is
   inserted), then opens it again (adds nothing).
2. Computes every blocker over the whole roll (one query).
3. Approves a college's list of 10,000 students (9,000 registered, 1,000
   deferred for unpaid fees), 10,000 audit events.

Targets on a 2-core machine (issue 11): roll ≤ 3 s, approval ≤ 1 s; memory flat
in the number of students (Python's peak is printed beside the roll).
"""

from __future__ import annotations

import datetime
import time

import pytest

from annual_registration.blockers import with_blockers
from annual_registration.models import AnnualRegistration, FeeImport, FeeRecord, FeeStatus
from annual_registration.services import annual_roll_open
from benchmarks.figures import figure, timed
from registrar import batches
from registrar.idcard import make_id_number
from registrar.models import AcademicYear, BatchKind, Student, Term
from registrar.roles import Role
from registrar.services import user_create
from registrar.sql import analyze
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
KIND = BatchKind.ANNUAL_REGISTRATION
STUDENTS = 100_000
LIST = 10_000


def _students(colleges_and_majors, count: int) -> None:
    """``count`` in-school students of earlier years, spread over the colleges (bulk rows: setup, not the subject)."""
    base = datetime.date(2004, 1, 1)
    rows = []
    for i in range(count):
        college, major = colleges_and_majors[0] if i < LIST else colleges_and_majors[1 + i % 3]
        gender = "1" if i % 2 else "2"
        birth = base + datetime.timedelta(days=i // 400)
        rows.append(
            Student(
                name=f"学生{i}",
                gender=gender,
                ethnicity="01",
                birth_date=birth,
                id_number=make_id_number("110101", birth, i % 400, gender),
                student_number=f"20{i:08d}",
                college=college,
                major=major,
                level="05",
                program_years=4,
                entry_date=datetime.date(2023 + i % 3, 9, 4),
            )
        )
    Student.objects.bulk_create(rows, batch_size=5000)


def test_bench_annual_roll_blockers_and_approval():
    SchoolFactory()
    pairs = []
    for n in range(4):
        college = CollegeFactory(code=f"A{n}", name=f"学院{n}")
        pairs.append((college, MajorFactory(college=college, code=f"0809{n:02d}")))
    _students(pairs, STUDENTS)
    year = AcademicYear.objects.create(start_year=2026)
    term = Term.objects.create(academic_year=year, number=1, start_date=datetime.date(2026, 9, 7))
    registrar = user_create(actor=None, username="registrar", password="x-Bench-2026", role=Role.REGISTRAR)
    staff = user_create(
        actor=None, username="staff", password="x-Bench-2026", role=Role.COLLEGE_STAFF, colleges=[pairs[0][0]]
    )

    seconds, _peak, added = timed(lambda: annual_roll_open(actor=registrar, academic_year=year))
    assert added == STUDENTS
    figure("annual", f"open the roll of {STUDENTS:,} students", seconds, "s")
    again, _peak, added = timed(lambda: annual_roll_open(actor=registrar, academic_year=year))
    assert added == 0
    figure("annual", "open the same roll again (adds nothing)", again, "s")
    # Memory: the next year's roll of the same students, traced (tracemalloc slows it; its time is not the figure).
    next_year = AcademicYear.objects.create(start_year=2027)
    _seconds, peak, added = timed(
        lambda: annual_roll_open(actor=registrar, academic_year=next_year), trace=True
    )
    assert added == STUDENTS
    figure(
        "annual",
        f"Python peak while opening a roll of {STUDENTS:,}",
        peak,
        "MiB",
        note="5,000 students per window",
    )

    # Finance's sheet, as rows (the import's own speed is the sheet toolkit's): 1 in 10 of the list unpaid.
    source = FeeImport.objects.create(
        academic_year=year, file_name="jf.xlsx", sha256="0" * 64, imported_by=registrar
    )
    ids = list(Student.objects.order_by("pk").values_list("pk", flat=True))
    FeeRecord.objects.bulk_create(
        [
            FeeRecord(
                student_id=pk,
                academic_year=year,
                status=FeeStatus.UNPAID if n < LIST and n % 10 == 0 else FeeStatus.PAID,
                source=source,
            )
            for n, pk in enumerate(ids)
        ],
        batch_size=5000,
    )
    analyze(FeeRecord)  # as fee_import does after a bulk import
    started = time.perf_counter()
    blocked = (
        with_blockers(AnnualRegistration.objects.filter(academic_year=year)).filter(blocked_fees=True).count()
    )
    figure("annual", f"blockers over the roll of {STUDENTS:,}", time.perf_counter() - started, "s")
    assert blocked == LIST // 10

    batch = batches.batch_create(actor=staff, kind=KIND, college=pairs[0][0], term=term)
    assert batches.batch_items_fill(actor=staff, batch_id=batch.pk, kind=KIND) == LIST
    batches.batch_submit(actor=staff, batch_id=batch.pk, kind=KIND)
    started = time.perf_counter()
    batches.batch_approve(actor=registrar, batch_id=batch.pk, kind=KIND, document_number="教学〔2026〕1号")
    figure(
        "annual",
        f"approve a list of {LIST:,} (9,000 register, 1,000 defer)",
        time.perf_counter() - started,
        "s",
    )
    states = AnnualRegistration.objects.filter(college=pairs[0][0], academic_year=year).values_list(
        "state", flat=True
    )
    assert sorted(set(states)) == ["deferred", "registered"]
