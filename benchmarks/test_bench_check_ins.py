"""Benchmark: term check-in (学期报到注册, ANN-13) on PostgreSQL (make bench). Prints numbers; asserts nothing about time.

1. Opens a term's check-in for 100,000 in-school students (INSERT … SELECT, 5,000 at a time,
   100,000 audit events hashed while the next window runs), then opens it again (adds nothing).
2. A college records 10,000 of its students as checked in at once (the transition
   engine: one UPDATE per group, 10,000 audit events).
"""

from __future__ import annotations

import datetime

import pytest

from annual_registration.models import CheckInState, TermCheckIn
from annual_registration.services.check_ins import check_ins_record, term_check_in_open
from benchmarks.figures import figure, timed
from benchmarks.test_bench_annual import LIST, STUDENTS, _students
from registrar.models import AcademicYear, School, Term
from registrar.roles import Role
from registrar.services import user_create
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_bench_term_check_in_open_and_record():
    SchoolFactory()
    School.objects.update(term_check_in=True)
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

    seconds, _peak, added = timed(lambda: term_check_in_open(actor=registrar, term=term))
    assert added == STUDENTS
    figure("check_in", f"open a term's check-in for {STUDENTS:,} students", seconds, "s")
    again, _peak, added = timed(lambda: term_check_in_open(actor=registrar, term=term))
    assert added == 0
    figure("check_in", "open the same term again (adds nothing)", again, "s")

    ids = list(TermCheckIn.objects.filter(college=pairs[0][0]).values_list("student_id", flat=True))
    assert len(ids) == LIST
    seconds, _peak, recorded = timed(lambda: check_ins_record(actor=staff, term_id=term.pk, student_ids=ids))
    assert recorded == LIST
    assert TermCheckIn.objects.filter(state=CheckInState.CHECKED_IN).count() == LIST
    figure("check_in", f"record {LIST:,} check-ins of one college at once", seconds, "s")
