"""Builders for freshman-registration tests: admission sheets in memory, a record registered the only way.

Plain functions in a module, imported by the tests that need them; the fixtures stay in conftest.py.
"""

from __future__ import annotations

import datetime
import functools
import io

from openpyxl import Workbook

from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    admission_import,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.idcard import make_id_number
from tests.factories import TermFactory

HEADER = [
    "KSH",
    "XM",
    "XB",
    "CSRQ",
    "ZJLX",
    "ZJHM",
    "MZ",
    "ZZMM",
    "ZYDM",
    "ZYMC",
    "CC",
    "XZ",
    "XXXS",
    "RXRQ",
    "FY",
    "BZ",
]


def admission_row(n: int, major, *, gender: str = "1", birth=datetime.date(2007, 5, 1), **overrides) -> dict:
    row = {
        "KSH": f"26110101{n:06d}",
        "XM": f"新生{n}",
        "XB": gender,
        "CSRQ": birth.strftime("%Y%m%d"),
        "ZJLX": "1",
        "ZJHM": make_id_number("110101", birth, n, gender),
        "MZ": "01",
        "ZZMM": "03",
        "ZYDM": major.code,
        "ZYMC": major.name,
        "CC": major.level,
        "XZ": str(major.program_years),
        "XXXS": "1",
        "RXRQ": "20260907",
        "FY": major.college.name,
        "BZ": "",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows: list[list]) -> bytes:
    """The rows as an xlsx file; the same rows give the same bytes (most tests import the same five)."""
    try:
        return _xlsx_of(tuple(map(tuple, rows)))
    except TypeError:  # a cell value that cannot be a cache key
        return _xlsx_of.__wrapped__(rows)


@functools.lru_cache(maxsize=64)
def _xlsx_of(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def admission_sheet(rows: list[dict], header: list[str] = HEADER) -> bytes:
    return xlsx_bytes([header, *[[r.get(h, "") for h in header] for r in rows]])


def import_admissions(
    rows: list[dict], *, actor, year: int = 2026, dry_run: bool = False, name: str = "lq.xlsx"
):
    """These rows imported as a sheet through the parser and the import service (ENR-1); the result."""
    sheet = parse_admissions(admission_sheet(rows), name)
    return admission_import(actor=actor, year=year, sheet=sheet, file_name=name, dry_run=dry_run)


def imported_flagged(major, numbers: list[int], *, actor, year: int = 2026) -> list[AdmissionRecord]:
    """Freshmen imported flagged 重名重号 the way an import flags them (ENR-9): the year before's
    admission data, imported first, holds their id numbers under other exam numbers."""
    earlier = year - 1
    TermFactory(academic_year__start_year=earlier, start_date=datetime.date(earlier, 9, 7))
    TermFactory(academic_year__start_year=year, start_date=datetime.date(year, 9, 7))
    rows = [
        admission_row(n, major, KSH=f"{earlier % 100}110101{n:06d}", RXRQ=f"{earlier}0907") for n in numbers
    ]
    assert import_admissions(rows, actor=actor, year=earlier).ok
    result = import_admissions([admission_row(n, major) for n in numbers], actor=actor, year=year)
    assert result.ok and len(result.flagged) == len(numbers), (result.errors, result.flagged)
    return list(
        AdmissionRecord.objects.filter(year=year, exam_number__in=result.flagged).order_by("exam_number")
    )


def account_of(record: AdmissionRecord):
    """The student account that registration created for this record's student (ENR-11)."""
    from registrar.models import User

    student_id = AdmissionRecord.objects.values_list("student_id", flat=True).get(pk=record.pk)
    assert student_id is not None, "the record is not registered"
    return User.objects.get(student_id=student_id)


def registered_through_a_list(record: AdmissionRecord, *, staff, registrar, college, term) -> AdmissionRecord:
    """``record`` registered the only way there is (ENR-2): passed on a review list the registrar approved."""
    batch = review_batch_create(actor=staff, college=college, term=term)
    review_items_save(
        actor=staff, batch_id=batch.pk, items=[ItemInput(key=record.exam_number, outcome="passed")]
    )
    review_batch_submit(actor=staff, batch_id=batch.pk)
    review_batch_approve(actor=registrar, batch_id=batch.pk, document_number="教学〔2026〕3号")
    return AdmissionRecord.objects.get(pk=record.pk)
