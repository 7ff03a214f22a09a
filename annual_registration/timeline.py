"""The student's record in one place (QRY-1, ANN-11): a timeline from admission on, and what a deferral asks.

Read from the records themselves, not the audit trail's every step: admission and
freshman registration, each year's registration, status changes, rewards,
punishments and their lifting, certificates issued, and identity changes with
their values before and after (``Student.history``). A student who has left reads
the same archive (ANN-11). Id numbers are masked for everyone but the registrar
office (SEC-2). Scoped: a reader who may not see the student gets ``DoesNotExist``.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.blockers import blockers_of, with_blockers
from annual_registration.models import (
    AnnualRegistration,
    AnnualState,
    Award,
    CheckInState,
    DeferralReason,
    IdentityChangeRequest,
    IssuedCertificate,
    Punishment,
    StatusChange,
    TermCheckIn,
)
from annual_registration.models.changes import DECIDED_STATES
from annual_registration.models.identity import IdentityField
from annual_registration.selectors_changes import shown_values
from annual_registration.selectors_check_ins import CheckInNotice, check_in_notice
from annual_registration.services.identity import shown_changes, shown_value
from annual_registration.services.roll import year_start
from deadlines.clocks import add_months
from registrar import codes
from registrar.idcard import mask, sees_full_id_numbers
from registrar.models import Student


@dataclass(frozen=True)
class TimelineEntry:
    """One event of the student's record: its day, what it was, and its details."""

    day: datetime.date
    kind: str  # admission, registration, change, award, punishment, lift, certificate, identity
    title: str
    detail: str = ""
    document_number: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    link: str = ""  # a page of the student's own where they act on this entry (the photo check, say)
    link_label: str = ""


@dataclass(frozen=True)
class DeferralNotice:
    """What stands between the student and this year's registration, and by when (ANN-2, ANN-3, ANN-10)."""

    academic_year: str
    state: str
    todo: list[str]
    due: datetime.date


@dataclass(frozen=True)
class StudentRecord:
    student: Student
    masked_id_number: str
    left: bool  # no longer holds a 学籍 here: the archive stays readable (ANN-11)
    timeline: list[TimelineEntry]
    notice: DeferralNotice | None
    identity_requests: list[tuple[IdentityChangeRequest, list[tuple[str, str, str]]]]
    check_in: CheckInNotice | None = None  # this term's 报到注册, while it waits (ANN-13)


def _local_day(moment: datetime.datetime | None, fallback: datetime.date) -> datetime.date:
    return timezone.localdate(moment) if moment else fallback


def _admission(student: Student) -> list[TimelineEntry]:
    placement = _("%(college)s %(major)s（%(level)s，学制%(years)s年）") % {
        "college": student.college.name,
        "major": student.major.name,
        "level": student.get_level_display(),
        "years": f"{student.program_years.normalize():f}",
    }
    entries = [TimelineEntry(student.entry_date, "admission", _("入学"), placement)]
    record = getattr(student, "admission_record", None)
    if record is not None and record.state == "registered":
        day = _local_day(record.state_changed_at, student.entry_date)
        entries.append(
            TimelineEntry(
                day,
                "registration",
                _("新生学籍注册：已注册学籍"),
                _("考生号 %(n)s") % {"n": record.exam_number},
            )
        )
    return entries


def _registrations(student: Student) -> list[TimelineEntry]:
    entries = []
    for registration in student.annual_registrations.select_related("academic_year").order_by(
        "academic_year__start_year"
    ):
        day = registration.registered_on or timezone.localdate(
            registration.state_changed_at or registration.created_at
        )
        detail = ""
        if registration.state == AnnualState.DEFERRED:
            detail = registration.get_deferral_reason_display() or ""
            if registration.reason:
                detail = f"{detail}：{registration.reason}" if detail else registration.reason
        entries.append(
            TimelineEntry(
                day,
                "registration",
                _("%(year)s注册：%(state)s")  # the year reads "2026-2027学年"
                % {"year": registration.academic_year, "state": registration.get_state_display()},
                detail,
            )
        )
    return entries


