"""学籍处理: the registrar approves status changes, one with its document or a list at once (ANN-3 to ANN-5).

Set-based throughout: the cases, the students' 学籍状态 and this year's
registrations move through the transition engine, one UPDATE per group and one
audit event per row; the placement fields move through
``registrar.services.student_place_many``, which keeps the previous values in
the students' history, and the case's approval event carries them before and after.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from annual_registration.models import AnnualRegistration, ChangeState, StatusChange
from annual_registration.models.changes import DECIDED_STATES, PLACEMENT_FIELDS
from annual_registration.services.change_rules import (
    kind_label,
    kind_settings,
    kind_unavailable,
    placement_of,
    status_allows,
    student_label,
)
from annual_registration.services.changes import CHANGES, change_for_update
from annual_registration.services.lists import ANNUAL
from annual_registration.services.transfer_in import incoming_students_create, is_incoming
from registrar import codes
from registrar.errors import DomainError
from registrar.models import AcademicYear, School, Student, User
from registrar.proofs import ProofFile
from registrar.services import STUDENT_STATUS, student_place_many
from registrar.transitions import Move, apply_moves, lock_rows, may_fire, transition_sources

Status = codes.StudentStatus


# ---------------------------------------------------------------- approval, one case or a list


def academic_year_of(day: datetime.date) -> AcademicYear | None:
    """The academic year ``day`` falls in: the latest whose first term started on or before it."""
    return (
        AcademicYear.objects.filter(terms__number=1, terms__start_date__lte=day)
        .order_by("-start_year")
        .first()
    )


@transaction.atomic
def status_change_approve(
    *,
    actor: User,
    change_id: int,
    decision_date: datetime.date,
    document_number: str,
    document: ProofFile | None,
    document_date: datetime.date | None = None,
    comment: str = "",
) -> StatusChange:
    """学籍处理 (ANN-4, ANN-5): the registrar approves with the decision date, 文号 and decision document.

    ``document`` is the decision document as the upload toolkit read and checked it
    (``registrar.proofs.read_decision_document``: bounded, a PDF, JPEG or PNG).
    The student's status and placement move, this year's registration follows
    (ANN-3), and the clocks of ANN-5 / ANN-6 start at the decision date.
    """
    if not may_fire(actor, StatusChange(), "approve"):
        raise PermissionDenied(_("只有教务处可以审批学籍异动"))
    _check_decision(decision_date, document_number)
    if document is None:
        raise DomainError(_("请上传处理决定文件"))
    if document_date is not None and document_date > timezone.localdate():
        raise DomainError(_("发文日期不能晚于今天"))
    change = change_for_update(actor, change_id)
    if change.batch_id:
        raise DomainError(_("名单中的学籍异动随名单提交和审批"))
    if change.state != ChangeState.SUBMITTED:
        raise DomainError(
            _("学籍异动当前为“%(state)s”，不能批准（可能已被他人处理）")
            % {"state": change.get_state_display()}
        )
    change.document.save(document.name, ContentFile(document.content), save=False)
    StatusChange.objects.filter(pk=change.pk).update(
        document=change.document.name, document_date=document_date
    )
    changes_approve(
        actor, [change], decision_date=decision_date, document_number=document_number, comment=comment
    )
    return change


def _check_decision(decision_date: datetime.date | None, document_number: str) -> None:
    if decision_date is None:
        raise DomainError(_("请填写学籍处理日期"))
    if decision_date > timezone.localdate():
        raise DomainError(_("学籍处理日期不能晚于今天"))
    if not document_number.strip():
        raise DomainError(_("请填写文号"))


def approval_problems(changes: Sequence[Any], students: Mapping[int, Student]) -> list[str]:
    """Every reason a set of changes cannot be approved now: kinds no longer used, statuses that moved."""
    settings, school = kind_settings(), School.current()
    problems = []
    for change in changes:
        student = students[change.student_id]
        setting = settings.get(change.kind)
        reason = kind_unavailable(setting, school)
        if reason is None and not status_allows(setting, student.student_status):
            reason = _("当前学籍状态为“%(status)s”，不能办理%(kind)s") % {
                "status": student.get_student_status_display(),
                "kind": setting.get_kind_display(),
            }
        if reason:
            problems.append(f"{student_label(student)}：{reason}")
    return problems


def changes_approve(
    actor: User,
    changes: Sequence[Any],
    *,
    decision_date: datetime.date,
    document_number: str,
    comment: str = "",
    path: tuple[str, ...] = ("approve",),
) -> None:
    """批准 many changes at once, set-based, inside the caller's transaction, the changes locked.

    0. a transfer-in's student is created (``transfer_in``);
    1. each case's values before are read from the locked students and stored;
    2. the cases move (one event each, carrying before and after);
    3. the students' 学籍状态 moves by each kind's transition (one event each);
    4. placement fields move, the old values kept in the students' history;
    5. this year's registration follows the status (ANN-3), and its college the student's;
    6. a 休学 or 保留学籍 period the student leaves is closed.
    """
    _check_decision(decision_date, document_number)
    if not changes:
        return
    # 转学（转入）: the student is created now, through the core, and the case names them (ANN-4).
    incoming = {c.pk for c in changes if is_incoming(c)}
    incoming_students_create(actor, [c for c in changes if c.pk in incoming], document_number=document_number)
    student_ids = [c.student_id for c in changes]
    status_rows = lock_rows(STUDENT_STATUS, student_ids)
    students = {s.pk: s for s in Student.objects.filter(pk__in=student_ids)}
    problems = approval_problems(changes, students)
    if problems:
        raise DomainError("；".join(problems))
    settings = kind_settings()

    refreshed = []
    for change in changes:
        if isinstance(change.values_after, str):  # a locked row reads the JSON column as its text
            change.values_after = json.loads(change.values_after)
        current = placement_of(students[change.student_id])
        # A student transferring in had no placement here before: created in place, nothing before.
        change.values_before = (
            {} if change.pk in incoming else {name: current[name] for name in change.values_after}
        )
        refreshed.append(StatusChange(pk=change.pk, values_before=change.values_before))
    StatusChange.objects.bulk_update(refreshed, ["values_before"], batch_size=2000)

    apply_moves(
        CHANGES,
        [
            Move(change, path if len(path) > 1 else path[0], reason=comment, date=decision_date)
            for change in changes
        ],
        actor=actor,
        document_number=document_number,
    )

    with translation.override("zh-hans"):
        labels = {kind: kind_label(kind) for kind in {c.kind for c in changes}}
    status_moves, left_periods, placements = [], [], {}
    for change in changes:
        setting, row = settings[change.kind], status_rows[change.student_id]
        if setting.transition:
            if row.student_status in (Status.SUSPENDED, Status.RETAINED):
                left_periods.append(change.student_id)
            status_moves.append(
                Move(
                    row,
                    setting.transition,
                    reason=f"{labels[change.kind]}：{change.reason}",
                    date=decision_date,
                )
            )
        values = {
            PLACEMENT_FIELDS[name]: _stored(name, value)
            for name, value in change.values_after.items()
            if name in PLACEMENT_FIELDS
        }
        if values and change.pk not in incoming:
            placements[change.student_id] = values
    apply_moves(STUDENT_STATUS, status_moves, actor=actor, document_number=document_number)
    if placements:
        student_place_many(actor=actor, placements=placements, reason=f"学籍异动（{document_number}）"[:100])
    _registrations_follow(actor, changes, status_moves, placements, decision_date, document_number)
    _periods_close(actor, left_periods, [c.pk for c in changes], decision_date, document_number)


def _stored(name: str, value: Any) -> Any:
    """A case's JSON value as the ``Student`` attribute takes it."""
    if value is None:
        return None
    if name == "expected_graduation_date":
        return datetime.date.fromisoformat(value)
    if name == "program_years":
        return Decimal(value)
    return value


