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

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.services import EventSpec, audit_record_many
from enrollment.models import AdmissionRecord, AdmissionState, ReviewOutcome
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
STUDENT_NUMBER_LOCK_KEY = 0x3E1A1


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
            f"{record.name}（{record.exam_number}）当前为“{AdmissionState(current).label}”，"
            f"不能{transition_label(AdmissionRecord, name)}"
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
            f"{record.name}（{record.exam_number}）当前为“{AdmissionState(record.state).label}”，"
            f"不能{transition_label(AdmissionRecord, step.transition)}"
        )
    probe = AdmissionRecord(state=record.state, name=record.name, exam_number=record.exam_number)
    for name in STATE_FIELDS:
        setattr(probe, name, UNSET)
    current = record.state
    for name in path:
        current = _apply(probe, name, current, now=now, step=step)
    return current, {name: getattr(probe, name) for name in STATE_FIELDS if getattr(probe, name) is not UNSET}


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
    probes: dict[tuple, tuple[str, dict]] = {}
    planned: list[tuple[Step, str, str, dict]] = []
    for step in steps:
        record = step.record
        key = (record.state, step.transition, step.deferral_end, step.rereview_on)
        if key not in probes:
            probes[key] = _probe(record, step, now)
        target, values = probes[key]
        planned.append((step, record.state, target, values))

    # Students first, so that the state UPDATE of registered records also links them.
    registered = [s.record for s in steps if s.transition == "register"]
    if registered:
        _create_students(actor=actor, records=registered)

    # One conditional UPDATE per (source, target, field values) group: its ``state`` filter
    # is the group's source, so a record that moved meanwhile makes the count differ.
    groups: dict[tuple, list] = defaultdict(list)
    for step, source, target, values in planned:
        groups[(source, target, tuple(values.items()))].append(step.record)
    for (source, target, values), members in groups.items():
        for start in range(0, len(members), CHUNK):
            chunk = members[start : start + CHUNK]
            if _update_group(chunk, source, {"state": target, **dict(values)}) != len(chunk):
                raise DomainError("部分录取数据已被他人处理，请刷新后重试")

    state_field = AdmissionRecord._meta.get_field("state")
    events = []
    for step, source, target, values in planned:
        record = step.record
        if isinstance(record, AdmissionRecord):
            state_field.set_state(record, target)
            for name, value in values.items():
                setattr(record, name, value)
        else:
            record.state = target
        after = {
            "state": target,
            **{k: v for k, v in values.items() if v is not None and k != "state_changed_at"},
        }
        if record.student_id:
            after["student"] = record.student_id
        events.append(
            EventSpec(
                action=f"{action_prefix}.{step.transition}",
                subject=(AdmissionRecord._meta.label_lower, record.pk),
                actor=actor,
                before={"state": source},
                after=after,
                reason=step.reason,
                document_number=document_number,
                student_id=record.student_id,
                college_id=record.college_id,
            )
        )
    audit_record_many(events)
    return [s.record for s in steps]


def _next_student_number(year: int) -> int:
    prefix = str(year)
    last = (
        Student.objects.filter(student_number__startswith=prefix, student_number__regex=r"^\d{10}$")
        .order_by("-student_number")
        .values_list("student_number", flat=True)
        .first()
    )
    return int(last[4:]) + 1 if last else 1


def _create_students(*, actor: User | None, records: list[AdmissionRecord]) -> None:
    """学籍注册: a Student in its initial status (在籍) for each record, its history row, and an account.

    INSERT … SELECT statements copy the admission data over, so that
    registering ten thousand students writes no Python objects. The account
    has no usable password: the first one is set by ``student_passwords_issue``
    and handed out by the college; it is random, never derived from the id number.
    """
    new = sorted((r for r in records if r.student_id is None), key=lambda r: r.pk)
    if not new:
        return
    by_year: dict[int, list[AdmissionRecord]] = defaultdict(list)
    for r in new:
        by_year[r.year].append(r)
    numbers: dict[str, AdmissionRecord] = {}
    for year, group in by_year.items():
        if connection.vendor == "postgresql":  # one allocator of a year's student numbers at a time
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [STUDENT_NUMBER_LOCK_KEY, year])
        start = _next_student_number(year)
        for offset, r in enumerate(group):
            numbers[f"{year}{start + offset:06d}"] = r
    try:
        with transaction.atomic():
            student_ids = _insert_students(numbers, actor)
    except IntegrityError as exc:
        raise DomainError("有学生的证件号码已有在籍学籍或学号冲突，不能注册（ENR-6），请核对后重试") from exc
    for number, record in numbers.items():
        record.student_id = student_ids[number]


