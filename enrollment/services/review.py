"""入学资格审查名单: colleges fill and submit review lists, the registrar approves or returns them.

(ENR-2, ENR-3, ENR-4, ENR-6, ENR-8, ENR-9)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from enrollment.imports import ParsedSheet, RowError
from enrollment.models import AdmissionRecord, CorrectionState, ReviewItem, ReviewOutcome
from enrollment.services.transitions import (
    OUTCOME_TRANSITION,
    Step,
    admission_apply_steps,
    lock_records,
    path_to,
)
from enrollment.tasks import batch_decided
from registrar import batches, codes
from registrar.models import Batch, BatchKind, BatchState, College, School, Student, Term, User
from registrar.roles import is_college_staff, is_registrar
from registrar.services import DomainError

KIND = BatchKind.FRESHMAN_REVIEW


def default_deferral_end(today: datetime.date | None = None) -> datetime.date:
    """保留入学资格 ends after the school's period, one year by default (ENR-4)."""
    school = School.current()
    months = school.deferral_months if school else 12
    return (today or timezone.localdate()) + relativedelta(months=months)


def review_batch_create(*, actor: User, college: College, term: Term, title: str = "") -> Batch:
    """新建入学资格审查名单 (ENR-2)."""
    return batches.batch_create(actor=actor, kind=KIND, college=college, term=term, title=title)


@dataclass(frozen=True)
class ItemInput:
    exam_number: str
    outcome: str
    deferral_end: datetime.date | None = None
    reason: str = ""
    row: int = 0  # the file row, when it came from a sheet


def _editable_batch(actor: User, batch_id: int) -> Batch:
    batch = batches.batch_for_update(actor=actor, batch_id=batch_id, kind=KIND)
    if batch.state not in (BatchState.DRAFT, BatchState.RETURNED):
        raise batches.BatchConflict(f"名单当前状态为“{batch.get_state_display()}”，不能修改")
    if not batches.may_perform(actor, batch, "submit"):
        raise PermissionDenied("只能修改本学院的名单")
    return batch


def _item_errors(batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, AdmissionRecord]]:
    exam_numbers = [i.exam_number for i in items]
    records = {
        r.exam_number: r
        for r in AdmissionRecord.objects.filter(college=batch.college, exam_number__in=exam_numbers).order_by(
            "year"
        )
    }
    errors = []
    today = timezone.localdate()
    for item in items:
        record = records.get(item.exam_number)
        if record is None:
            errors.append(RowError(item.row, "考生号", f"本学院没有考生号为{item.exam_number}的录取数据"))
            continue
        if path_to(OUTCOME_TRANSITION[item.outcome], record.state) is None:
            errors.append(
                RowError(
                    item.row,
                    "审查结论",
                    f"{record.name}当前为“{record.get_state_display()}”，不能标记为“{ReviewOutcome(item.outcome).label}”",
                )
            )
        if item.deferral_end and item.outcome != ReviewOutcome.DEFERRED:
            errors.append(RowError(item.row, "保留截止日期", "只有保留入学资格才填写截止日期"))
        if item.outcome == ReviewOutcome.DEFERRED and item.deferral_end and item.deferral_end <= today:
            errors.append(RowError(item.row, "保留截止日期", "应晚于今天"))
    return errors, records


@transaction.atomic
def review_items_save(
    *, actor: User, batch_id: int, items: list[ItemInput], replace: bool = True
) -> list[RowError]:
    """登记审查结论 (ENR-2, ENR-3): from a review sheet or the page; any error → nothing written.

    ``replace`` makes the list exactly the given items (an uploaded sheet);
    otherwise the given items are added or changed (marks on the page).
    """
    batch = _editable_batch(actor, batch_id)
    errors, records = _item_errors(batch, items)
    if errors:
        transaction.set_rollback(True)
        return errors
    if replace:
        ReviewItem.objects.filter(batch=batch).delete()
    else:
        ReviewItem.objects.filter(batch=batch, record__in=[records[i.exam_number] for i in items]).delete()
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                batch=batch,
                record=records[i.exam_number],
                outcome=i.outcome,
                deferral_end=(i.deferral_end or default_deferral_end())
                if i.outcome == ReviewOutcome.DEFERRED
                else None,
                reason=i.reason,
            )
            for i in items
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="enrollment.review.items_save",
        subject=batch,
        after={
            "replace": replace,
            "count": len(items),
            "outcomes": {o: sum(1 for i in items if i.outcome == o) for o in ReviewOutcome.values},
        },
    )
    return []


def review_items_from_sheet(*, actor: User, batch_id: int, sheet: ParsedSheet) -> list[RowError]:
    """上传审查结果表: every row error at once, the file's and the database's; the list is replaced only when there is none."""
    items = [
        ItemInput(
            exam_number=r.values["exam_number"],
            outcome=r.values["outcome"],
            deferral_end=r.values.get("deferral_end"),
            reason=r.values.get("reason", ""),
            row=r.number,
        )
        for r in sheet.rows
        if r.values.get("exam_number") and r.values.get("outcome")
    ]
    if sheet.errors:
        with transaction.atomic():
            batch = _editable_batch(actor, batch_id)
            errors, _records = _item_errors(batch, items)
        return sorted([*sheet.errors, *errors], key=lambda e: (e.row, e.column))
    return review_items_save(actor=actor, batch_id=batch_id, items=items, replace=True)


