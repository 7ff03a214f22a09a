"""入学资格审查名单: colleges fill and submit review lists, the registrar approves or returns them.

The list workflow, page and API are the core's (``registrar.batches``); this
module is what a freshman review list holds: admission records with a review
outcome, checked against the records' states and approved by firing each
record's transition. (ENR-2, ENR-3, ENR-4, ENR-6, ENR-8, ENR-9)
"""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment import exports
from enrollment.imports import ParsedSheet, RowError, parse_review_results
from enrollment.models import (
    AdmissionRecord,
    AdmissionState,
    CorrectionRequest,
    CorrectionState,
    ReviewItem,
    ReviewOutcome,
)
from enrollment.services.transitions import (
    OUTCOME_TRANSITION,
    Step,
    admission_apply_steps,
    lock_records,
    outcome_sources,
    path_to,
)
from registrar import batches, codes
from registrar.batch_kinds import BatchItems, ItemColumn, ItemInput, ParsedItems, register
from registrar.models import Batch, BatchKind, BatchState, College, School, Student, Term, User
from registrar.sql import rows_where_in

KIND = BatchKind.FRESHMAN_REVIEW


def default_deferral_end(today: datetime.date | None = None) -> datetime.date:
    """保留入学资格 ends after the school's period, one year by default (ENR-4)."""
    school = School.current()
    months = school.deferral_months if school else 12
    return (today or timezone.localdate()) + relativedelta(months=months)


def _item_errors(batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, AdmissionRecord]]:
    exam_numbers = [i.key for i in items]
    records = {
        r.exam_number: r
        for r in AdmissionRecord.objects.filter(college=batch.college, exam_number__in=exam_numbers).order_by(
            "year"
        )
    }
    errors = []
    today = timezone.localdate()
    for item in items:
        record = records.get(item.key)
        if record is None:
            errors.append(
                RowError(
                    item.row,
                    "考生号",
                    _("本学院没有考生号为%(exam_number)s的录取数据") % {"exam_number": item.key},
                )
            )
            continue
        if path_to(OUTCOME_TRANSITION[item.outcome], record.state) is None:
            errors.append(
                RowError(
                    item.row,
                    "审查结论",
                    _("%(name)s当前为“%(state)s”，不能标记为“%(outcome)s”")
                    % {
                        "name": record.name,
                        "state": record.get_state_display(),
                        "outcome": ReviewOutcome(item.outcome).label,
                    },
                )
            )
        if item.end_date and item.outcome != ReviewOutcome.DEFERRED:
            errors.append(RowError(item.row, "保留截止日期", _("只有保留入学资格才填写截止日期")))
        if item.outcome == ReviewOutcome.DEFERRED and item.end_date and item.end_date <= today:
            errors.append(RowError(item.row, "保留截止日期", _("应晚于今天")))
    return errors, records


