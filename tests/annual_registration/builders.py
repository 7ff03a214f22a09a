"""Annual registration's test data, built through the services only."""

from __future__ import annotations

import datetime

from annual_registration.services import annual_roll_open, fee_import, parse_fees
from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.models import AcademicYear, Student, Term
from tests.enrollment.builders import xlsx_bytes


def second_year(registrar) -> AcademicYear:
    """2027-2028, whose first term starts on 2027-09-06: the freshmen of 2026 are in their second year."""
    year, _ = AcademicYear.objects.get_or_create(start_year=2027)
    Term.objects.get_or_create(
        academic_year=year, number=1, defaults={"start_date": datetime.date(2027, 9, 6)}
    )
    return year


def students_of(records: list[AdmissionRecord]) -> list[Student]:
    ids = AdmissionRecord.objects.filter(pk__in=[r.pk for r in records]).values_list("student_id", flat=True)
    return list(Student.objects.filter(pk__in=ids).order_by("student_number"))


def fees_sheet(rows: list[tuple[str, str]]) -> bytes:
    return xlsx_bytes([["学号", "缴费情况"], *[[number, status] for number, status in rows]])


def fees_imported(registrar, year: AcademicYear, rows: list[tuple[str, str]]):
    result = fee_import(
        actor=registrar,
        academic_year=year,
        sheet=parse_fees(fees_sheet(rows), "jf.xlsx"),
        file_name="jf.xlsx",
    )
    assert result.ok, result.errors
    return result


def roll_opened(registrar, year: AcademicYear) -> int:
    return annual_roll_open(actor=registrar, academic_year=year)


def registered(records: list[AdmissionRecord], *, staff, registrar, college, term) -> list[Student]:
    """These freshmen registered the only way there is (ENR-2): one review list, approved; their students."""
    batch = review_batch_create(actor=staff, college=college, term=term)
    items = [ItemInput(key=r.exam_number, outcome="passed") for r in records]
    review_items_save(actor=staff, batch_id=batch.pk, items=items)
    review_batch_submit(actor=staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk, document_number="教学〔2026〕3号")
    return students_of(records)
