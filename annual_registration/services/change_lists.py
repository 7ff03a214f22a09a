"""学籍异动名单: many students' changes at once (a class's 转专业), on the core's batch workflow (ANN-4).

Each item is a ``StatusChange`` in draft, carried by the list (``batch``);
the page, the API, submission and return are the core's
(``registrar.batches``). Approval moves every case, every student and their
placement at once through ``change_approval.changes_approve``, set-based, one
audit event per case; the list's 文号 is the decision's, its day the decision date.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from annual_registration.models import StatusChange
from annual_registration.models.changes import OPEN_STATES
from annual_registration.services.change_approval import approval_problems, changes_approve
from annual_registration.services.change_rules import (
    ChangeInput,
    change_problems,
    kind_settings,
    kind_unavailable,
    lookups_for,
    open_change_of,
    open_change_refusal,
    placement_of,
)
from annual_registration.services.changes import CHANGES
from registrar import codes
from registrar.batch_kinds import BatchItems, ItemColumn, ItemInput, ParsedItems, register
from registrar.errors import DomainError
from registrar.models import Batch, BatchKind, Major, School, Student, User
from registrar.sheets.cells import code_table, parse_date, student_number
from registrar.sheets.tables import Column, RowError, parse_sheet, row_checker
from registrar.transitions import lock_rows

KIND = BatchKind.STATUS_CHANGE
Kind = codes.StatusChangeKind


class ListedKind(models.TextChoices):
    """The kinds a list carries: those that move placement only, many students alike (ANN-4)."""

    MAJOR_CHANGE = Kind.MAJOR_CHANGE.value, pgettext_lazy("status change", "转专业")
    PROMOTION = Kind.PROMOTION.value, pgettext_lazy("status change", "升级")
    REPEAT_YEAR = Kind.REPEAT_YEAR.value, pgettext_lazy("status change", "留级")
    DEMOTION = Kind.DEMOTION.value, pgettext_lazy("status change", "降级")
    GRADE_SKIP = Kind.GRADE_SKIP.value, pgettext_lazy("status change", "跳级")


# ---------------------------------------------------------------- the sheet

COLUMNS: tuple[Column, ...] = (
    Column("student_number", "XH", "学号", required=True, max_length=20),
    Column("name", "XM", "姓名", max_length=50),
    Column("kind", "YDLB", "异动类别", aliases=("异动类型",), required=True, max_length=10),
    Column("major_code", "ZYDM", "转入专业代码", aliases=("专业代码",), max_length=20),
    Column("grade", "NJ", "年级", max_length=4),
    Column("expected_graduation_date", "YJBYRQ", "预计毕业日期", max_length=10),
    Column("program_years", "XZ", "学制", max_length=4),
    Column("reason", "YDYY", "异动原因", aliases=("原因",), required=True, max_length=200),
)
MAJOR_CODE = re.compile(r"^[0-9A-Za-z]{1,20}$")


def _pattern(regex: re.Pattern, message) -> Any:
    def check(text: str, value: Any) -> str:
        if not regex.match(text):
            raise ValueError(str(message))
        return text

    return check


def _grade(text: str, value: Any) -> int:
    if not (len(text) == 4 and text.isdigit()):
        raise ValueError(_("年级应为四位年份，如2027"))
    return int(text)


def _years(text: str, value: Any) -> str:
    try:
        Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("学制应为数字，如4或2.5")) from exc
    return text


CHECK_ROW = row_checker(
    COLUMNS,
    {
        "student_number": student_number,
        "kind": code_table(ListedKind, gettext_lazy("异动类别")),
        "major_code": _pattern(MAJOR_CODE, gettext_lazy("专业代码应为数字或字母")),
        "grade": _grade,
        "expected_graduation_date": lambda text, value: parse_date(value),
        "program_years": _years,
    },
    multiline=frozenset({"reason"}),
    free_text=frozenset({"name", "reason"}),
)
EXTRA = ("major_code", "grade", "expected_graduation_date", "program_years")


def parse_change_list(content: bytes, file_name: str) -> ParsedItems:
    """学籍异动名单 sheet → items and every error of the file (a 学号 twice is one)."""
    sheet = parse_sheet(content, file_name, columns=COLUMNS, check=CHECK_ROW, unique=("student_number",))
    items = [
        ItemInput(
            key=row.values["student_number"],
            outcome=row.values["kind"],
            reason=row.values.get("reason", ""),
            row=row.number,
            extra={key: row.values[key] for key in EXTRA if row.values.get(key) not in (None, "")},
        )
        for row in sheet.rows
        if row.values.get("student_number") and row.values.get("kind")
    ]
    return ParsedItems(items, sheet.errors)


# ---------------------------------------------------------------- the kind


class ChangeItems(BatchItems):
    """学籍异动名单: one college's students, each with the change it asks for (转专业 and the grade kinds)."""

    kind = KIND
    item_model = StatusChange
    outcomes = ListedKind
    outcome_label = gettext_lazy("异动类别")
    reasoned_outcomes = frozenset(ListedKind.values)
    reason_label = "异动原因"
    outcome_field = "kind"
    target_field = "student"
    key_label = gettext_lazy("学号")
    key_path = "student.student_number"
    action_prefix = "annual_registration.change_list"
    columns = (
        ItemColumn(gettext_lazy("姓名"), "student.name"),
        ItemColumn(gettext_lazy("专业"), "student.major.name"),
        ItemColumn(gettext_lazy("年级"), "student.grade"),
        ItemColumn(gettext_lazy("学籍状态"), "student.get_student_status_display"),
    )
    texts = {
        "new": gettext_lazy("新建学籍异动名单"),
        "upload": gettext_lazy("上传学籍异动名单"),
        "template": gettext_lazy("下载学籍异动名单模板（含本学院在籍学生）"),
        "fill": gettext_lazy("说明：请上传名单或在下方选择学生；转专业须在名单中填写转入专业代码"),
        "approved": gettext_lazy("名单已批准，学生的专业、年级等已变更"),
        "save": gettext_lazy("保存异动类别"),
    }

    def parse(self, content: bytes, file_name: str) -> ParsedItems:
        return parse_change_list(content, file_name)

    def _students(self, batch: Batch):
        return Student.objects.filter(
            college_id=batch.college_id, student_status=codes.StudentStatus.IN_SCHOOL
        )

    def template(self, user: User, batch: Batch) -> bytes:
        """The college's in-school students without an open change elsewhere (a list awaiting approval, say)."""
        busy = StatusChange.objects.filter(state__in=OPEN_STATES).exclude(batch=batch).values("student_id")
        rows = self._students(batch).exclude(pk__in=busy).select_related("major").order_by("student_number")
        body = (
            [s.student_number, s.name, str(ListedKind.MAJOR_CHANGE.label), "", "", "", "", ""]
            for s in rows.iterator()
        )
        return self.template_sheet([c.label for c in COLUMNS], body, _("学籍异动名单"), outcome_column=2)

    def candidates(self, user: User, batch: Batch, limit: int = 500) -> list[Any]:
        busy = StatusChange.objects.filter(state__in=OPEN_STATES).values("student_id")
        return list(
            self._students(batch)
            .exclude(pk__in=busy)
            .select_related("major")
            .order_by("student_number")[:limit]
        )

    def candidate_key(self, candidate: Student) -> str:
        return candidate.student_number or ""

    def check(self, batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, Any]]:
        """Each 学号 must be this college's student; each change is checked as a single filing is (ANN-4)."""
        students = {
            s.student_number: s
            for s in Student.objects.filter(
                college_id=batch.college_id, student_number__in=[i.key for i in items]
            ).select_related("major")
        }
        majors_by_code = {
            (m.code, m.level): m.pk
            for m in Major.objects.filter(
                code__in={i.extra["major_code"] for i in items if i.extra.get("major_code")}
            )
        }
        settings, school = kind_settings(), School.current()
        open_elsewhere = open_change_of([s.pk for s in students.values()], batch=batch)
        errors: list[RowError] = []
        given: dict[str, ChangeInput] = {}
        for item in items:
            student = students.get(item.key)
            if student is None:
                errors.append(
                    RowError(item.row, "学号", _("本学院没有学号为%(number)s的学生") % {"number": item.key})
                )
                continue
            values: dict[str, Any] = {
                key: item.extra[key]
                for key in ("grade", "expected_graduation_date", "program_years")
                if key in item.extra
            }
            code = item.extra.get("major_code")
            if code:
                major_id = majors_by_code.get((code, student.level))
                if major_id is None:
                    errors.append(
                        RowError(
                            item.row, "转入专业代码", _("没有代码为%(code)s的本层次专业") % {"code": code}
                        )
                    )
                    continue
                values["major"] = major_id
            given[item.key] = ChangeInput(kind=item.outcome, reason=item.reason, values=values)
        majors, colleges = lookups_for(given.values(), [students[key] for key in given])
        targets: dict[str, Any] = {}
        for item in items:
            if item.key not in given:
                continue
            student, change = students[item.key], given[item.key]
            setting = settings.get(change.kind)
            unavailable = kind_unavailable(setting, school)
            if unavailable:
                errors.append(RowError(item.row, "异动类别", unavailable))
                continue
            problems, after = change_problems(setting, student, change, majors=majors, colleges=colleges)
            if student.pk in open_elsewhere:
                problems.insert(0, open_change_refusal(open_elsewhere[student.pk]))
            errors.extend(RowError(item.row, "异动类别", problem) for problem in problems)
            targets[item.key] = (student, change, after)
        return errors, targets

    def write(self, batch: Batch, items: list[ItemInput], targets: dict[str, Any], *, replace: bool) -> None:
        listed = StatusChange.objects.filter(batch=batch)
        if not replace:
            listed = listed.filter(student__in=[targets[i.key][0] for i in items])
        listed.delete()
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    student=student,
                    college_id=batch.college_id,
                    kind=change.kind,
                    reason=change.reason.strip(),
                    values_before={name: placement_of(student)[name] for name in after},
                    values_after=after,
                    batch=batch,
                    created_by=batch.created_by,
                )
                for student, change, after in (targets[i.key] for i in items)
            ],
            batch_size=2000,
        )

    def fill(self, batch: Batch) -> int:
        raise DomainError(_("学籍异动名单请上传，或在下方逐个选择学生"))

    def problems(self, batch: Batch) -> list[str]:
        """Every listed change checked again on submission and approval: kinds still used, statuses that allow them."""
        changes = list(StatusChange.objects.filter(batch=batch).order_by("pk"))
        if not changes:
            return [_("名单中没有学生")]
        students = {s.pk: s for s in Student.objects.filter(pk__in=[c.student_id for c in changes])}
        problems = approval_problems(changes, students)
        problems.extend(
            _("%(who)s：不属于本学院") % {"who": students[c.student_id].name}
            for c in changes
            if students[c.student_id].college_id != batch.college_id
        )
        return problems

    def apply(self, actor: User, batch: Batch, *, document_number: str) -> None:
        """审批通过: every listed change from draft to approved (提交 then 批准), the list's day its decision date."""
        ids = StatusChange.objects.filter(batch=batch).values_list("pk", flat=True)
        rows = lock_rows(CHANGES, ids)
        changes_approve(
            actor,
            [rows[pk] for pk in sorted(rows)],
            decision_date=timezone.localdate(),
            document_number=document_number,
            comment=batch.comment,
            path=("submit", "approve"),
        )


CHANGE_ITEMS = register(ChangeItems())