def _check_ins(student: Student) -> list[TimelineEntry]:
    """学期报到注册 (ANN-13): each term's check-in, or the leave with its reason and last day."""
    entries = []
    for row in TermCheckIn.objects.filter(student=student).select_related("term", "term__academic_year"):
        detail = ""
        if row.state == CheckInState.ON_LEAVE:
            detail = _("%(reason)s，请假至%(until)s") % {
                "reason": row.leave_reason,
                "until": f"{row.leave_until:%Y-%m-%d}" if row.leave_until else "—",
            }
        day = row.checked_in_on or _local_day(row.state_changed_at, row.term.start_date)
        entries.append(
            TimelineEntry(
                day,
                "check_in",
                _("%(term)s报到注册：%(state)s") % {"term": row.term, "state": row.get_state_display()},
                detail,
            )
        )
    return entries


def _status_changes(student: Student) -> list[TimelineEntry]:
    """学籍异动 and 学籍注销 once decided: kind, decision date, reason, 文号 and each field before → after."""
    changes = list(
        StatusChange.objects.filter(student=student, state__in=DECIDED_STATES).order_by("decision_date", "pk")
    )
    values = shown_values(changes)
    return [
        TimelineEntry(
            change.decision_date or timezone.localdate(change.decided_at),
            "change",
            _("学籍异动：%(kind)s") % {"kind": change.get_kind_display()},
            change.reason,
            change.document_number,
            [(v.label, v.before, v.after) for v in values[change.pk]],
        )
        for change in changes
    ]


def _records(student: Student) -> list[TimelineEntry]:
    """Rewards, punishments and their lifting, other certificates (ANN-7)."""
    entries = [
        TimelineEntry(
            award.awarded_on,
            "award",
            _("奖励：%(name)s") % {"name": award.name},
            _("%(level)s，%(body)s") % {"level": award.get_level_display(), "body": award.granting_body},
            award.document_number,
        )
        for award in Award.objects.filter(student=student)
    ]
    for punishment in Punishment.objects.filter(student=student):
        period = (
            _("，处分期%(n)d个月（至%(end)s）")
            % {"n": punishment.period_months, "end": f"{punishment.period_end:%Y-%m-%d}"}
            if punishment.period_months
            else ""
        )
        entries.append(
            TimelineEntry(
                punishment.decided_on,
                "punishment",
                _("处分：%(kind)s") % {"kind": punishment.get_kind_display()},
                punishment.reason + period,
                punishment.document_number,
            )
        )
        if punishment.lifted_on:
            entries.append(
                TimelineEntry(
                    punishment.lifted_on,
                    "lift",
                    _("解除处分：%(kind)s") % {"kind": punishment.get_kind_display()},
                    punishment.lift_reason,
                    punishment.lift_document_number,
                )
            )
    entries += [
        TimelineEntry(
            certificate.issued_on,
            "certificate",
            _("发放%(kind)s") % {"kind": certificate.get_kind_display()},
            _("证书编号 %(number)s") % {"number": certificate.number},
        )
        for certificate in IssuedCertificate.objects.filter(student=student)
    ]
    return entries


IDENTITY_FIELDS = [f.value for f in IdentityField]


def _identity_changes(student: Student, full_id_number: bool) -> list[TimelineEntry]:
    """Each change of 姓名, 身份证号, 出生日期 or 民族, old → new, from the student's history (N19)."""
    rows = list(
        student.history.order_by("history_date", "history_id").values(
            "history_date", "history_change_reason", *IDENTITY_FIELDS
        )
    )
    entries = []
    labels = dict(IdentityField.choices)
    for previous, row in itertools.pairwise(rows):
        changes = []
        for name in IDENTITY_FIELDS:
            old, new = previous[name], row[name]
            if old == new:
                continue
            old_text = old.isoformat() if isinstance(old, datetime.date) else str(old)
            new_text = new.isoformat() if isinstance(new, datetime.date) else str(new)
            changes.append(
                (
                    str(labels[name]),
                    shown_value(name, old_text, full_id_number=full_id_number),
                    shown_value(name, new_text, full_id_number=full_id_number),
                )
            )
        if changes:
            entries.append(
                TimelineEntry(
                    timezone.localdate(row["history_date"]),
                    "identity",
                    _("学籍信息变更"),
                    row["history_change_reason"] or "",
                    changes=changes,
                )
            )
    return entries


