"""毕业结论名单: a college's 毕业 / 结业 / 肄业 list on the core's batch workflow (DIP-1, journey 3).

The college uploads the teaching system's graduation audit as xlsx (学号, 姓名,
毕(结)业结论, 说明) or marks its expected graduates on the shared list page;
the registrar approves it, which moves every graduate's outcome set-based
(``diploma.services.outcomes``). The list's academic year names the graduating
year: a 2025-2026 list decides the graduates of 2026.
"""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diploma.models import ExpectedGraduate, GraduationOutcome, OutcomeItem
from diploma.services.outcomes import graduate_outcomes_apply
from registrar.batch_kinds import BatchItems, ItemColumn, ItemInput, ParsedItems, register
from registrar.models import Batch, BatchKind, BatchState, College, User
from registrar.sheets.cells import code_table, student_number
from registrar.sheets.tables import Column, RowError, parse_sheet, row_checker

KIND = BatchKind.GRADUATION_OUTCOME


class ListedOutcome(TextChoices):
    """The outcomes a list gives: ``GraduationOutcome`` without 待定 (DIP-1)."""

    GRADUATED = GraduationOutcome.GRADUATED.value, GraduationOutcome.GRADUATED.label
    COMPLETED = GraduationOutcome.COMPLETED.value, GraduationOutcome.COMPLETED.label
    ATTENDED = GraduationOutcome.ATTENDED.value, GraduationOutcome.ATTENDED.label


COLUMNS: tuple[Column, ...] = (
    Column("student_number", "XH", "学号", required=True, max_length=20),
    Column("name", "XM", "姓名", max_length=50),
    Column("outcome", "BYJL", "毕(结)业结论", aliases=("毕结业结论", "结论"), required=True, max_length=10),
    Column("reason", "SM", "说明", aliases=("备注",), max_length=200),
)


CHECK_ROW = row_checker(
    COLUMNS,
    {
        "student_number": student_number,
        "outcome": code_table(
            ListedOutcome,
            gettext_lazy("毕(结)业结论"),
            names={"毕业": "graduated", "结业": "completed", "肄业": "attended"},
        ),
    },
    multiline=frozenset({"reason"}),
    free_text=frozenset({"name", "reason"}),
)


def parse_outcome_list(content: bytes, file_name: str) -> ParsedItems:
    """毕业结论名单 sheet → items and every error of the file (a 学号 twice is one)."""
    sheet = parse_sheet(content, file_name, columns=COLUMNS, check=CHECK_ROW, unique=("student_number",))
    items = [
        ItemInput(
            key=row.values["student_number"],
            outcome=row.values["outcome"],
            reason=row.values.get("reason", ""),
            row=row.number,
        )
        for row in sheet.rows
        if row.values.get("student_number") and row.values.get("outcome")
    ]
    return ParsedItems(items, sheet.errors)


def graduation_year(batch: Batch) -> int:
    """The year a list's graduates graduate in: the end of its academic year."""
    return batch.term.academic_year.start_year + 1


