"""Builders for freshman-registration tests: admission sheets in memory, a record registered the only way.

Plain functions in a module, imported by the tests that need them; the fixtures stay in conftest.py.
"""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook

from enrollment.models import AdmissionRecord
from enrollment.services import (
    ItemInput,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.idcard import make_id_number

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
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def admission_sheet(rows: list[dict], header: list[str] = HEADER) -> bytes:
    return xlsx_bytes([header, *[[r.get(h, "") for h in header] for r in rows]])


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