def review_problems(batch: Batch) -> list[str]:
    """Every problem of every item of a review list, for submission and approval."""
    items = list(
        ReviewItem.objects.filter(batch=batch)
        .order_by("pk")
        .values_list(
            "record_id",
            "outcome",
            "deferral_end",
            "reason",
            "record__exam_number",
            "record__name",
            "record__college_id",
            "record__state",
            "record__identity_conflict",
            "record__id_number",
            "record__student_id",
        )
    )
    if not items:
        return [_("名单中没有学生")]
    problems = []
    elsewhere = set(
        ReviewItem.objects.filter(batch__state=BatchState.SUBMITTED, record__review_items__batch=batch)
        .exclude(batch=batch)
        .values_list("record_id", flat=True)
    )
    open_corrections = set(
        CorrectionRequest.objects.filter(
            record__review_items__batch=batch,
            state__in=[CorrectionState.DRAFT, CorrectionState.SENT, CorrectionState.ANSWERED],
        ).values_list("record_id", flat=True)
    )
    # ENR-6: the id numbers of those about to be registered that already hold an active 学籍.
    statuses = [str(s) for s in codes.ACTIVE_STUDENT_STATUSES]
    active = {
        number
        for (number,) in rows_where_in(
            Student._meta.db_table,
            "id_number",
            "id_number",
            {item[9] for item in items if item[1] == ReviewOutcome.PASSED and item[10] is None},
            where=f"student_status IN ({', '.join(['%s'] * len(statuses))})",
            params=statuses,
        )
    }
    today = timezone.localdate()
    state_labels = dict(AdmissionState.choices)
    outcome_labels = dict(ReviewOutcome.choices)
    for (
        record_id,
        outcome,
        deferral_end,
        reason,
        exam,
        name,
        college_id,
        state,
        conflict,
        id_number,
        student_id,
    ) in items:
        who = {"who": f"{exam} {name}"}
        if college_id != batch.college_id:
            problems.append(_("%(who)s：不属于本学院") % who)
        if path_to(OUTCOME_TRANSITION[outcome], state) is None:
            problems.append(
                _("%(who)s：当前为“%(state)s”，不能标记为“%(outcome)s”")
                % {**who, "state": state_labels[state], "outcome": outcome_labels[outcome]}
            )
        if record_id in elsewhere:
            problems.append(_("%(who)s：已在另一份待审批的名单中") % who)
        if outcome == ReviewOutcome.PASSED:
            if conflict:
                problems.append(_("%(who)s：重名重号待核查，核清后方可注册（ENR-9）") % who)
            if record_id in open_corrections:
                problems.append(
                    _("%(who)s：录取数据更正申请尚未完结，须按省招生部门答复更正后注册（ENR-8）") % who
                )
            if id_number in active and student_id is None:
                problems.append(_("%(who)s：该证件号码已有在籍学籍（ENR-6）") % who)
        if outcome == ReviewOutcome.DEFERRED and (deferral_end is None or deferral_end <= today):
            problems.append(_("%(who)s：保留入学资格截止日期应晚于今天") % who)
        if outcome in REVIEW_ITEMS.reasoned_outcomes and not reason.strip():
            problems.append(
                _("%(who)s：“%(outcome)s”须填写原因") % {**who, "outcome": outcome_labels[outcome]}
            )
    return problems


def _apply(actor: User, batch: Batch, *, document_number: str) -> None:
    """审批通过 (ENR-2, ENR-3): registers those who passed, marks the others, set-based, one event each."""
    items = list(
        ReviewItem.objects.filter(batch=batch)
        .order_by("pk")
        .values_list("record_id", "outcome", "reason", "deferral_end")
    )
    records = lock_records([record_id for record_id, *_ in items])
    # The default reasons go into the audit log, which stays Chinese whatever the page's language.
    with translation.override("zh-hans"):
        labels = {o.value: f"{batch}：{o.label}" for o in ReviewOutcome}
    term_start = batch.term.start_date
    steps = [
        Step(
            record=records[record_id],
            transition=OUTCOME_TRANSITION[outcome],
            reason=reason or labels[outcome],
            deferral_end=deferral_end,
            # A deferred freshman passed on this list enters this list's term (ENR-4).
            entered_on=term_start if outcome == ReviewOutcome.PASSED else None,
        )
        for record_id, outcome, reason, deferral_end in items
    ]
    admission_apply_steps(
        actor=actor, steps=steps, document_number=document_number, action_prefix="enrollment.review"
    )


def review_sheet_items(sheet: ParsedSheet) -> ParsedItems:
    """A parsed review sheet's rows as list items (rows without a 考生号 or 结论 carry their own errors)."""
    items = [
        ItemInput(
            key=r.values["exam_number"],
            outcome=r.values["outcome"],
            end_date=r.values.get("deferral_end"),
            reason=r.values.get("reason", ""),
            row=r.number,
        )
        for r in sheet.rows
        if r.values.get("exam_number") and r.values.get("outcome")
    ]
    return ParsedItems(items, sheet.errors)


