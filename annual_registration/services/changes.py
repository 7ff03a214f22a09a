"""学籍异动 and 学籍注销 (ANN-3 to ANN-6): filing a change, and its moves short of approval.

Every move goes through the transition engine (``registrar.transitions``): a
conditional UPDATE per group and one audit event per row, whether one case
moves or a whole list. Approval, which also moves the student, is in
``change_approval``; what a change may ask is in ``change_rules``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.change_kinds import DEFAULT_KIND_SETTINGS
from annual_registration.models import ChangeKindSetting, ChangeState, StatusChange
from annual_registration.models.changes import DECIDED_STATES
from annual_registration.services.change_rules import (
    ChangeInput,
    change_problems,
    iso_date,
    kind_label,
    kind_unavailable,
    lookups_for,
    open_change_of,
    open_change_refusal,
    placement_of,
    student_label,
)
from audit.services import EventSpec, audit_record, audit_record_many
from registrar.errors import DomainError
from registrar.models import School, Student, User
from registrar.roles import can_write
from registrar.transitions import Hook, Machine, Move, apply_moves, lock_rows, may_fire, transition_label

# ---------------------------------------------------------------- the engine's view of a case


class ChangeHook(Hook):
    """An approval's event carries each field's value before and after (issue 11, item 3)."""

    def event_after(self, row: Any, after: dict[str, Any]) -> dict[str, Any]:
        if after.get("state") == ChangeState.APPROVED:
            return {**after, "values_before": row.values_before, "values_after": row.values_after}
        return after


CHANGES = Machine(
    model=StatusChange,
    field="state",
    columns=("student_id", "college_id", "kind", "batch_id", "reason", "values_before", "values_after"),
    describe=lambda row: (
        _("学生%(id)s的%(kind)s") % {"id": row.student_id or "", "kind": kind_label(row.kind)}
    ),
    action_prefix="annual_registration.change",
    quiet=("submitted_at", "decided_at", "reported_at", "decided_by_id"),
    conflict=gettext_lazy("部分学籍异动已被他人处理，请刷新后重试"),
    hook=ChangeHook(),
)


# ---------------------------------------------------------------- filing


@transaction.atomic
def status_change_file(*, actor: User, student_id: int, given: ChangeInput) -> StatusChange:
    """提出学籍异动 (ANN-4, ANN-5): a draft the college submits; refused with every reason at once.

    Refused: a second open change of the same student, a kind the student's
    status does not allow (复学 for someone not suspended), a transfer-in
    without the source school, a kind this school does not use (学分制).
    """
    if not can_write(actor):
        raise PermissionDenied(_("无权提出学籍异动"))
    student = Student.objects.for_user(actor).filter(pk=student_id).first()
    if student is None:
        raise Student.DoesNotExist(_("学生不存在"))
    setting = ChangeKindSetting.objects.filter(kind=given.kind).first()
    unavailable = kind_unavailable(setting, School.current())
    if unavailable:
        raise DomainError(unavailable)
    majors, colleges = lookups_for([given], [student])
    problems, after = change_problems(setting, student, given, majors=majors, colleges=colleges)
    open_change = open_change_of([student.pk]).get(student.pk)
    if open_change is not None:
        problems.insert(0, open_change_refusal(open_change))
    if problems:
        raise DomainError(
            _("%(who)s：%(problems)s") % {"who": student_label(student), "problems": "；".join(problems)}
        )
    before = placement_of(student)
    try:
        with transaction.atomic():
            change = StatusChange.objects.create(
                student=student,
                college_id=student.college_id,
                kind=setting.kind,
                reason=given.reason.strip(),
                period_start=given.period_start if setting.needs_period else None,
                period_end=given.period_end if setting.needs_period else None,
                other_school=given.other_school.strip() if setting.needs_other_school else "",
                values_before={name: before[name] for name in after},
                values_after=after,
                created_by=actor,
            )
    except IntegrityError as exc:
        # Another filing for the same student committed meanwhile: the database holds one open change.
        raise DomainError(_("该学生已有一项未办结的学籍异动")) from exc
    audit_record(
        actor=actor,
        action="annual_registration.change.file",
        subject=change,
        after=_filed(change),
        reason=change.reason,
        student_id=student.pk,
        college_id=student.college_id,
    )
    return change


def _filed(change: StatusChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "values_after": change.values_after,
        "period_start": iso_date(change.period_start),
        "period_end": iso_date(change.period_end),
        "other_school": change.other_school,
    }


@transaction.atomic
def status_change_update(*, actor: User, change_id: int, given: ChangeInput) -> StatusChange:
    """修改 a draft or returned change before it is submitted again; the kind stays (file another to change it)."""
    change = change_for_update(actor, change_id)
    if change.state not in (ChangeState.DRAFT, ChangeState.RETURNED) or change.batch_id:
        raise DomainError(_("只能修改草稿或已退回的学籍异动"))
    if not can_write(actor) or given.kind != change.kind:
        raise DomainError(_("异动类别不能修改；请撤回后重新提出"))
    student = Student.objects.get(pk=change.student_id)
    setting = ChangeKindSetting.objects.get(kind=change.kind)
    majors, colleges = lookups_for([given], [student])
    problems, after = change_problems(setting, student, given, majors=majors, colleges=colleges)
    if problems:
        raise DomainError("；".join(problems))
    before_event = _filed(change)
    placement = placement_of(student)
    StatusChange.objects.filter(pk=change.pk).update(
        reason=given.reason.strip(),
        period_start=given.period_start if setting.needs_period else None,
        period_end=given.period_end if setting.needs_period else None,
        other_school=given.other_school.strip() if setting.needs_other_school else "",
        values_before={name: placement[name] for name in after},
        values_after=after,
    )
    change.refresh_from_db()
    audit_record(
        actor=actor,
        action="annual_registration.change.update",
        subject=change,
        before=before_event,
        after=_filed(change),
        reason=change.reason,
    )
    return change


# ---------------------------------------------------------------- single moves


def change_for_update(actor: User, change_id: int) -> StatusChange:
    """The change, locked, if ``actor`` may see it; another college's change does not exist for them."""
    if not StatusChange.objects.for_user(actor).filter(pk=change_id).exists():
        raise StatusChange.DoesNotExist(_("学籍异动不存在"))
    return lock_rows(CHANGES, [change_id], full=True)[change_id]