KIND_ORDER = {
    "admission": 0,
    "registration": 1,
    "check_in": 1,
    "change": 2,
    "identity": 3,
    "award": 4,
    "punishment": 5,
    "lift": 6,
    "certificate": 7,
    "diploma": 8,
}

# Entries that apps above this one add (diploma: photo capture and check): (reader, student) → entries.
EntrySource = Callable[[Any, Student], list[TimelineEntry]]
_SOURCES: list[EntrySource] = []


def register_entries(source: EntrySource) -> None:
    """Add the entries ``source(reader, student)`` gives to every student's timeline; once, from ``ready()``."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def student_timeline(reader: Any, student: Student) -> list[TimelineEntry]:
    """学籍档案 (QRY-1, ANN-11): every entry, oldest first."""
    full = sees_full_id_numbers(reader)
    entries = [
        *_admission(student),
        *_registrations(student),
        *_check_ins(student),
        *_status_changes(student),
        *_records(student),
        *_identity_changes(student, full),
        *(entry for source in _SOURCES for entry in source(reader, student)),
    ]
    return sorted(entries, key=lambda e: (e.day, KIND_ORDER.get(e.kind, 9)))


FEES_TODO = gettext_lazy(
    "缴清本学年学费，或到学生资助管理部门办理国家助学贷款、缓缴手续（已办理贷款或缓缴的视同已缴费）"
)


def deferral_notice(student: Student) -> DeferralNotice | None:
    """The newest year's registration, if it waits (暂缓注册 or 待注册 with a blocker): what to do, and by when.

    By when: the annual registration closes one month after the first term starts (ANN-2).
    """
    registration = (
        with_blockers(AnnualRegistration.objects.filter(student=student))
        .select_related("academic_year")
        .order_by("-academic_year__start_year")
        .first()
    )
    if registration is None or registration.state not in (AnnualState.DEFERRED, AnnualState.PENDING):
        return None
    todo = []
    if (
        registration.state == AnnualState.DEFERRED
        and registration.deferral_reason == DeferralReason.FEES_UNPAID
    ):
        todo.append(str(FEES_TODO))
    for blocker in blockers_of(registration):
        if blocker.code == "fees":
            if str(FEES_TODO) not in todo:
                todo.append(str(FEES_TODO))
        else:
            todo.append(str(blocker.label))
    if registration.state == AnnualState.DEFERRED and registration.reason:
        todo.append(_("学院说明：%(reason)s") % {"reason": registration.reason})
    if not todo:
        if registration.state == AnnualState.PENDING:
            return None
        todo.append(_("请与学院联系，了解暂缓注册的原因"))
    todo.append(_("问题解决后，由学院为你办理注册"))
    return DeferralNotice(
        academic_year=str(registration.academic_year),
        state=registration.get_state_display(),
        todo=todo,
        due=add_months(year_start(registration.academic_year), 1),
    )


def student_record(reader: Any, student_id: int) -> StudentRecord:
    """The student's archive as ``reader`` may see it (QRY-1, ANN-11, SEC-2); ``Student.DoesNotExist`` otherwise."""
    student = Student.objects.for_user(reader).select_related("college", "major").get(pk=student_id)
    full = sees_full_id_numbers(reader)
    requests = [
        (request, shown_changes(request, full_id_number=full))
        for request in IdentityChangeRequest.objects.filter(student=student).prefetch_related("proofs")
    ]
    return StudentRecord(
        student=student,
        masked_id_number=student.id_number if full else mask(student.id_number),
        left=student.student_status not in codes.ACTIVE_STUDENT_STATUSES,
        timeline=student_timeline(reader, student),
        notice=deferral_notice(student),
        identity_requests=requests,
        check_in=check_in_notice(student),
    )
