"""学年注册名单: a college's 注册学籍 and 暂缓注册 list, on the core's batch workflow (ANN-1 to ANN-3, ANN-10).

The page, the API, submission, approval and return are the core's
(``registrar.batches``); this module is what an annual list holds: this
year's registrations of one college's students, each to register or defer.
Approval moves them all set-based through ``registrar.transitions``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.blockers import BLOCKERS, Blocker, blockers_of, with_blockers
from annual_registration.models import (
    AnnualItem,
    AnnualOutcome,
    AnnualRegistration,
    AnnualState,
    DeferralReason,
)
from registrar.batch_kinds import BatchItems, ItemColumn, ItemInput, ParsedItems, register
from registrar.models import Batch, BatchKind, BatchState, User
from registrar.sheets.cells import code_table, student_number
from registrar.sheets.tables import Column, RowError, parse_sheet, row_checker
from registrar.sql import collector_paused
from registrar.transitions import Hook, Machine, Move, apply_moves

KIND = BatchKind.ANNUAL_REGISTRATION

# The states from which each outcome applies (the declarations' sources of register / defer).
OUTCOME_TRANSITION = {AnnualOutcome.REGISTER: "register", AnnualOutcome.DEFER: "defer"}
OUTCOME_SOURCES = {
    AnnualOutcome.REGISTER: {AnnualState.PENDING, AnnualState.DEFERRED},
    AnnualOutcome.DEFER: {AnnualState.PENDING},
}

# ---------------------------------------------------------------- the sheet

COLUMNS: tuple[Column, ...] = (
    Column("student_number", "XH", "学号", required=True, max_length=20),
    Column("name", "XM", "姓名", max_length=50),
    Column("outcome", "ZCJL", "注册结论", aliases=("结论",), required=True, max_length=10),
    Column("deferral_reason", "HZYY", "暂缓原因", max_length=10),
    Column("reason", "SM", "说明", aliases=("备注",), max_length=200),
)


CHECK_ROW = row_checker(
    COLUMNS,
    {
        "student_number": student_number,
        "outcome": code_table(
            AnnualOutcome, gettext_lazy("注册结论"), names={"注册": "register", "暂缓": "defer"}
        ),
        "deferral_reason": code_table(
            DeferralReason, gettext_lazy("暂缓原因"), names={"欠费": "fees_unpaid"}
        ),
    },
    multiline=frozenset({"reason"}),
    free_text=frozenset({"name", "reason"}),
)


def parse_annual_list(content: bytes, file_name: str) -> ParsedItems:
    """学年注册名单 sheet → items and every error of the file (a 学号 twice is one)."""
    sheet = parse_sheet(content, file_name, columns=COLUMNS, check=CHECK_ROW, unique=("student_number",))
    items = [
        ItemInput(
            key=row.values["student_number"],
            outcome=row.values["outcome"],
            reason=row.values.get("reason", ""),
            row=row.number,
            extra={"deferral_reason": row.values.get("deferral_reason", "")},
        )
        for row in sheet.rows
        if row.values.get("student_number") and row.values.get("outcome")
    ]
    return ParsedItems(items, sheet.errors)


# ---------------------------------------------------------------- approval, set-based


class AnnualHook(Hook):
    """A deferral writes its reason with the state, each row its own (ANN-3)."""

    def row_columns(self, source: str, target: str) -> tuple[str, ...]:
        return ("deferral_reason", "reason") if target == AnnualState.DEFERRED else ()

    def event_after(self, row: Any, after: dict[str, Any]) -> dict[str, Any]:
        if after.get("state") == AnnualState.DEFERRED:
            return {**after, "deferral_reason": row.deferral_reason, "reason": row.reason}
        return after


ANNUAL = Machine(
    model=AnnualRegistration,
    field="state",
    columns=("student_id", "college_id", "academic_year_id", "deferral_reason", "reason"),
    describe=lambda row: _("学生%(id)s的学年注册") % {"id": row.student_id},
    action_prefix="annual_registration.registration",
    quiet=("state_changed_at",),
    conflict=gettext_lazy("部分学年注册已被他人处理，请刷新后重试"),
    hook=AnnualHook(),
)


@collector_paused()
def _apply(actor: User, batch: Batch, *, document_number: str) -> None:
    """审批通过: every student registered or deferred as the list says, one UPDATE per group, one event each.

    The registrations are those approval's check read and locked a moment before
    (``annual_list_problems``), in the same transaction: the list is read once, not twice.
    """
    items = batch.__dict__.pop(CHECKED, None) or _listed(batch, lock=True)
    rows = {}
    for item in items:
        deferred = item.outcome == AnnualOutcome.DEFER
        rows[item.pk] = ANNUAL.row_class(
            item.pk,
            item.state,
            item.student_id,
            item.college_id,
            item.academic_year_id,
            item.deferral_reason if deferred else "",
            item.reason if deferred else "",
        )
    with translation.override("zh-hans"):
        labels = {o.value: f"{batch}：{o.label}" for o in AnnualOutcome}
    moves = [
        Move(rows[item.pk], OUTCOME_TRANSITION[item.outcome], reason=item.reason or labels[item.outcome])
        for item in items
    ]
    apply_moves(ANNUAL, moves, actor=actor, document_number=document_number)


# ---------------------------------------------------------------- the kind


class AnnualItems(BatchItems):
    """学年注册名单: this year's registrations of one college's students, each 注册学籍 or 暂缓注册."""

    kind = KIND
    item_model = AnnualItem
    outcomes = AnnualOutcome
    outcome_label = "注册结论"
    reasoned_outcomes = frozenset({AnnualOutcome.DEFER})
    reason_label = "暂缓原因"
    target_field = "registration"
    reason_message = gettext_lazy("暂缓注册须填写暂缓原因或说明")
    exception_outcomes = (AnnualOutcome.DEFER,)
    key_label = "学号"
    key_path = "registration.student.student_number"
    action_prefix = "annual_registration.list"
    columns = (
        ItemColumn(gettext_lazy("姓名"), "registration.student.name"),
        ItemColumn(gettext_lazy("专业"), "registration.student.major.name"),
        ItemColumn(gettext_lazy("年级"), "registration.student.grade"),
        ItemColumn(gettext_lazy("注册状态"), "registration.get_state_display"),
        ItemColumn(gettext_lazy("暂缓原因"), "get_deferral_reason_display", item_only=True),
    )
    texts = {
        "new": gettext_lazy("新建学年注册名单"),
        "upload": gettext_lazy("上传学年注册名单"),
        "template": gettext_lazy("下载学年注册名单模板（含本学院待注册学生及缴费情况）"),
        "fill": gettext_lazy("加入本学院待注册的学生（按缴费情况建议结论）"),
        "approved": gettext_lazy("名单已审批通过，学年注册已完成"),
        "save": gettext_lazy("保存注册结论"),
        "reason": gettext_lazy("说明（暂缓注册必填）"),
    }

    def parse(self, content: bytes, file_name: str) -> ParsedItems:
        return parse_annual_list(content, file_name)

    def _open(self, batch: Batch):
        """This year's registrations of the batch's college that a list may still register or defer."""
        return AnnualRegistration.objects.filter(
            college_id=batch.college_id,
            academic_year_id=batch.term.academic_year_id,
            state__in=[AnnualState.PENDING, AnnualState.DEFERRED],
        )

    def template(self, user: User, batch: Batch) -> bytes:
        rows = with_blockers(
            self._open(batch)
            .filter(college__in=_colleges(user))
            .exclude(pk__in=self.awaiting_elsewhere(batch))
            .select_related("student")
        ).order_by("student__student_number")
        header = [c.label for c in COLUMNS] + [_("阻碍注册（仅供参考，上传时不读）")]
        body = (
            [
                r.student.student_number,
                r.student.name,
                str(AnnualOutcome.DEFER.label if r.blocked_fees else AnnualOutcome.REGISTER.label),
                str(DeferralReason.FEES_UNPAID.label) if r.blocked_fees else "",
                "",
                "；".join(str(b.label) for b in blockers_of(r)),
            ]
            for r in rows
        )
        reasons = [str(label) for label in DeferralReason.labels]
        return self.template_sheet(header, body, _("学年注册名单"), outcome_column=2, choices={3: reasons})

    def candidates(self, user: User, batch: Batch, limit: int = 500) -> list[Any]:
        listed = AnnualItem.objects.filter(batch=batch).values("registration_id")
        return list(
            self._open(batch)
            .filter(college__in=_colleges(user))
            .exclude(pk__in=listed)
            .exclude(pk__in=self.awaiting_elsewhere(batch))
            .select_related("student__major")
            .order_by("student__student_number")[:limit]
        )

    def candidate_key(self, candidate: AnnualRegistration) -> str:
        return candidate.student.student_number or ""

    def check(self, batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, Any]]:
        """Each 学号 must be this college's student with this year's registration open to the outcome."""
        found = {
            r.student.student_number: r
            for r in AnnualRegistration.objects.filter(
                college_id=batch.college_id,
                academic_year_id=batch.term.academic_year_id,
                student__student_number__in=[i.key for i in items],
            ).select_related("student")
        }
        errors = []
        for item in items:
            registration = found.get(item.key)
            if registration is None:
                errors.append(
                    RowError(
                        item.row,
                        "学号",
                        _("本学院本学年没有学号为%(number)s的学年注册") % {"number": item.key},
                    )
                )
            elif registration.state not in OUTCOME_SOURCES[item.outcome]:
                errors.append(
                    RowError(
                        item.row,
                        "注册结论",
                        _("%(name)s当前为“%(state)s”，不能%(outcome)s")
                        % {
                            "name": registration.student.name,
                            "state": registration.get_state_display(),
                            "outcome": AnnualOutcome(item.outcome).label,
                        },
                    )
                )
        return errors, found

    def has_reason(self, item: ItemInput) -> bool:
        """A deferral's reason is its coded 暂缓原因 or a written one (ANN-3)."""
        return bool(item.extra.get("deferral_reason") or item.reason.strip())

    def as_input(self, item: AnnualItem) -> ItemInput:
        return dataclasses.replace(super().as_input(item), extra={"deferral_reason": item.deferral_reason})

    def write(self, batch: Batch, items: list[ItemInput], targets: dict[str, Any], *, replace: bool) -> None:
        listed = AnnualItem.objects.filter(batch=batch)
        if not replace:
            listed = listed.filter(registration__in=[targets[i.key] for i in items])
        listed.delete()
        AnnualItem.objects.bulk_create(
            [
                AnnualItem(
                    batch=batch,
                    registration=targets[i.key],
                    outcome=i.outcome,
                    deferral_reason=(i.extra.get("deferral_reason") or DeferralReason.OTHER)
                    if i.outcome == AnnualOutcome.DEFER
                    else "",
                    reason=i.reason,
                )
                for i in items
            ],
            batch_size=2000,
        )

    def fill(self, batch: Batch) -> int:
        """Everyone of the college still to register, not yet in an open list, with the outcome their blockers allow.

        注册学籍 when nothing blocks; 暂缓注册 for unpaid fees (ANN-10), or for another blocker the
        college may still explain (an open status change, missing basic data), which it names; left
        out, whoever no list may register (休学, 保留学籍, a 学籍 ended): their status settles the year.
        """
        in_lists = AnnualItem.objects.exclude(batch__state=BatchState.APPROVED).values("registration_id")
        flags = [f"blocked_{b.code}" for b in BLOCKERS]
        rows = with_blockers(self._open(batch).exclude(pk__in=in_lists)).values_list("pk", *flags)
        items = []
        for pk, *on in rows:
            blockers = [b for b, blocked in zip(BLOCKERS, on, strict=True) if blocked]
            if any(not b.deferrable for b in blockers):
                continue
            others = [str(b.label) for b in blockers if b.code != "fees"]
            if not blockers:
                items.append(AnnualItem(batch=batch, registration_id=pk, outcome=AnnualOutcome.REGISTER))
            else:
                unpaid = len(others) < len(blockers)
                items.append(
                    AnnualItem(
                        batch=batch,
                        registration_id=pk,
                        outcome=AnnualOutcome.DEFER,
                        deferral_reason=DeferralReason.FEES_UNPAID if unpaid else DeferralReason.OTHER,
                        reason="；".join(others)[:200],
                    )
                )
        return len(AnnualItem.objects.bulk_create(items, batch_size=2000))

    def problems(self, batch: Batch) -> list[str]:
        return annual_list_problems(batch)

    def apply(self, actor: User, batch: Batch, *, document_number: str) -> None:
        _apply(actor, batch, document_number=document_number)


