"""Single-record decisions: deferral, 复查, corrections, the student's confirmation, first passwords."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import EventSpec, audit_record, audit_record_many
from enrollment.models import (
    AdmissionRecord,
    AdmissionState,
    ReviewItem,
)
from enrollment.services.transitions import Step, admission_apply_steps, lock_records
from registrar.models import Term, User
from registrar.roles import is_registrar
from registrar.services import DomainError, student_change_status
from registrar.transitions import declared_names, may_fire, transition_label

# One record's decisions, as their declarations mark them (``custom={"decision": …}``): those of
# the record page and the API, and 复查合格. Registration is not among them: a 学籍 is registered
# only by an approved review list (ENR-2); 取消学籍 goes with the student's status (admission_rereview).
# The decisions that carry a deferral's end date (ENR-4).
DATED_TRANSITIONS = {"defer", "defer_for_health", "extend_deferral"}
SINGLE_TRANSITIONS = {*declared_names(AdmissionRecord, decision="record"), "pass_rereview"}


def record_for_update(actor: User | None, record_id: int) -> AdmissionRecord:
    if actor is not None and not AdmissionRecord.objects.for_user(actor).filter(pk=record_id).exists():
        raise AdmissionRecord.DoesNotExist(_("录取数据不存在"))
    return lock_records([record_id], full=True)[record_id]


def entering_term_start(day: datetime.date) -> datetime.date:
    """The start of the term a freshman readmitted on ``day`` enters: the term whose start is nearest (ENR-4).

    A readmission decided in August enters September's term; one decided a week into a term enters it.
    Without terms on record, the day itself.
    """
    window = datetime.timedelta(days=200)
    starts = Term.objects.filter(start_date__range=(day - window, day + window)).values_list(
        "start_date", flat=True
    )
    return min(starts, key=lambda start: abs((start - day).days), default=day)


@transaction.atomic
def admission_transition(
    *,
    actor: User | None,
    record_id: int,
    transition: str,
    reason: str,
    document_number: str = "",
    deferral_end: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> AdmissionRecord:
    """录取状态变更 (ENR-2, ENR-3, ENR-4, ENR-5): one record by one declared transition, by the registrar.

    The transition must be available from the record's current state (no
    hidden intermediate step). A deferral ends after ``decided_on`` (today,
    unless a decision of an earlier day is being recorded). After registration
    only a health deferral is possible (ENR-5): it needs the diagnosis (文号) and
    an end date, and the student's 学籍 ends with it.
    """
    if transition not in SINGLE_TRANSITIONS:
        raise DomainError(_("未知的录取状态变更：%(transition)s") % {"transition": transition})
    if actor is not None and not may_fire(actor, AdmissionRecord(), transition):
        raise PermissionDenied(_("只有教务处可以变更录取状态"))
    if not reason.strip():
        raise DomainError(_("请填写原因"))
    if deferral_end is not None and transition not in DATED_TRANSITIONS:
        raise DomainError(_("只有保留入学资格才填写截止日期"))
    if transition == "extend_deferral" and deferral_end is None:
        raise DomainError(_("延长保留入学资格须填写新的截止日期"))
    if deferral_end is not None and deferral_end <= (decided_on or timezone.localdate()):
        raise DomainError(_("保留入学资格截止日期应晚于今天"))
    if transition == "defer_for_health":
        _check_health_deferral(document_number, deferral_end)
    record = record_for_update(actor, record_id)
    if transition == "defer" and record.state == AdmissionState.REGISTERED:
        raise DomainError(
            _(
                "%(record)s已注册学籍：注册后只有复查发现身心状况不宜在校学习、经二级甲等以上医院诊断的，"
                "方可保留入学资格（因病保留入学资格）"
            )
            % {"record": record}
        )
    if not can_proceed(getattr(record, transition)):
        raise DomainError(
            _("%(record)s当前为“%(state)s”，不能%(action)s")
            % {
                "record": record,
                "state": record.get_state_display(),
                "action": transition_label(AdmissionRecord, transition),
            }
        )
    if transition == "pass_rereview" and record.rereview_passed_on is not None:
        raise DomainError(
            _("%(record)s已于%(day)s登记复查合格") % {"record": record, "day": record.rereview_passed_on}
        )
    entered_on = None
    if transition == "readmit":
        entered_on = entering_term_start(decided_on or timezone.localdate())
    if transition == "defer" and deferral_end is None:
        from enrollment.services.review import default_deferral_end

        deferral_end = default_deferral_end()
    admission_apply_steps(
        actor=actor,
        steps=[
            Step(
                record=record,
                transition=transition,
                reason=reason,
                deferral_end=deferral_end,
                rereview_on=timezone.localdate() if transition == "pass_rereview" else None,
                entered_on=entered_on,
            )
        ],
        document_number=document_number,
    )
    if transition == "defer_for_health" and record.student_id:
        # No 学籍 while deferred (ENR-4): the student's status follows, with the same diagnosis.
        student_change_status(
            actor=actor,
            student_id=record.student_id,
            transition="defer_admission",
            reason=reason,
            document_number=document_number,
        )
    return record


def _check_health_deferral(diagnosis: str, deferral_end: datetime.date | None) -> None:
    """因病保留入学资格 (ENR-5): the hospital's diagnosis (its number as 文号) and the end of the deferral."""
    if not diagnosis.strip():
        raise DomainError(_("因病保留入学资格须填写二级甲等以上医院诊断证明的编号（文号）"))
    if deferral_end is None:
        raise DomainError(_("因病保留入学资格须填写保留入学资格截止日期"))