def _move_one(
    actor: User, change_id: int, name: str, *, reason: str = "", date=None, document_number=""
) -> StatusChange:
    if not may_fire(actor, StatusChange(), name):
        raise PermissionDenied(_("无权%(action)s") % {"action": transition_label(StatusChange, name)})
    change = change_for_update(actor, change_id)
    if change.batch_id and name in ("submit", "withdraw", "approve", "send_back"):
        raise DomainError(_("名单中的学籍异动随名单提交和审批"))
    apply_moves(
        CHANGES, [Move(change, name, reason=reason, date=date)], actor=actor, document_number=document_number
    )
    return change


@transaction.atomic
def status_change_submit(*, actor: User, change_id: int) -> StatusChange:
    """提交教务处: the college's draft (or returned change) goes to the registrar."""
    return _move_one(actor, change_id, "submit")


@transaction.atomic
def status_change_withdraw(*, actor: User, change_id: int) -> StatusChange:
    """撤回: a draft or returned change is dropped; the student may have another."""
    return _move_one(actor, change_id, "withdraw")


@transaction.atomic
def status_change_return(*, actor: User, change_id: int, comment: str) -> StatusChange:
    """退回学院, with the registrar's reason."""
    if not comment.strip():
        raise DomainError(_("退回时请填写意见"))
    return _move_one(actor, change_id, "send_back", reason=comment.strip())