class OutcomeItems(BatchItems):
    """毕业结论名单: one college's expected graduates of the year, each 毕业, 结业 or 肄业."""

    kind = KIND
    item_model = OutcomeItem
    outcomes = ListedOutcome
    outcome_label = "毕(结)业结论"
    key_label = "学号"
    key_path = "graduate.student.student_number"
    target_field = "graduate"
    action_prefix = "diploma.outcomes"
    columns = (
        ItemColumn(gettext_lazy("姓名"), "graduate.student.name"),
        ItemColumn(gettext_lazy("专业"), "graduate.major.name"),
        ItemColumn(gettext_lazy("毕业日期"), "graduate.graduation_date"),
        ItemColumn(gettext_lazy("当前结论"), "graduate.get_outcome_display"),
        ItemColumn(gettext_lazy("说明"), "reason", item_only=True),
    )
    texts = {
        "new": gettext_lazy("新建毕业结论名单"),
        "upload": gettext_lazy("上传毕业结论名单（教学系统毕业审核结果）"),
        "template": gettext_lazy("下载毕业结论名单模板（含本学院预计毕业生）"),
        "fill": gettext_lazy("加入本学院全部预计毕业生（结论默认为毕业）"),
        "approved": gettext_lazy("名单已审批通过，毕(结)业结论已确定"),
        "save": gettext_lazy("保存毕(结)业结论"),
        "reason": gettext_lazy("说明"),
    }

    def parse(self, content: bytes, file_name: str) -> ParsedItems:
        return parse_outcome_list(content, file_name)

    def _open(self, batch: Batch):
        """The college's expected graduates of the list's year whose outcome is still pending."""
        return ExpectedGraduate.objects.filter(
            college_id=batch.college_id,
            graduation_year=graduation_year(batch),
            outcome=GraduationOutcome.PENDING,
        )

    def template(self, user: User, batch: Batch) -> bytes:
        rows = (
            self._open(batch)
            .filter(college__in=College.objects.for_user(user))
            .exclude(pk__in=self.awaiting_elsewhere(batch))
            .select_related("student")
            .order_by("student__student_number")
        )
        header = [c.label for c in COLUMNS]
        body = ([g.student.student_number, g.student.name, "", ""] for g in rows)
        return self.template_sheet(header, body, _("毕业结论名单"), outcome_column=2)

    def candidates(self, user: User, batch: Batch, limit: int = 500) -> list[Any]:
        listed = OutcomeItem.objects.filter(batch=batch).values("graduate_id")
        return list(
            self._open(batch)
            .filter(college__in=College.objects.for_user(user))
            .exclude(pk__in=listed)
            .select_related("student", "major")
            .order_by("student__student_number")[:limit]
        )

    def candidate_key(self, candidate: ExpectedGraduate) -> str:
        return candidate.student.student_number or ""

    def check(self, batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, Any]]:
        """Each 学号 must be this college's expected graduate of the year, outcome still pending; never 待定."""
        found = {
            g.student.student_number: g
            for g in ExpectedGraduate.objects.filter(
                college_id=batch.college_id,
                graduation_year=graduation_year(batch),
                student__student_number__in=[i.key for i in items],
            ).select_related("student")
        }
        errors = []
        for item in items:
            graduate = found.get(item.key)
            if graduate is None:
                errors.append(
                    RowError(
                        item.row,
                        "学号",
                        _("本学院%(year)s届预计毕业生中没有学号为%(number)s的学生")
                        % {"year": graduation_year(batch), "number": item.key},
                    )
                )
            elif graduate.outcome != GraduationOutcome.PENDING:
                errors.append(
                    RowError(
                        item.row,
                        "毕(结)业结论",
                        _("%(name)s的毕(结)业结论已确定为“%(outcome)s”")
                        % {"name": graduate.student.name, "outcome": graduate.get_outcome_display()},
                    )
                )
        return errors, found

    def write(self, batch: Batch, items: list[ItemInput], targets: dict[str, Any], *, replace: bool) -> None:
        listed = OutcomeItem.objects.filter(batch=batch)
        if not replace:
            listed = listed.filter(graduate__in=[targets[i.key] for i in items])
        listed.delete()
        OutcomeItem.objects.bulk_create(
            [
                OutcomeItem(batch=batch, graduate=targets[i.key], outcome=i.outcome, reason=i.reason)
                for i in items
            ],
            batch_size=2000,
        )

    def fill(self, batch: Batch) -> int:
        """Every pending expected graduate of the college not yet in an open list, as 毕业."""
        in_lists = OutcomeItem.objects.exclude(batch__state=BatchState.APPROVED).values("graduate_id")
        pending = self._open(batch).exclude(pk__in=in_lists).values_list("pk", flat=True)
        created = OutcomeItem.objects.bulk_create(
            [OutcomeItem(batch=batch, graduate_id=pk, outcome=GraduationOutcome.GRADUATED) for pk in pending],
            batch_size=2000,
        )
        return len(created)

    def problems(self, batch: Batch) -> list[str]:
        return outcome_list_problems(batch)

    def apply(self, actor: User, batch: Batch, *, document_number: str) -> None:
        outcomes = dict(OutcomeItem.objects.filter(batch=batch).values_list("graduate_id", "outcome"))
        graduate_outcomes_apply(
            actor=actor, outcomes=outcomes, document_number=document_number, reason=str(batch)
        )


def outcome_list_problems(batch: Batch) -> list[str]:
    """Every problem of every item, on submission and on approval."""
    items = list(
        OutcomeItem.objects.filter(batch=batch)
        .order_by("graduate__student__student_number")
        .values_list(
            "graduate_id",
            "graduate__outcome",
            "graduate__college_id",
            "graduate__graduation_year",
            "graduate__student__student_number",
            "graduate__student__name",
        )
    )
    if not items:
        return [_("名单中没有学生")]
    elsewhere = set(
        OutcomeItem.objects.filter(
            batch__state=BatchState.SUBMITTED, graduate__in=[pk for pk, *_rest in items]
        )
        .exclude(batch=batch)
        .values_list("graduate_id", flat=True)
    )
    labels = dict(GraduationOutcome.choices)
    problems = []
    for pk, current, college_id, year, number, name in items:
        who = {"who": f"{number} {name}"}
        if college_id != batch.college_id:
            problems.append(_("%(who)s：不属于本学院") % who)
        if year != graduation_year(batch):
            problems.append(_("%(who)s：不是%(year)s届预计毕业生") % {**who, "year": graduation_year(batch)})
        if current != GraduationOutcome.PENDING:
            problems.append(
                _("%(who)s：毕(结)业结论已确定为“%(outcome)s”") % {**who, "outcome": labels[current]}
            )
        if pk in elsewhere:
            problems.append(_("%(who)s：已在另一份待审批的名单中") % who)
    return problems


OUTCOME_ITEMS = register(OutcomeItems())
