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

from annual_registration.models import AnnualRegistration
from benchmarks.figures import figure
from diploma.models import ExpectedGraduate, PhotoCapture, PhotoImport
from diploma.precheck import ProblemKind, _statement, precheck_report
from enrollment.models import AdmissionRecord
from registrar.idcard import make_id_number
from registrar.models import AcademicYear, Student, Term
from registrar.roles import Role
from registrar.services import user_create
from registrar.sql import analyze
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GRADUATES = 10_000
ENTRY, GRADUATION = datetime.date(2022, 9, 1), datetime.date(2026, 6, 30)


def _cohort(registrar) -> None:
    """The graduates and their history as bulk rows and INSERT … SELECT (setup, not the subject)."""
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
    years = {}
    for start in (2022, 2023, 2024, 2025):
        years[start] = AcademicYear.objects.create(start_year=start)
        Term.objects.create(academic_year=years[start], number=1, start_date=datetime.date(start, 9, 5))
    source = PhotoImport.objects.create(
        kind="list", file_name="cj.xlsx", sha256="0" * 64, imported_by=registrar
    )
    t = {
        "s": Student._meta.db_table,
        "a": AdmissionRecord._meta.db_table,
        "r": AnnualRegistration._meta.db_table,
        "g": ExpectedGraduate._meta.db_table,
        "p": PhotoCapture._meta.db_table,
    }
    with connection.cursor() as cursor:
        # Admission data: every 7th with another name (DIP-4).
        cursor.execute(
            f"""INSERT INTO {t["a"]} (year, exam_number, name, gender, birth_date, id_type, id_number, ethnicity,
                political_status, major_id, college_id, level, program_years, study_mode, admission_type, entry_date,
                remark, term_id, state, student_id, identity_conflict, source_hash, updated_at)
            SELECT 2022, s.exam_number, CASE WHEN MOD(s.id, 7) = 0 THEN s.name || '改' ELSE s.name END, s.gender,
                s.birth_date, s.id_type, s.id_number, s.ethnicity, s.political_status, s.major_id, s.college_id,
                s.level, s.program_years, s.study_mode, s.admission_type, s.entry_date, '', %s, 'registered', s.id,
                false, '', now()
            FROM {t["s"]} s""",
            [years[2022].terms.get().pk],
        )
        # Annual registration of the second to fourth years; every 10th missed 2024-2025 (ANN-9).
        for start in (2023, 2024, 2025):
            skip = "AND MOD(s.id, 10) <> 0" if start == 2024 else ""
            cursor.execute(
                f"""INSERT INTO {t["r"]} (student_id, academic_year_id, college_id, state, deferral_reason, reason,
                    registered_on, created_at)
                SELECT s.id, %s, s.college_id, 'registered', '', '', %s, now() FROM {t["s"]} s WHERE true {skip}""",
                [years[start].pk, datetime.date(start, 9, 20)],
            )
        # Expected graduates: every 50th still without an outcome (DIP-1).
        cursor.execute(
            f"""INSERT INTO {t["g"]} (student_id, graduation_year, graduation_date, college_id, major_id, level, outcome,
                outcome_document_number, created_at)
            SELECT s.id, 2026, s.expected_graduation_date, s.college_id, s.major_id, s.level,
                CASE WHEN MOD(s.id, 50) = 0 THEN 'pending' ELSE 'graduated' END, '', now() FROM {t["s"]} s"""
        )
        # Photos: every 13th not checked yet, every 97th not captured at all (DIP-9).
        cursor.execute(
            f"""INSERT INTO {t["p"]} (student_id, captured_on, file_name, source_id, image, image_sha256, check_state,
                problem)
            SELECT s.id, %s, s.id_number || '.jpg', %s, 'diploma/photos/2026/' || s.id || '.jpg', '',
                CASE WHEN MOD(s.id, 13) = 0 THEN 'unchecked' ELSE 'confirmed' END, ''
            FROM {t["s"]} s WHERE MOD(s.id, 97) <> 0""",
            [datetime.date(2026, 3, 10), source.pk],
        )
    for model in (Student, AdmissionRecord, AnnualRegistration, ExpectedGraduate, PhotoCapture):
        analyze(model)


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
