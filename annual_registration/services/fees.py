"""缴费数据导入: finance's sheet of who paid, as one all-or-nothing import (ANN-10).

A loan or aid arranged counts as paid. Each student's status for the year is
replaced by the newest import; every change is an audit event with the value
before and after, so "why was this student deferred" has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models import FeeImport, FeeRecord, FeeStatus
from audit.services import EventSpec, audit_record, audit_record_many
from registrar import codes
from registrar.models import AcademicYear, Student, User
from registrar.roles import is_registrar
from registrar.sheets.cells import code_table, student_number
from registrar.sheets.tables import Column, ParsedSheet, RowError, parse_sheet, row_checker
from registrar.sql import analyze

FEE_COLUMNS: tuple[Column, ...] = (
    Column("student_number", "XH", "学号", required=True, max_length=20),
    Column("name", "XM", "姓名", max_length=50),
    Column("status", "JFQK", "缴费情况", aliases=("缴费状态",), required=True, max_length=20),
    Column("note", "BZ", "备注", max_length=200),
)
FEE_NAMES = {
    "已缴": "paid",
    "已缴清": "paid",
    "未缴": "unpaid",
    "欠费": "unpaid",
    "助学贷款": "aid",
    "已办理助学贷款": "aid",
    "缓缴": "aid",
}
# An import of more rows than this refreshes the table's statistics (registrar.sql.analyze).
ANALYZE_AFTER = 1000


CHECK_FEE_ROW = row_checker(
    FEE_COLUMNS,
    {
        "student_number": student_number,
        "status": code_table(FeeStatus, gettext_lazy("缴费情况"), names=FEE_NAMES),
    },
    multiline=frozenset({"note"}),
    free_text=frozenset({"name", "note"}),
)


def parse_fees(content: bytes, file_name: str) -> ParsedSheet:
    """缴费数据表 → rows and every error (a 学号 twice is one)."""
    return parse_sheet(
        content, file_name, columns=FEE_COLUMNS, check=CHECK_FEE_ROW, unique=("student_number",)
    )


@dataclass
class FeeImportResult:
    imported: int = 0
    changed: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def may_import_fees(user: User) -> bool:
    return is_registrar(user)


@transaction.atomic
def fee_import(
    *, actor: User, academic_year: AcademicYear, sheet: ParsedSheet, file_name: str
) -> FeeImportResult:
    """导入缴费数据 (ANN-10): every row checked first; any error → nothing written, every error listed."""
    if not may_import_fees(actor):
        raise PermissionDenied(_("只有教务处可以导入缴费数据"))
    numbers = [row.values["student_number"] for row in sheet.rows if row.values.get("student_number")]
    found = Student.objects.filter(
        student_number__in=numbers, student_status__in=codes.ACTIVE_STUDENT_STATUSES
    )
    students, colleges = {}, {}
    for number, pk, college_id in found.values_list("student_number", "pk", "college_id"):
        students[number], colleges[pk] = pk, college_id
    errors = list(sheet.errors)
    for row in sheet.rows:
        number = row.values.get("student_number")
        if number and number not in students:
            errors.append(
                RowError(row.number, "学号", _("没有学号为%(number)s的在籍学生") % {"number": number})
            )
    if errors:
        return FeeImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    source = FeeImport.objects.create(
        academic_year=academic_year,
        file_name=file_name[:255],
        sha256=sheet.sha256,
        row_count=len(sheet.rows),
        imported_by=actor,
    )
    before = dict(
        FeeRecord.objects.filter(academic_year=academic_year, student_id__in=students.values()).values_list(
            "student_id", "status"
        )
    )
    rows = [
        (students[r.values["student_number"]], r.values["status"], r.values.get("note", ""))
        for r in sheet.rows
    ]
    FeeRecord.objects.bulk_create(
        [
            FeeRecord(student_id=s, academic_year=academic_year, status=st, note=n, source=source)
            for s, st, n in rows
        ],
        update_conflicts=True,
        unique_fields=["student", "academic_year"],
        update_fields=["status", "note", "source"],
        batch_size=2000,
    )
    if len(rows) > ANALYZE_AFTER:
        analyze(FeeRecord)
    changed = [(s, st) for s, st, _n in rows if before.get(s) != st]
    audit_record_many(
        [
            EventSpec(
                action="annual_registration.fee.update",
                subject=(Student._meta.label_lower, student_id),
                actor=actor,
                before={"fee_status": before.get(student_id), "academic_year": academic_year.start_year},
                after={"fee_status": status, "academic_year": academic_year.start_year},
                student_id=student_id,
                college_id=colleges[student_id],
            )
            for student_id, status in changed
        ]
    )
    audit_record(
        actor=actor,
        action="annual_registration.fee.import",
        subject=source,
        after={"rows": len(rows), "changed": len(changed), "sha256": sheet.sha256},
    )
    return FeeImportResult(imported=len(rows), changed=len(changed))
