"""Admission transitions: the one path, single or set-based, by which an AdmissionRecord changes state.

Both paths call the ``@transition`` methods declared on the model (so the
declarations stay the only transition table) and record one audit event per
record. The set-based path then writes each group of records with one
conditional UPDATE whose ``state`` filter is the group's source state: if any
record moved meanwhile, the count differs and the whole transaction fails.
"""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_fsm import can_proceed
from simple_history.utils import bulk_create_with_history

from audit.services import EventSpec, audit_record_many
from enrollment.models import AdmissionRecord, AdmissionState, ReviewOutcome
from registrar import codes
from registrar.batches import transition_label, transition_sources, transition_target
from registrar.models import Student, User
from registrar.roles import Role
from registrar.services import DomainError

# The transition that gives each review outcome its final state (ENR-3).
OUTCOME_TRANSITION = {
    ReviewOutcome.PASSED: "register",
    ReviewOutcome.FORFEITED: "forfeit",
    ReviewOutcome.DEFERRED: "defer",
    ReviewOutcome.CANCELLED: "cancel",
}
CHUNK = 5000


def _declared() -> list:
    return list(AdmissionRecord._meta.get_field("state").get_all_transitions(AdmissionRecord))


def path_to(transition: str, state: str) -> list[str] | None:
    """The transitions that take a record in ``state`` through ``transition``.

    Either ``transition`` itself, or one declared step that reaches one of its
    sources first (e.g. imported --admit--> admitted --register--> registered).
    ``None`` when the declarations allow no such path.
    """
    sources = transition_sources(AdmissionRecord, transition)
    if state in sources:
        return [transition]
    for t in _declared():
        if t.source == state and t.target in sources and t.target != t.source:
            return [t.name, transition]
    return None


def outcome_sources(outcome: str) -> set[str]:
    """The states from which a review outcome can be applied, derived from the declarations."""
    return {s for s in AdmissionState.values if path_to(OUTCOME_TRANSITION[outcome], s) is not None}


@dataclass
class Step:
    """One record to move: the final transition, its keyword arguments, and what to say in the audit trail."""

    record: AdmissionRecord
    transition: str
    reason: str = ""
    deferral_end: datetime.date | None = None
    rereview_on: datetime.date | None = None


def _call(record: AdmissionRecord, name: str, *, now, step: Step) -> None:
    method = getattr(record, name)
    if not can_proceed(method):
        raise DomainError(
            f"{record.name}（{record.exam_number}）当前为“{record.get_state_display()}”，"
            f"不能{transition_label(AdmissionRecord, name)}"
        )
    if name == "defer":
        method(at=now, until=step.deferral_end)
    elif name == "pass_rereview":
        method(on=step.rereview_on)
    else:
        method(at=now)


STATE_FIELDS = ("state_changed_at", "deferral_end", "rereview_passed_on")


def admission_apply_steps(
    *,
    actor: User | None,
    steps: Sequence[Step],
    document_number: str = "",
    action_prefix: str = "enrollment.admission",
) -> list[AdmissionRecord]:
    """录取状态变更（批量）: apply every step with set-based writes and one audit event per record.

    Run inside a transaction, with the records locked (``select_for_update``).
    Registration (ENR-2) creates the students and their accounts in bulk.
    """
    if not steps:
        return []
    now = timezone.now()
    befores: dict[int, str] = {}
    for step in steps:
        record = step.record
        befores[record.pk] = record.state
        path = path_to(step.transition, record.state)
        if path is None:
            raise DomainError(
                f"{record.name}（{record.exam_number}）当前为“{record.get_state_display()}”，"
                f"不能{transition_label(AdmissionRecord, step.transition)}"
            )
        for name in path:
            _call(record, name, now=now, step=step)

    # One conditional UPDATE per (source, target, field values) group.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for step in steps:
        r = step.record
        key = (befores[r.pk], r.state, r.state_changed_at, r.deferral_end, r.rereview_passed_on)
        groups[key].append(r.pk)
    for (source, target, changed_at, deferral_end, rereview_on), ids in groups.items():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            count = AdmissionRecord.objects.filter(pk__in=chunk, state=source).update(
                state=target,
                state_changed_at=changed_at,
                deferral_end=deferral_end,
                rereview_passed_on=rereview_on,
            )
            if count != len(chunk):
                raise DomainError("部分录取数据已被他人处理，请刷新后重试")

    registered = [s.record for s in steps if s.transition == "register"]
    if registered:
        _create_students(actor=actor, records=registered)

    audit_record_many(
        [
            EventSpec(
                action=f"{action_prefix}.{step.transition}",
                subject=step.record,
                actor=actor,
                before={"state": befores[step.record.pk]},
                after={
                    "state": step.record.state,
                    **({"deferral_end": step.record.deferral_end} if step.record.deferral_end else {}),
                    **({"student": step.record.student_id} if step.record.student_id else {}),
                    **({"rereview_passed_on": step.rereview_on} if step.rereview_on else {}),
                },
                reason=step.reason,
                document_number=document_number,
                student_id=step.record.student_id,
                college_id=step.record.college_id,
            )
            for step in steps
        ]
    )
    return [s.record for s in steps]


