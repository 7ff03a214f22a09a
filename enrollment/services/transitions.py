"""Admission transitions: the one path, single or set-based, by which an AdmissionRecord changes state.

Both paths call the ``@transition`` methods declared on the model (so the
declarations stay the only transition table) and record one audit event per
record. The set-based path then writes each group of records with one
conditional UPDATE whose ``state`` filter is the group's source state: if any
record moved meanwhile, the count differs and the whole transaction fails.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import EventSpec, audit_record_many
from enrollment.models import AdmissionRecord, AdmissionState, ReviewOutcome
from enrollment.services.registration import create_students
from registrar.batches import transition_label, transition_sources, transition_target
from registrar.models import User
from registrar.services import DomainError
from registrar.sql import collector_paused, id_in

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


@functools.cache
def _path(transition: str, state: str) -> tuple[str, ...] | None:
    found = path_to_uncached(transition, state)
    return tuple(found) if found is not None else None


def path_to(transition: str, state: str) -> list[str] | None:
    """The transitions that take a record in ``state`` through ``transition`` (see ``path_to_uncached``)."""
    found = _path(transition, state)
    return list(found) if found is not None else None


def path_to_uncached(transition: str, state: str) -> list[str] | None:
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

    record: AdmissionRecord | RecordRow
    transition: str
    reason: str = ""
    deferral_end: datetime.date | None = None
    rereview_on: datetime.date | None = None


def _apply(record: AdmissionRecord, name: str, current: str, *, now, step: Step) -> str:
    """Run one declared transition on ``record`` in memory; return the state it leads to.

    The guard and the field effects are the declaration's own (its source list,
    its conditions, its method body). The method body is called unwrapped: the
    wrapper's per-instance signals make django-fsm-log insert one row per call,
    which would turn the set-based path into a loop of inserts; the audit events
    written below are the log of these transitions.
    """
    method = getattr(AdmissionRecord, name)
    meta = method._django_fsm
    if not meta.has_transition(current) or not meta.conditions_met(record, current):
        raise DomainError(
            _("%(name)s（%(exam_number)s）当前为“%(state)s”，不能%(action)s")
            % {
                "name": record.name,
                "exam_number": record.exam_number,
                "state": AdmissionState(current).label,
                "action": transition_label(AdmissionRecord, name),
            }
        )
    if name == "defer":
        method.__wrapped__(record, at=now, until=step.deferral_end)
    elif name == "pass_rereview":
        method.__wrapped__(record, on=step.rereview_on)
    else:
        method.__wrapped__(record, at=now)
    return meta.next_state(current)


# The fields a transition may set besides the state; a probe starts them at UNSET to see which it sets.
STATE_FIELDS = ("state_changed_at", "deferral_end", "rereview_passed_on")
UNSET = object()


@dataclass(slots=True)
class RecordRow:
    """What the set-based path needs of a locked record; no model instance per row."""

    pk: int
    year: int
    exam_number: str
    name: str
    state: str
    college_id: int
    student_id: int | None
    identity_conflict: bool


ROW_FIELDS = ("pk", "year", "exam_number", "name", "state", "college_id", "student_id", "identity_conflict")


def _probe(record, step: Step, now) -> tuple[str, dict]:
    """The target state and the field values that the declared path sets, found on a probe instance.

    Every record with the same source state and step arguments gets the same
    values, so the path runs once per group instead of once per record.
    """
    path = path_to(step.transition, record.state)
    if path is None:
        raise DomainError(
            _("%(name)s（%(exam_number)s）当前为“%(state)s”，不能%(action)s")
            % {
                "name": record.name,
                "exam_number": record.exam_number,
                "state": AdmissionState(record.state).label,
                "action": transition_label(AdmissionRecord, step.transition),
            }
        )
    probe = AdmissionRecord(state=record.state, name=record.name, exam_number=record.exam_number)
    for name in STATE_FIELDS:
        setattr(probe, name, UNSET)
    current = record.state
    for name in path:
        current = _apply(probe, name, current, now=now, step=step)
    return current, {name: getattr(probe, name) for name in STATE_FIELDS if getattr(probe, name) is not UNSET}


@collector_paused()
def admission_apply_steps(
    *,
    actor: User | None,
    steps: Sequence[Step],
    document_number: str = "",
    action_prefix: str = "enrollment.admission",
) -> list:
    """录取状态变更（批量）: apply every step with set-based writes and one audit event per record.

    Run inside a transaction, with the records locked (``lock_records``). The
    declared transitions decide each group's target and fields; one
    conditional UPDATE per group writes them. Registration (ENR-2) creates
    the students and their accounts in bulk.
    """
    if not steps:
        return []
    now = timezone.now()
    plans: dict[tuple, _Plan] = {}
    planned: list[tuple[Step, _Plan]] = []
    for step in steps:
        record = step.record
        key = (record.state, step.transition, step.deferral_end, step.rereview_on)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _plan(record, step, now, action_prefix)
        planned.append((step, plan))

    # Students first, so that the state UPDATE of registered records also links them.
    registered = [s.record for s in steps if s.transition == "register"]
    if registered:
        create_students(actor=actor, records=registered)

    # One conditional UPDATE per (source, target, field values) group: its ``state`` filter
    # is the group's source, so a record that moved meanwhile makes the count differ.
    groups: dict[tuple, list] = defaultdict(list)
    for step, plan in planned:
        groups[plan.group].append(step.record)

    def update_groups() -> None:
        for (source, target, values), members in groups.items():
            for start in range(0, len(members), CHUNK):
                chunk = members[start : start + CHUNK]
                if _update_group(chunk, source, {"state": target, **dict(values)}) != len(chunk):
                    raise DomainError(_("部分录取数据已被他人处理，请刷新后重试"))

    subject_type = AdmissionRecord._meta.label_lower
    events = []
    for step, plan in planned:
        record = step.record
        student_id = record.student_id
        events.append(
            EventSpec(
                action=plan.action,
                subject=(subject_type, record.pk),
                actor=actor,
                before=plan.before,
                after={**plan.after, "student": student_id} if student_id else plan.after,
                reason=step.reason,
                document_number=document_number,
                student_id=student_id,
                college_id=record.college_id,
            )
        )
    # The events are hashed in a worker thread while the UPDATEs run.
    audit_record_many(events, meanwhile=update_groups)

    state_field = AdmissionRecord._meta.get_field("state")
    for step, plan in planned:
        record = step.record
        if isinstance(record, AdmissionRecord):
            state_field.set_state(record, plan.target)
            for name, value in plan.values.items():
                setattr(record, name, value)
        else:
            record.state = plan.target
    return [s.record for s in steps]


@dataclass(frozen=True)
class _Plan:
    """What every record with the same source state and step arguments gets: found once, shared by all.

    ``before`` and ``after`` are shared objects, so the audit encodes them once.
    """

    action: str
    target: str
    values: dict
    group: tuple
    before: dict
    after: dict


def _plan(record, step: Step, now, action_prefix: str) -> _Plan:
    target, values = _probe(record, step, now)
    return _Plan(
        action=f"{action_prefix}.{step.transition}",
        target=target,
        values=values,
        group=(record.state, target, tuple(values.items())),
        before={"state": record.state},
        after={
            "state": target,
            **{k: v for k, v in values.items() if v is not None and k != "state_changed_at"},
        },
    )


def _update_group(records: list[AdmissionRecord], source: str, values: dict) -> int:
    """UPDATE the records still in ``source`` with ``values`` (and, when registering, each one's student).

    The ids go as one array on PostgreSQL, which reaches the records by primary key however
    large the table; the row count tells whether any record moved meanwhile.
    """
    table = AdmissionRecord._meta.db_table
    sets = ", ".join(f"{name} = %s" for name in values)
    params = [
        AdmissionRecord._meta.get_field(name).get_db_prep_save(v, connection) for name, v in values.items()
    ]
    link_students = values["state"] == AdmissionState.REGISTERED and any(r.student_id for r in records)
    if not link_students:
        where, id_params = id_in([r.pk for r in records])
        sql = f"UPDATE {table} SET {sets} WHERE id {where} AND state = %s"
        pair_params = id_params
    elif connection.vendor == "postgresql":
        ids = [r.pk for r in records]
        sql = (
            f"UPDATE {table} AS t SET {sets}, student_id = v.sid "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(rid, sid) "
            "WHERE t.id = v.rid AND t.id = ANY(%s::bigint[]) AND t.state = %s"
        )
        pair_params = [ids, [r.student_id for r in records], ids]
    else:
        pairs = ", ".join(["(%s, %s)"] * len(records))
        pair_params = [v for r in records for v in (r.pk, r.student_id)]
        sql = (
            f"UPDATE {table} SET {sets}, student_id = v.column2 FROM (VALUES {pairs}) AS v "
            f"WHERE {table}.id = v.column1 AND {table}.state = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pair_params, source])
        return cursor.rowcount


def lock_records(ids: Sequence[int], *, full: bool = False) -> dict[int, Any]:
    """The records, locked in primary-key order until the transaction ends.

    ``RecordRow`` values for the set-based path (one statement per chunk, the
    ids passed as one array on PostgreSQL), or model instances when ``full``.
    """
    found: dict[int, Any] = {}
    ordered = sorted(set(ids))
    table = AdmissionRecord._meta.db_table
    columns = ", ".join("id" if f == "pk" else f for f in ROW_FIELDS)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        if full:
            query = AdmissionRecord.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
            found.update((record.pk, record) for record in query)
            continue
        where, params = id_in(chunk)
        with connection.cursor() as cursor:
            lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
            cursor.execute(f"SELECT {columns} FROM {table} WHERE id {where} ORDER BY id{lock}", params)
            found.update((row[0], RecordRow(*row)) for row in cursor.fetchall())
    return found


def target_of(transition: str) -> str:
    return transition_target(AdmissionRecord, transition)