def _colleges(user: User):
    from registrar.models import College

    return College.objects.for_user(user)


class Listed(NamedTuple):
    """One item of a list with what its checks read: the registration, the student, the blockers."""

    pk: int  # the registration's
    outcome: str
    deferral_reason: str
    reason: str
    state: str
    student_id: int
    college_id: int
    academic_year_id: int
    student_number: str
    name: str
    blockers: list[Blocker]


# Where approval's check leaves the rows it read and locked, for the apply that follows in its transaction.
CHECKED = "_annual_items_checked"


@collector_paused()
def _listed(batch: Batch, *, lock: bool) -> list[Listed]:
    """Every item of the list with its registration, student and blockers: one query (ANN-9, ANN-10).

    With ``lock`` (approval) the registrations are locked in primary-key order, as the
    transition engine locks rows, and read as they are once locked.
    """
    flags = [f"blocked_{b.code}" for b in BLOCKERS]
    registrations = AnnualRegistration.objects.filter(items__batch=batch)
    if lock:
        registrations = registrations.select_for_update(of=("self",))
    rows = (
        with_blockers(registrations)
        .order_by("pk")
        .values_list(
            "pk",
            "items__outcome",
            "items__deferral_reason",
            "items__reason",
            "state",
            "student_id",
            "college_id",
            "academic_year_id",
            "student__student_number",
            "student__name",
            *flags,
        )
    )
    width = len(Listed._fields) - 1
    return [
        Listed(*row[:width], [b for b, on in zip(BLOCKERS, row[width:], strict=True) if on]) for row in rows
    ]