class ReviewItems(BatchItems):
    """入学资格审查名单: admission records of one college, each with a review outcome (ENR-2, ENR-3)."""

    kind = KIND
    item_model = ReviewItem
    outcomes = ReviewOutcome
    outcome_label = "审查结论"
    # ENR-3, ENR-4: a deferral has its end and reason, a forfeit or cancellation its reason.
    dated_outcomes = frozenset({ReviewOutcome.DEFERRED})
    reasoned_outcomes = frozenset({ReviewOutcome.DEFERRED, ReviewOutcome.FORFEITED, ReviewOutcome.CANCELLED})
    end_date_label = "保留截止日期"
    reason_label = "原因"
    exception_outcomes = (ReviewOutcome.CANCELLED, ReviewOutcome.FORFEITED, ReviewOutcome.DEFERRED)
    document_outcomes = frozenset({ReviewOutcome.CANCELLED})
    end_date_field = "deferral_end"
    target_field = "record"
    key_label = "考生号"
    key_path = "record.exam_number"
    action_prefix = "enrollment.review"
    columns = (
        ItemColumn(gettext_lazy("姓名"), "record.name"),
        ItemColumn(gettext_lazy("专业"), "record.major.name"),
        ItemColumn(gettext_lazy("录取状态"), "record.get_state_display"),
    )
    texts = {
        "new": gettext_lazy("新建入学资格审查名单"),
        "upload": gettext_lazy("上传审查结果表"),
        "template": gettext_lazy("下载审查结果模板（含本学院新生）"),
        "fill": gettext_lazy("加入本学院尚未审查的新生"),
        "approved": gettext_lazy("名单已审批通过，学籍已注册"),
        "end_date": gettext_lazy("保留截止"),
        "save": gettext_lazy("保存审查结论"),
        "reason": gettext_lazy("原因（放弃、保留、取消必填）"),
    }

    def parse(self, content: bytes, file_name: str) -> ParsedItems:
        return review_sheet_items(parse_review_results(content, file_name))

    def default_end_date(self) -> datetime.date:
        """保留入学资格 ends after the school's period unless the college says otherwise (ENR-4)."""
        return default_deferral_end()

    def template(self, user: User, batch: Batch) -> bytes:
        """审查结果模板: the college's freshmen this list may hold (not those awaiting approval in another
        list), each with this list's outcome when listed, else 报到入学; a drop-down of outcomes; notes apart."""
        records = (
            AdmissionRecord.objects.for_user(user)
            .filter(college_id=batch.college_id, state__in=outcome_sources(ReviewOutcome.PASSED))
            .exclude(pk__in=self.awaiting_elsewhere(batch))
            .order_by("exam_number")
        )
        listed = {
            record_id: (outcome, end, reason)
            for record_id, outcome, end, reason in ReviewItem.objects.filter(batch=batch).values_list(
                "record_id", "outcome", "deferral_end", "reason"
            )
        }
        labels = dict(ReviewOutcome.choices)
        rows = (
            [r.exam_number, r.name, str(labels[o]), end, reason]
            for r, (o, end, reason) in (
                (r, listed.get(r.pk, (ReviewOutcome.PASSED, None, ""))) for r in records.iterator()
            )
        )
        return self.template_sheet(exports.review_header(), rows, _("审查结果"), outcome_column=2)

    def candidates(self, user: User, batch: Batch, limit: int = 500) -> list[Any]:
        listed = ReviewItem.objects.filter(batch=batch).values("record_id")
        return list(
            AdmissionRecord.objects.for_user(user)
            .filter(college=batch.college, state__in=outcome_sources(ReviewOutcome.PASSED))
            .exclude(pk__in=listed)
            .exclude(pk__in=self.awaiting_elsewhere(batch))
            .select_related("major")
            .order_by("exam_number")[:limit]
        )

    def candidate_key(self, candidate: AdmissionRecord) -> str:
        return candidate.exam_number

    def check(self, batch: Batch, items: list[ItemInput]) -> tuple[list[RowError], dict[str, Any]]:
        return _item_errors(batch, items)

    def write(self, batch: Batch, items: list[ItemInput], targets: dict[str, Any], *, replace: bool) -> None:
        if replace:
            ReviewItem.objects.filter(batch=batch).delete()
        else:
            ReviewItem.objects.filter(batch=batch, record__in=[targets[i.key] for i in items]).delete()
        ReviewItem.objects.bulk_create(
            [
                ReviewItem(
                    batch=batch,
                    record=targets[i.key],
                    outcome=i.outcome,
                    deferral_end=(i.end_date or default_deferral_end())
                    if i.outcome == ReviewOutcome.DEFERRED
                    else None,
                    reason=i.reason,
                )
                for i in items
            ],
            batch_size=2000,
        )

    def fill(self, batch: Batch) -> int:
        """把本学院尚未审查的新生加入名单, marked 报到入学 for the college to change (ENR-2)."""
        in_lists = ReviewItem.objects.exclude(batch__state__in=[BatchState.APPROVED]).values("record")
        records = AdmissionRecord.objects.filter(
            college=batch.college,
            state__in=outcome_sources(ReviewOutcome.PASSED) - {AdmissionState.ADMITTED},
            term__start_date__lte=batch.term.start_date,
        ).exclude(pk__in=in_lists)
        created = ReviewItem.objects.bulk_create(
            [ReviewItem(batch=batch, record=r, outcome=ReviewOutcome.PASSED) for r in records],
            batch_size=2000,
        )
        return len(created)

    def problems(self, batch: Batch) -> list[str]:
        return review_problems(batch)

    def apply(self, actor: User, batch: Batch, *, document_number: str) -> None:
        _apply(actor, batch, document_number=document_number)