@transaction.atomic
def admission_rereview(
    *, actor: User, record_id: int, passed: bool, reason: str, document_number: str = ""
) -> AdmissionRecord:
    """入学资格复查 (ENR-5): within 3 months of entry; fraud cancels the 学籍 (取消学籍, SEC-4)."""
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以登记复查结论"))
    if not passed and not reason.strip():
        raise DomainError(_("复查不合格须填写原因"))
    if passed:
        return admission_transition(
            actor=actor,
            record_id=record_id,
            transition="pass_rereview",
            reason=reason,
            document_number=document_number,
        )
    if not document_number.strip():
        raise DomainError(_("取消学籍须有处理决定文号"))
    record = record_for_update(actor, record_id)
    admission_apply_steps(
        actor=actor,
        steps=[Step(record=record, transition="revoke", reason=reason)],
        document_number=document_number,
        action_prefix="enrollment.rereview",
    )
    if record.student_id:
        student_change_status(
            actor=actor,
            student_id=record.student_id,
            transition="deregister",
            reason=f"入学资格复查不合格，取消学籍：{reason}",
            document_number=document_number,
            action="enrollment.rereview.status_cancelled",
        )
    return record


@transaction.atomic
def admission_clear_conflict(*, actor: User, record_id: int, reason: str) -> AdmissionRecord:
    """重名重号核清 (ENR-9): the other school confirmed; the record may now be registered."""
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以核清重名重号"))
    record = record_for_update(actor, record_id)
    if not record.identity_conflict:
        raise DomainError(_("该记录没有重名重号标记"))
    AdmissionRecord.objects.filter(pk=record.pk).update(identity_conflict=False)
    record.identity_conflict = False
    audit_record(
        actor=actor,
        action="enrollment.admission.clear_conflict",
        subject=record,
        before={"identity_conflict": True},
        after={"identity_conflict": False},
        reason=reason,
    )
    return record


LAPSED_REASON = "保留入学资格期满未申请入学，待教务处认定：有不可抗力等正当理由的延长保留，否则视为放弃"


@transaction.atomic
def admission_open_lapsed_deferrals(*, actor: User | None = None, today: datetime.date | None = None) -> int:
    """保留入学资格期满未申请入学 → a case the registrar decides (ENR-4); returns how many were opened.

    Lateness without a just cause (such as force majeure) is treated as 放弃, but only the registrar can
    tell: each record is marked ``deferral_lapsed_on`` (set-based, one audit event each) and waits for
    a decision on its page, 放弃入学资格 or 正当理由延长保留. Records in an open list, or already
    marked, are left alone.
    """
    today = today or timezone.localdate()
    open_items = ReviewItem.objects.exclude(batch__state__in=["approved"]).values("record")
    ids = list(
        AdmissionRecord.objects.filter(
            state=AdmissionState.DEFERRED, deferral_end__lt=today, deferral_lapsed_on__isnull=True
        )
        .exclude(pk__in=open_items)
        .values_list("pk", flat=True)
    )
    records = lock_records(ids)
    AdmissionRecord.objects.filter(pk__in=list(records)).update(deferral_lapsed_on=today)
    audit_record_many(
        [
            EventSpec(
                action="enrollment.deferral.lapsed",
                subject=(AdmissionRecord._meta.label_lower, pk),
                actor=actor,
                before={"deferral_lapsed_on": None},
                after={"deferral_lapsed_on": today.isoformat()},
                reason=LAPSED_REASON,
                college_id=row.college_id,
                student_id=row.student_id,
            )
            for pk, row in sorted(records.items())
        ]
    )
    return len(records)


@transaction.atomic
def admission_rereview_pass_many(
    *, actor: User, record_ids: list[int], reason: str = "入学资格复查合格"
) -> int:
    """入学资格复查合格（批量） (ENR-5): set-based, one audit event per record; returns how many.

    Records whose 复查 is already recorded keep their first date and are not counted.
    """
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以登记复查结论"))
    visible = set(
        AdmissionRecord.objects.for_user(actor)
        .filter(pk__in=record_ids, rereview_passed_on__isnull=True)
        .values_list("pk", flat=True)
    )
    records = lock_records(sorted(visible))
    today = timezone.localdate()
    steps = [
        Step(record=records[pk], transition="pass_rereview", reason=reason, rereview_on=today)
        for pk in sorted(records)
    ]
    admission_apply_steps(actor=actor, steps=steps, action_prefix="enrollment.rereview")
    return len(steps)