@transaction.atomic
def review_items_fill(*, actor: User, batch_id: int) -> int:
    """把本学院尚未审查的新生加入名单, marked 报到入学 for the college to change (ENR-2)."""
    batch = _editable_batch(actor, batch_id)
    in_lists = ReviewItem.objects.exclude(batch__state__in=[BatchState.APPROVED]).values("record")
    records = AdmissionRecord.objects.filter(
        college=batch.college, state__in=["imported", "deferred"], term__start_date__lte=batch.term.start_date
    ).exclude(pk__in=in_lists)
    created = ReviewItem.objects.bulk_create(
        [ReviewItem(batch=batch, record=r, outcome=ReviewOutcome.PASSED) for r in records], batch_size=2000
    )
    audit_record(
        actor=actor, action="enrollment.review.items_fill", subject=batch, after={"count": len(created)}
    )
    return len(created)


def review_problems(batch: Batch) -> list[str]:
    """Every problem of every item of a review list, for submission and approval."""
    items = list(ReviewItem.objects.filter(batch=batch).select_related("record").order_by("pk"))
    if not items:
        return ["名单中没有学生"]
    problems = []
    record_ids = [i.record_id for i in items]
    elsewhere = set(
        ReviewItem.objects.filter(record_id__in=record_ids, batch__state=BatchState.SUBMITTED)
        .exclude(batch=batch)
        .values_list("record_id", flat=True)
    )
    open_corrections = set(
        AdmissionRecord.objects.filter(
            pk__in=record_ids,
            corrections__state__in=[CorrectionState.DRAFT, CorrectionState.SENT, CorrectionState.ANSWERED],
        ).values_list("pk", flat=True)
    )
    passing = [i.record.id_number for i in items if i.outcome == ReviewOutcome.PASSED]
    active = set(
        Student.objects.filter(
            id_number__in=passing, student_status__in=codes.ACTIVE_STUDENT_STATUSES
        ).values_list("id_number", flat=True)
    )
    today = timezone.localdate()
    for item in items:
        r = item.record
        who = f"{r.exam_number} {r.name}"
        if r.college_id != batch.college_id:
            problems.append(f"{who}：不属于本学院")
        if path_to(OUTCOME_TRANSITION[item.outcome], r.state) is None:
            problems.append(
                f"{who}：当前为“{r.get_state_display()}”，不能标记为“{item.get_outcome_display()}”"
            )
        if r.pk in elsewhere:
            problems.append(f"{who}：已在另一份待审批的名单中")
        if item.outcome == ReviewOutcome.PASSED:
            if r.identity_conflict:
                problems.append(f"{who}：重名重号待核查，核清后方可注册（ENR-9）")
            if r.pk in open_corrections:
                problems.append(f"{who}：录取数据更正申请尚未完结，须按省招生部门答复更正后注册（ENR-8）")
            if r.id_number in active and r.student_id is None:
                problems.append(f"{who}：该证件号码已有在籍学籍（ENR-6）")
        if item.outcome == ReviewOutcome.DEFERRED and (
            item.deferral_end is None or item.deferral_end <= today
        ):
            problems.append(f"{who}：保留入学资格截止日期应晚于今天")
    return problems


@transaction.atomic
def review_batch_submit(*, actor: User, batch_id: int) -> Batch:
    """提交审查名单: every item is checked and all problems listed (ENR-2)."""
    return batches.batch_move(
        actor=actor, batch_id=batch_id, transition="submit", kind=KIND, check=review_problems
    )


@transaction.atomic
def review_batch_approve(
    *, actor: User, batch_id: int, comment: str = "", document_number: str = ""
) -> Batch:
    """审批审查名单 (ENR-2, ENR-3): registers those who passed, marks the others, set-based, one event each."""

    def apply(batch: Batch) -> None:
        items = list(ReviewItem.objects.filter(batch=batch).order_by("pk"))
        records = lock_records([i.record_id for i in items])
        steps = [
            Step(
                record=records[i.record_id],
                transition=OUTCOME_TRANSITION[i.outcome],
                reason=i.reason or f"{batch}：{i.get_outcome_display()}",
                deferral_end=i.deferral_end,
            )
            for i in items
        ]
        admission_apply_steps(
            actor=actor, steps=steps, document_number=document_number, action_prefix="enrollment.review"
        )
        transaction.on_commit(lambda: batch_decided.delay(batch.pk))

    return batches.batch_move(
        actor=actor,
        batch_id=batch_id,
        transition="approve",
        kind=KIND,
        comment=comment,
        document_number=document_number,
        check=review_problems,
        apply=apply,
    )


@transaction.atomic
def review_batch_return(*, actor: User, batch_id: int, comment: str) -> Batch:
    """退回审查名单 with the registrar's comment; the college fixes it and submits again."""
    if not comment.strip():
        raise DomainError("退回时请填写意见")
    return batches.batch_move(
        actor=actor, batch_id=batch_id, transition="send_back", kind=KIND, comment=comment
    )


def can_edit(user: User, batch: Batch) -> bool:
    return batch.state in (BatchState.DRAFT, BatchState.RETURNED) and (
        is_registrar(user) or (is_college_staff(user) and user.colleges.filter(pk=batch.college_id).exists())
    )
