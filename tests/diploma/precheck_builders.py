"""A graduating cohort the pre-check passes, built through the services: annual registrations, admission data,
photos checked, outcomes approved. Each test then breaks one thing."""

from __future__ import annotations

import datetime

from annual_registration.services import annual_roll_open
from diploma.models import ExpectedGraduate
from enrollment.models import AdmissionRecord
from registrar import batches
from registrar.models import AcademicYear, BatchKind, Student, Term
from tests.annual_registration.builders import fees_imported
from tests.diploma.builders import cohort, graduating

YEARS = (
    2023,
    2024,
    2025,
)  # the second to the fourth year of students who entered in 2022 and graduate in 2026


def academic_year(start: int) -> AcademicYear:
    year, _ = AcademicYear.objects.get_or_create(start_year=start)
    Term.objects.get_or_create(
        academic_year=year, number=1, defaults={"start_date": datetime.date(start, 9, 4)}
    )
    return year


def years_registered(registrar, staff, college, students: list[Student], years=YEARS) -> None:
    """Each year's roll opened and the college's list approved: every student 注册学籍 (ANN-1)."""
    for start in years:
        year = academic_year(start)
        annual_roll_open(actor=registrar, academic_year=year)
        fees_imported(registrar, year, [(s.student_number, "已缴费") for s in students])
        kind = BatchKind.ANNUAL_REGISTRATION
        batch = batches.batch_create(actor=staff, kind=kind, college=college, term=year.terms.get(number=1))
        batches.batch_items_fill(actor=staff, batch_id=batch.pk, kind=kind)
        batches.batch_submit(actor=staff, batch_id=batch.pk, kind=kind)
        batches.batch_approve(
            actor=registrar, batch_id=batch.pk, kind=kind, document_number=f"教学〔{start}〕1号"
        )


def admission_of(student: Student, **different) -> AdmissionRecord:
    """The admission data the student entered with (ENR-1), as the province sent it; ``different`` fields changed."""
    values = {
        "year": student.entry_date.year,
        "exam_number": student.exam_number,
        "name": student.name,
        "gender": student.gender,
        "birth_date": student.birth_date,
        "id_type": student.id_type,
        "id_number": student.id_number,
        "ethnicity": student.ethnicity,
        "major": student.major,
        "college": student.college,
        "level": student.level,
        "program_years": student.program_years,
        "entry_date": student.entry_date,
        "term": academic_year(student.entry_date.year).terms.get(number=1),
        "student": student,
        **different,
    }
    return AdmissionRecord.objects.create(**values)


def clean_cohort(registrar, staff, major, n: int) -> list[ExpectedGraduate]:
    """``n`` graduates of 2026 in ``major`` with nothing wrong: the pre-check passes them all."""
    students = graduating(major, n)
    for student in students:
        admission_of(student)
    years_registered(registrar, staff, major.college, students)
    return cohort(registrar, students, ready=True)