def _in(ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


STUDENT_FROM_RECORD = {
    "name": "r.name",
    "gender": "r.gender",
    "ethnicity": "r.ethnicity",
    "birth_date": "r.birth_date",
    "id_type": "r.id_type",
    "id_number": "r.id_number",
    "exam_number": "r.exam_number",
    "political_status": "r.political_status",
    "college_id": "r.college_id",
    "major_id": "r.major_id",
    "level": "r.level",
    "program_years": "r.program_years",
    "study_mode": "r.study_mode",
    "admission_type": "r.admission_type",
    "entry_date": "r.entry_date",
}


def _student_select() -> tuple[list[str], list[str], list]:
    columns, exprs, params = [], [], []
    for f in Student._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.column in STUDENT_FROM_RECORD:
            exprs.append(STUDENT_FROM_RECORD[f.column])
        elif f.column == "student_number":
            exprs.append("n.number")
        elif f.has_default():
            exprs.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            exprs.append("NULL")
        else:
            exprs.append("%s")
            params.append("")
    return columns, exprs, params


def _history_select(actor: User | None) -> tuple[list[str], list[str], list]:
    """The first history row of a new student (alias ``s``), so that every later change keeps the value before."""
    columns, exprs, params = [], [], []
    for f in Student.history.model._meta.concrete_fields:
        if f.column == "history_id":
            continue
        columns.append(f.column)
        if f.column == "history_date":
            exprs.append("%s")
            params.append(timezone.now())
        elif f.column == "history_type":
            exprs.append("'+'")
        elif f.column == "history_change_reason":
            exprs.append("%s")
            params.append("新生学籍注册")
        elif f.column == "history_user_id":
            exprs.append("%s")
            params.append(actor.pk if getattr(actor, "pk", None) else None)
        else:
            exprs.append(f"s.{f.column}")
    return columns, exprs, params


def _account_select() -> tuple[list[str], list[str], list]:
    """A student account for a new student (alias ``s``), named by the student number, no usable password yet."""
    random_tail = (
        "md5(random()::text || s.id::text)" if connection.vendor == "postgresql" else "hex(randomblob(16))"
    )
    values = {
        "password": f"'{UNUSABLE_PASSWORD_PREFIX}' || {random_tail}",
        "username": "s.student_number",
        "first_name": "s.name",
        "student_id": "s.id",
    }
    columns, exprs, params = [], [], []
    for f in User._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.column in values:
            exprs.append(values[f.column])
        elif f.column == "role":
            exprs.append("%s")
            params.append(Role.STUDENT.value)
        elif f.has_default():
            exprs.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            exprs.append("NULL")
        else:
            exprs.append("''")
    return columns, exprs, params


def _insert_students(numbers: dict[str, AdmissionRecord], actor: User | None) -> dict[str, int]:
    """Students, their first history rows and their accounts, from the admission records; number → id.

    PostgreSQL does all three in one statement (data-modifying CTEs); other
    databases run three INSERT … SELECT statements.
    """
    student_table, history_table = Student._meta.db_table, Student.history.model._meta.db_table
    columns, exprs, params = _student_select()
    pg = connection.vendor == "postgresql"
    pairs = list(numbers.items())
    result: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            mapping = "(VALUES " + ", ".join(["(%s, %s)"] * len(chunk)) + ")"
            alias, rid, number = (
                ("n(rid, number)", "n.rid", "n.number") if pg else ("n", "n.column1", "n.column2")
            )
            select = ", ".join(exprs).replace("n.number", number)
            insert = (
                f"INSERT INTO {student_table} ({', '.join(columns)}) "
                f"SELECT {select} FROM {AdmissionRecord._meta.db_table} r JOIN {mapping} AS {alias} ON r.id = {rid}"
            )
            insert_params = [*params, *[v for number, rec in chunk for v in (rec.pk, number)]]
            if pg:
                h_cols, h_exprs, h_params = _history_select(actor)
                u_cols, u_exprs, u_params = _account_select()
                cursor.execute(
                    f"WITH s AS ({insert} RETURNING *), "
                    f"h AS (INSERT INTO {history_table} ({', '.join(h_cols)}) SELECT {', '.join(h_exprs)} FROM s), "
                    f"u AS (INSERT INTO {User._meta.db_table} ({', '.join(u_cols)}) SELECT {', '.join(u_exprs)} FROM s) "
                    "SELECT id, student_number FROM s",
                    [*insert_params, *h_params, *u_params],
                )
                result.update({number: pk for pk, number in cursor.fetchall()})
                continue
            cursor.execute(f"{insert} RETURNING id, student_number", insert_params)
            created = {number: pk for pk, number in cursor.fetchall()}
            result.update(created)
            where, where_params = _in(list(created.values()))
            for cols, sel, sel_params, table in (
                (*_history_select(actor), history_table),
                (*_account_select(), User._meta.db_table),
            ):
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(sel)} FROM {student_table} s "
                    f"WHERE s.id {where}",
                    [*sel_params, *where_params],
                )
    return result


def _update_group(records: list[AdmissionRecord], source: str, values: dict) -> int:
    """UPDATE the records still in ``source`` with ``values`` (and each one's student); the row count."""
    if all(r.student_id is None for r in records) or values["state"] != AdmissionState.REGISTERED:
        return AdmissionRecord.objects.filter(pk__in=[r.pk for r in records], state=source).update(**values)
    table = AdmissionRecord._meta.db_table
    sets = ", ".join(f"{name} = %s" for name in values)
    params = [
        AdmissionRecord._meta.get_field(name).get_db_prep_save(v, connection) for name, v in values.items()
    ]
    pairs = ", ".join(["(%s, %s)"] * len(records))
    pair_params = [v for r in records for v in (r.pk, r.student_id)]
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} AS t SET {sets}, student_id = v.sid FROM (VALUES {pairs}) AS v(rid, sid) "
            "WHERE t.id = v.rid AND t.state = %s"
        )
    else:
        sql = (
            f"UPDATE {table} SET {sets}, student_id = v.column2 FROM (VALUES {pairs}) AS v "
            f"WHERE {table}.id = v.column1 AND {table}.state = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pair_params, source])
        return cursor.rowcount


def lock_records(ids: Sequence[int], *, full: bool = False) -> dict[int, Any]:
    """The records, locked in primary-key order until the transaction ends.

    ``RecordRow`` values for the set-based path, or model instances when ``full``.
    """
    found: dict[int, Any] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        query = AdmissionRecord.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        if full:
            found.update((record.pk, record) for record in query)
        else:
            found.update((row[0], RecordRow(*row)) for row in query.values_list(*ROW_FIELDS))
    return found


def target_of(transition: str) -> str:
    return transition_target(AdmissionRecord, transition)
