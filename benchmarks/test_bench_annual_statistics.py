"""Benchmark: the 学年电子注册情况统计表 over 100,000 students on PostgreSQL (make bench; issue 11, item 11).

The table (college × grade × level × state) is one GROUP BY over the year's roll;
the xlsx holds its few rows. Target on a 2-core machine: ≤ 1 s. The yardstick is the
bare SQL of the same grouping, without the ORM or the scoping.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection

from annual_registration.exports import statistics_xlsx
from annual_registration.models import AnnualRegistration
from annual_registration.reports import annual_statistics
from annual_registration.services import annual_roll_open
from benchmarks.figures import figure
from benchmarks.test_bench_annual import STUDENTS, _students
from registrar.models import AcademicYear, Student, Term
from registrar.roles import Role
from registrar.services import user_create
from registrar.sql import analyze
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _bare_grouping(year: AcademicYear) -> float:
    registration, student = AnnualRegistration._meta.db_table, Student._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT r.college_id, EXTRACT(YEAR FROM s.entry_date), s.level, r.state, count(*)
                FROM {registration} r JOIN {student} s ON s.id = r.student_id
                WHERE r.academic_year_id = %s GROUP BY 1, 2, 3, 4""",
            [year.pk],
        )
        cursor.fetchall()
    return time.perf_counter() - started


def test_bench_annual_statistics_table():
    SchoolFactory()
    pairs = []
    for n in range(4):
        college = CollegeFactory(code=f"A{n}", name=f"学院{n}")
        pairs.append((college, MajorFactory(college=college, code=f"0809{n:02d}")))
    _students(pairs, STUDENTS)
    year = AcademicYear.objects.create(start_year=2026)
    Term.objects.create(academic_year=year, number=1, start_date=datetime.date(2026, 9, 7))
    registrar = user_create(actor=None, username="registrar", password="x-Bench-2026", role=Role.REGISTRAR)
    assert annual_roll_open(actor=registrar, academic_year=year) == STUDENTS
    analyze(AnnualRegistration)

    started = time.perf_counter()
    statistics = annual_statistics(registrar, year)
    content = statistics_xlsx(statistics)
    seconds = time.perf_counter() - started
    assert statistics.total.on_roll == STUDENTS and content.startswith(b"PK")
    figure(
        "annual",
        f"statistics table over {STUDENTS:,} students (query and xlsx)",
        seconds,
        "s",
        yardstick=_bare_grouping(year),
        yardstick_label="the bare GROUP BY in SQL",
        note=f"{len(statistics.rows)} rows",
    )