# The registration's transition when the student's status moves to … (ANN-3).
REGISTRATION_FOLLOWS = {Status.SUSPENDED: "suspend", Status.RETAINED: "retain", Status.IN_SCHOOL: "reopen"}


def _registrations_follow(
    actor: User,
    changes: Sequence[Any],
    status_moves: Sequence[Move],
    placements: Mapping[int, dict[str, Any]],
    day: datetime.date,
    document_number: str,
) -> None:
    """This year's registration suspends, retains or reopens with the student where its declaration allows (ANN-3)."""
    year = academic_year_of(day)
    if year is None:
        return
    follows = {
        move.row.pk: REGISTRATION_FOLLOWS[move.row.student_status]
        for move in status_moves
        if move.row.student_status in REGISTRATION_FOLLOWS
    }
    moved_college = {
        sid: values["college_id"] for sid, values in placements.items() if "college_id" in values
    }
    registrations = dict(
        AnnualRegistration.objects.filter(
            academic_year=year, student_id__in=[*follows, *moved_college]
        ).values_list("pk", "student_id")
    )
    if not registrations:
        return
    rows = lock_rows(ANNUAL, registrations)
    moves = []
    for _pk, row in sorted(rows.items()):
        name = follows.get(row.student_id)
        if name and row.state in transition_sources(AnnualRegistration, name):
            moves.append(Move(row, name, reason=_("随学籍异动")))
    apply_moves(ANNUAL, moves, actor=actor, document_number=document_number)
    by_college: dict[int, list[int]] = defaultdict(list)
    for pk, student_id in registrations.items():
        if student_id in moved_college:
            by_college[moved_college[student_id]].append(pk)
    for college_id, ids in by_college.items():
        AnnualRegistration.objects.filter(pk__in=ids).update(college_id=college_id)


def _periods_close(
    actor: User, student_ids: Sequence[int], approved: Sequence[int], day: datetime.date, document_number: str
) -> None:
    """The 休学 or 保留学籍 of students who came back or left is over: its clock stops (issue 11, item 4)."""
    if not student_ids:
        return
    ids = (
        StatusChange.objects.filter(
            student_id__in=list(student_ids),
            state__in=DECIDED_STATES,
            period_end__isnull=False,
            period_closed_on__isnull=True,
        )
        .exclude(pk__in=list(approved))
        .values_list("pk", flat=True)
    )
    rows = lock_rows(CHANGES, ids)
    moves = [
        Move(rows[pk], "close_period", reason=_("已办理复学、恢复学籍或学籍注销"), date=day)
        for pk in sorted(rows)
    ]
    apply_moves(CHANGES, moves, actor=actor, document_number=document_number)