def annual_list_problems(batch: Batch) -> list[str]:
    """Every problem of every item, on submission and on approval: states, blockers, other lists (ANN-9, ANN-10).

    On approval (the list is submitted) the registrations are locked as they are read, and
    kept on the batch for ``_apply``, which follows in the same transaction.
    """
    approving = batch.state == BatchState.SUBMITTED
    items = _listed(batch, lock=approving)
    if not items:
        return [_("名单中没有学生")]
    if approving:
        batch.__dict__[CHECKED] = items
    elsewhere = set(
        AnnualItem.objects.filter(
            batch__state=BatchState.SUBMITTED,
            registration__in=AnnualItem.objects.filter(batch=batch).values("registration_id"),
        )
        .exclude(batch=batch)
        .values_list("registration_id", flat=True)
    )
    labels, outcome_labels = dict(AnnualState.choices), dict(AnnualOutcome.choices)
    problems = []
    for item in sorted(items, key=lambda item: item.student_number or ""):
        who = {"who": f"{item.student_number} {item.name}"}
        if item.college_id != batch.college_id:
            problems.append(_("%(who)s：不属于本学院") % who)
        if item.academic_year_id != batch.term.academic_year_id:
            problems.append(_("%(who)s：不是本学年的注册") % who)
        if item.state not in OUTCOME_SOURCES[item.outcome]:
            problems.append(
                _("%(who)s：当前为“%(state)s”，不能%(outcome)s")
                % {**who, "state": labels[item.state], "outcome": outcome_labels[item.outcome]}
            )
        if item.pk in elsewhere:
            problems.append(_("%(who)s：已在另一份待审批的名单中") % who)
        if item.outcome == AnnualOutcome.REGISTER:
            problems.extend(_("%(who)s：%(blocker)s") % {**who, "blocker": b.label} for b in item.blockers)
        elif not (item.deferral_reason or item.reason):
            problems.append(_("%(who)s：暂缓注册须填写暂缓原因或说明") % who)
    return problems


ANNUAL_ITEMS = register(AnnualItems())