def _next_student_numbers(year: int, count: int) -> list[str]:
    prefix = str(year)
    last = (
        Student.objects.filter(student_number__startswith=prefix, student_number__regex=r"^\d{10}$")
        .order_by("-student_number")
        .values_list("student_number", flat=True)
        .first()
    )
    start = int(last[4:]) + 1 if last else 1
    return [f"{prefix}{n:06d}" for n in range(start, start + count)]


def _create_students(*, actor: User | None, records: list[AdmissionRecord]) -> None:
    """学籍注册: a Student in status 在籍 for each record, and a student account without a password yet.

    The first password is set later by ``student_passwords_issue`` and handed
    out by the college; it is random, never derived from the id number.
    """
    new = [r for r in records if r.student_id is None]
    numbers = _next_student_numbers(min((r.year for r in new), default=timezone.now().year), len(new))
    students = [
        Student(
            name=r.name,
            gender=r.gender,
            ethnicity=r.ethnicity,
            birth_date=r.birth_date,
            id_type=r.id_type,
            id_number=r.id_number,
            exam_number=r.exam_number,
            student_number=number,
            political_status=r.political_status,
            college_id=r.college_id,
            major_id=r.major_id,
            level=r.level,
            program_years=r.program_years,
            study_mode=r.study_mode,
            admission_type=r.admission_type,
            entry_date=r.entry_date,
            student_status=codes.StudentStatus.IN_SCHOOL,
        )
        for r, number in zip(new, numbers, strict=True)
    ]
    try:
        with transaction.atomic():
            created = bulk_create_with_history(
                students, Student, batch_size=2000, default_user=actor if getattr(actor, "pk", None) else None
            )
    except IntegrityError as exc:
        raise DomainError("有学生的证件号码已有在籍学籍，不能重复注册（ENR-6）") from exc
    if any(s.pk is None for s in created):  # databases that do not return ids from bulk inserts
        by_number = dict(
            Student.objects.filter(student_number__in=numbers).values_list("student_number", "pk")
        )
        for s in created:
            s.pk = s.id = by_number[s.student_number]
    for record, student in zip(new, created, strict=True):
        record.student_id = student.pk
    User.objects.bulk_create(
        [
            User(
                username=s.student_number,
                role=Role.STUDENT,
                student_id=s.pk,
                first_name=s.name,
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(10),
            )
            for s in created
        ],
        batch_size=2000,
    )
    _link_students([(r.pk, r.student_id) for r in new])


def _link_students(pairs: list[tuple[int, int]]) -> None:
    """Set ``student_id`` on many records in one statement per chunk."""
    table = AdmissionRecord._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [v for pair in chunk for v in pair]
            if connection.vendor == "postgresql":
                sql = (
                    f"UPDATE {table} AS t SET student_id = v.sid FROM (VALUES {values}) AS v(rid, sid) "
                    "WHERE t.id = v.rid"
                )
            else:
                sql = f"UPDATE {table} SET student_id = v.column2 FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"
            cursor.execute(sql, params)


def lock_records(ids: Sequence[int]) -> dict[int, AdmissionRecord]:
    """The records, locked in primary-key order until the transaction ends."""
    found: dict[int, AdmissionRecord] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for record in AdmissionRecord.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
            found[record.pk] = record
    return found


def target_of(transition: str) -> str:
    return transition_target(AdmissionRecord, transition)