REVIEW_ITEMS = register(ReviewItems())


# ---------------------------------------------------------------- the review list's services, by name


def review_batch_create(*, actor: User, college: College, term: Term, title: str = "") -> Batch:
    """新建入学资格审查名单 (ENR-2)."""
    return batches.batch_create(actor=actor, kind=KIND, college=college, term=term, title=title)


def review_items_save(
    *, actor: User, batch_id: int, items: list[ItemInput], replace: bool = True
) -> list[RowError]:
    """登记审查结论 (ENR-2, ENR-3): from a review sheet or the page; any error → nothing written."""
    return batches.batch_items_save(actor=actor, batch_id=batch_id, kind=KIND, items=items, replace=replace)


def review_items_from_sheet(*, actor: User, batch_id: int, sheet: ParsedSheet) -> list[RowError]:
    """上传审查结果表: every row error at once; the list is replaced only when there is none."""
    parsed = review_sheet_items(sheet)
    return batches.batch_items_upload(actor=actor, batch_id=batch_id, kind=KIND, parsed=parsed)


def review_items_fill(*, actor: User, batch_id: int) -> int:
    """把本学院尚未审查的新生加入名单 (ENR-2)."""
    return batches.batch_items_fill(actor=actor, batch_id=batch_id, kind=KIND)


def review_batch_submit(*, actor: User, batch_id: int) -> Batch:
    """提交审查名单: every item is checked and all problems listed (ENR-2)."""
    return batches.batch_submit(actor=actor, batch_id=batch_id, kind=KIND)


def review_batch_approve(
    *, actor: User, batch_id: int, comment: str = "", document_number: str = ""
) -> Batch:
    """审批审查名单 (ENR-2, ENR-3): registers those who passed, marks the others, set-based."""
    return batches.batch_approve(
        actor=actor, batch_id=batch_id, kind=KIND, comment=comment, document_number=document_number
    )


def review_batch_return(*, actor: User, batch_id: int, comment: str) -> Batch:
    """退回审查名单 with the registrar's comment; the college fixes it and submits again."""
    return batches.batch_return(actor=actor, batch_id=batch_id, kind=KIND, comment=comment)
