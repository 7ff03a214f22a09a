"""Benchmark: the pre-check (预审) of 10,000 expected graduates on PostgreSQL (make bench; issue 12, item 10, DIP-10).

Every problem of every graduate in one statement: admission data, photos, the three
academic years each needs, registered certificates. A problem of each kind is mixed
into the cohort. Target on a 2-core machine: ≤ 1 s for the report (query and the
problems in Python). The yardstick is the same statement alone, its rows fetched.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection

from benchmarks.figures import figure
from benchmarks.graduate_history import history
from diploma.models import ExpectedGraduate
from diploma.precheck import ProblemKind, _statement, precheck_report
from registrar.idcard import make_id_number
from registrar.models import Student
from registrar.roles import Role
from registrar.services import user_create
from registrar.sql import analyze
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GRADUATES = 10_000
ENTRY, GRADUATION = datetime.date(2022, 9, 1), datetime.date(2026, 6, 30)


def _cohort(registrar) -> None:
    """The graduates and their history (``graduate_history``, with a problem of each kind mixed in) as bulk
    rows and INSERT … SELECT (setup, not the subject)."""
    pairs = []
    for n in range(4):
        college = CollegeFactory(code=f"A{n}", name=f"学院{n}")
        pairs.append((college, MajorFactory(college=college, code=f"0809{n:02d}")))
    base = datetime.date(2004, 1, 1)
    students = []
    for i in range(GRADUATES):
        college, major = pairs[i % 4]
        gender = "1" if i % 2 else "2"
        birth = base + datetime.timedelta(days=i // 400)
        students.append(
            Student(
                name=f"学生{i}",
                gender=gender,
                ethnicity="01",
                birth_date=birth,
                id_number=make_id_number("110101", birth, i % 400, gender),
                exam_number=f"22110101{i:06d}",
                student_number=f"20{i:08d}",
                college=college,
                major=major,
                level="05",
                program_years=4,
                entry_date=ENTRY,
                expected_graduation_date=GRADUATION,
            )
        )
    Student.objects.bulk_create(students, batch_size=5000)
    history(registrar, ENTRY.year, flaws=True)
    with connection.cursor() as cursor:
        # Expected graduates: every 50th still without an outcome (DIP-1).
        cursor.execute(
            f"""INSERT INTO {ExpectedGraduate._meta.db_table} (student_id, graduation_year, graduation_date,
                college_id, major_id, level, outcome, outcome_document_number, created_at)
            SELECT s.id, 2026, s.expected_graduation_date, s.college_id, s.major_id, s.level,
                CASE WHEN MOD(s.id, 50) = 0 THEN 'pending' ELSE 'graduated' END, '', now()
            FROM {Student._meta.db_table} s"""
        )
    analyze(ExpectedGraduate)


def _statement_alone() -> float:
    statement, params = _statement(None)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement, [2026, *params])
        cursor.fetchall()
    return time.perf_counter() - started


def test_bench_precheck_of_ten_thousand_graduates():
    SchoolFactory()
    registrar = user_create(actor=None, username="registrar", password="x-Bench-2026", role=Role.REGISTRAR)
    _cohort(registrar)
    precheck_report(registrar, 2026)  # the first run warms the plan cache, as a page's second view would

    started = time.perf_counter()
    report = precheck_report(registrar, 2026)
    seconds = time.perf_counter() - started
    assert len(report.checks) == GRADUATES
    kinds = report.total.kinds
    assert kinds[ProblemKind.ANNUAL] and kinds[ProblemKind.ADMISSION] and kinds[ProblemKind.PHOTO]
    assert kinds[ProblemKind.OUTCOME] and 0 < len(report.passed_ids) < GRADUATES
    figure(
        "diploma",
        f"pre-check of {GRADUATES:,} graduates (one statement, every problem)",
        seconds,
        "s",
        yardstick=_statement_alone(),
        yardstick_label="the statement alone, rows fetched",
        note=f"{len(report.failing):,} with problems; target ≤ 1 s on 2 cores",
    )