@transaction.atomic
def status_change_report_many(*, actor: User, change_ids: Sequence[int]) -> int:
    """标注完成: approved changes marked done on the national platform (ANN-5, ANN-6), set-based."""
    if not may_fire(actor, StatusChange(), "report"):
        raise PermissionDenied(_("只有教务处可以标注学信网办理情况"))
    visible = list(
        StatusChange.objects.for_user(actor).filter(pk__in=list(change_ids)).values_list("pk", flat=True)
    )
    if len(visible) != len(set(change_ids)):
        raise StatusChange.DoesNotExist(_("学籍异动不存在"))
    rows = lock_rows(CHANGES, visible)
    apply_moves(CHANGES, [Move(rows[pk], "report") for pk in sorted(rows)], actor=actor)
    return len(rows)


@transaction.atomic
def status_change_extend_period(
    *, actor: User, change_id: int, period_end: datetime.date, reason: str, document_number: str = ""
) -> StatusChange:
    """延长休学（保留学籍）期限: the registrar settles a period's case by a new end (issue 11, item 4)."""
    if not may_fire(actor, StatusChange(), "extend_period"):
        raise PermissionDenied(_("只有教务处可以延长期限"))
    if not reason.strip():
        raise DomainError(_("请填写延长原因"))
    change = change_for_update(actor, change_id)
    if change.period_end is None or change.period_closed_on is not None:
        raise DomainError(_("只有尚未办结的休学或保留学籍可以延长期限"))
    if period_end <= max(change.period_end, timezone.localdate()):
        raise DomainError(_("新的截止日期应晚于原截止日期和今天"))
    apply_moves(
        CHANGES,
        [Move(change, "extend_period", reason=reason.strip(), date=period_end)],
        actor=actor,
        document_number=document_number,
    )
    return change


# ---------------------------------------------------------------- what each kind does


@transaction.atomic
def kind_settings_seed(*, actor: User | None = None) -> list[ChangeKindSetting]:
    """异动类别设置初始化 (ANN-4, ANN-5): the missing kinds with their defaults; edited rows stay as they are.

    The data migration seeded them; this puts back what a database emptied since lacks.
    """
    existing = set(ChangeKindSetting.objects.values_list("kind", flat=True))
    created = ChangeKindSetting.objects.bulk_create(
        ChangeKindSetting(**values) for values in DEFAULT_KIND_SETTINGS if values["kind"] not in existing
    )
    audit_record_many(
        [
            EventSpec(
                action=f"{ChangeKindSetting._meta.label_lower}.create",
                subject=setting,
                actor=actor,
                after={"kind": setting.kind, "transition": setting.transition, "enabled": setting.enabled},
                reason="初始化异动类别设置",
            )
            for setting in created
        ]
    )
    return created


# ---------------------------------------------------------------- periods that end (issue 11, item 4)

LAPSED_REASON = "休学或保留学籍期满未办理复学（恢复学籍），待教务处处理：延长期限、复学或学籍处理"


@transaction.atomic
def status_changes_lapse(*, today: datetime.date | None = None) -> int:
    """期满未复学 → a case for the registrar, never an automatic 退学; returns how many were opened.

    Every decided 休学 or 保留学籍 whose end has passed without 复学 (恢复学籍)
    is marked ``period_lapsed_on`` (set-based, one audit event each) and shows
    in the registrar's list of periods to settle. Run daily; marks each once.
    """
    today = today or timezone.localdate()
    ids = StatusChange.objects.filter(
        state__in=DECIDED_STATES,
        period_end__lt=today,
        period_closed_on__isnull=True,
        period_lapsed_on__isnull=True,
    ).values_list("pk", flat=True)
    rows = lock_rows(CHANGES, ids)
    moves = [Move(rows[pk], "lapse", reason=LAPSED_REASON, date=today) for pk in sorted(rows)]
    apply_moves(CHANGES, moves, actor=None)
    return len(moves)
