"""Set-based transitions (批量状态变更): the one engine by which any app moves many rows of an FSM field.

An app describes its state machine once in a ``Machine``: the model, its FSM
field, the columns its locked rows carry, how a message names a row, which
college and student each audit event belongs to, and a ``Hook`` for the
columns and side effects of its own. Then, inside one transaction::

    rows = lock_rows(MACHINE, ids)  # FOR UPDATE, in primary-key order
    apply_moves(MACHINE, [Move(rows[pk], "suspend", reason=...) for pk in rows], actor=..., document_number=...)

``apply_moves`` groups the moves by (source state, transition, arguments).
Once per group it fires the declared ``@transition`` methods on a probe
instance through django-fsm-2's public API, so the declaration's source list,
conditions and ``permission=`` decide, and the probe's fields tell the target
state and the values the method sets. It then writes one conditional UPDATE
per (source, target, values) group (``… AND <field> = source``, row counts
checked: a row that moved meanwhile makes the whole call fail) and one audit
event per row, hashed in a worker thread while the UPDATEs run.

The audit trail is the state log: every transition, single or bulk, leaves
one chained event with actor, reason, 文号 and before/after values.

Transition methods take the uniform ``TransitionArgs`` (actor, time, date,
reason, 文号), hold only their guard and the fields of their target state,
and decide from the state and these arguments: a probe carries no row's data
(its other fields are unset), so a check on a row's own data belongs to the
app's validation, which reports every row at once. Likewise ``permission=`` is
asked once per group and must not read the row: which rows a user may touch
at all (their college) is the caller's scoping (``for_user``), as everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, make_dataclass
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from audit.services import EventSpec, audit_record_many
from registrar.errors import DomainError
from registrar.sql import collector_paused, id_in

# Rows per statement: a lock or an UPDATE of one chunk stays one statement of bounded size.
CHUNK = 5000


class TransitionArgs(TypedDict, total=False):
    """The arguments every ``@transition`` method takes, whichever app declares it."""

    by: Any  # the acting user, or None for the system
    at: datetime.datetime  # when
    date: datetime.date | None  # the date the decision names: deferral end, 复查 date, effective date …
    reason: str
    document_number: str  # 文号
    details: dict[str, Any]  # what else a single decision records (e.g. the values the province confirmed)


# --- The declarations, read through django-fsm-2's public API -------------------------------------


def declared(model: type[models.Model], field: str = "state", **custom: Any) -> list:
    """``model``'s declared transitions on ``field`` (``Transition`` objects, one per source).

    With ``custom``, only those whose ``custom=`` holds these values (e.g. ``decision="record"``).
    """
    found = model._meta.get_field(field).get_all_transitions(model)
    return [t for t in found if all(t.custom.get(k) == v for k, v in custom.items())]


def declared_names(model: type[models.Model], field: str = "state", **custom: Any) -> tuple[str, ...]:
    """The names of ``declared(...)``, each once, in the order the model declares them."""
    found = sorted(declared(model, field, **custom), key=lambda t: t.method.__code__.co_firstlineno)
    return tuple(dict.fromkeys(t.name for t in found))


def transition_sources(model: type[models.Model], method: str, field: str = "state") -> set[str]:
    """The source states of ``model``'s transition ``method``, read from its declaration."""
    sources = {t.source for t in declared(model, field) if t.name == method}
    if not sources:
        raise ValueError(f"{model.__name__} declares no transition {method!r}")
    return sources


def transition_target(model: type[models.Model], method: str, field: str = "state") -> str:
    targets = {t.target for t in declared(model, field) if t.name == method}
    if len(targets) != 1:
        raise ValueError(f"{model.__name__}.{method} has no single target")
    return targets.pop()


def transition_label(model: type[models.Model], method: str, field: str = "state") -> str:
    """What the transition is called (its ``custom={"label": …}``), in the active language."""
    for t in declared(model, field):
        if t.name == method:
            return str(t.custom.get("label", method))
    return method


def may_fire(user: Any, instance: models.Model, method: str, field: str = "state") -> bool:
    """Whether the declaration's ``permission=`` lets ``user`` fire ``method`` on ``instance``, whatever its state."""
    return any(t.name == method and t.has_perm(instance, user) for t in declared(type(instance), field))


def user_actions(
    user: Any, instance: models.Model, field: str = "state", **custom: Any
) -> list[tuple[str, str]]:
    """(name, label) of the transitions ``user`` may fire on ``instance`` now: buttons and API actions.

    ``get_available_user_<field>_transitions``: the declaration's sources,
    conditions and ``permission=``; with ``custom``, only those marked so.
    """
    available = getattr(instance, f"get_available_user_{field}_transitions")(user)
    return [
        (t.name, str(t.custom.get("label", t.name)))
        for t in available
        if all(t.custom.get(k) == v for k, v in custom.items())
    ]


# --- What an app declares ------------------------------------------------------------------------


class Hook:
    """What an app adds to the engine: columns of the same UPDATE and side effects. Each method may stay as is."""

    def prepare(self, moves: Sequence[Move], *, actor: Any) -> None:
        """Side effects before the UPDATEs, in the same transaction (e.g. create the students being registered)."""

    def row_columns(self, source: str, target: str) -> tuple[str, ...]:
        """Columns that the UPDATE of a (source → target) group also sets, each row from its own attribute."""
        return ()

    def event_after(self, row: Any, after: dict[str, Any]) -> dict[str, Any]:
        """One row's audit ``after``; return ``after`` itself (shared, encoded once) when it adds nothing."""
        return after

    def finish(self, moves: Sequence[Move], *, actor: Any) -> None:
        """Side effects after the UPDATEs, in the same transaction (e.g. a follow-up task through the outbox)."""

    def colleges(self, rows: Sequence[Any]) -> dict[Any, int | None] | None:
        """Each row's college for its audit event (pk → id), when the rows reach it only through another
        table (a photo through its student); ``None`` (the default) reads ``Machine.college`` of each row."""
        return None


@dataclass(frozen=True)
class Machine:
    """One model's FSM field as the engine moves it."""

    model: type[models.Model]
    field: str = "state"
    # What a locked row carries besides ``pk`` and the state: what ``describe``, the placement and the hook read.
    columns: tuple[str, ...] = ()
    describe: Callable[[Any], str] = str  # a row as messages name it, e.g. "张三（2026…）"
    college: str | None = "college_id"  # the row attribute holding the audit event's college
    student: str | None = "student_id"  # … and its student ("pk" when the rows are students)
    action_prefix: str = ""  # audit actions are "<prefix>.<transition>"; default "<app>.<model>"
    quiet: tuple[str, ...] = ()  # fields the transitions set that the audit ``after`` leaves out
    conflict: str = gettext_lazy("部分数据已被他人处理，请刷新后重试")
    hook: Hook = dataclasses.field(default_factory=Hook)

    @functools.cached_property
    def row_class(self) -> type:
        """A slotted record per locked row: no model instance per row on the set-based path."""
        names = ["pk", self.field, *self.columns]
        return make_dataclass(f"{self.model.__name__}Row", names, slots=True)

    @functools.cached_property
    def probe_fields(self) -> tuple[str, ...]:
        """The attnames a transition might set: every concrete field but the primary key and the state."""
        meta = self.model._meta
        return tuple(f.attname for f in meta.concrete_fields if not f.primary_key and f.name != self.field)

    def prefix(self) -> str:
        return self.action_prefix or self.model._meta.label_lower


@dataclass(slots=True)
class Move:
    """One row to move by one declared transition, or by a path of them (e.g. ``("admit", "register")``)."""

    row: Any  # from ``lock_rows``, or a locked model instance
    transition: str | tuple[str, ...]
    reason: str = ""
    date: datetime.date | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return (self.transition,) if isinstance(self.transition, str) else self.transition


# --- The engine ----------------------------------------------------------------------------------


@collector_paused()
def lock_rows(machine: Machine, ids: Iterable[int], *, full: bool = False) -> dict[int, Any]:
    """The rows, locked in primary-key order until the transaction ends; pk → row.

    ``machine.row_class`` records (one statement per chunk, the ids as one
    array on PostgreSQL), or model instances when ``full``. Thousands of records
    are made at once: the cyclic collector waits (``apply_moves`` does the same).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_rows must run inside a transaction")
    model, found = machine.model, {}
    ordered = sorted(set(ids))
    meta = model._meta
    columns = ", ".join(
        meta.pk.column if name == "pk" else meta.get_field(name).column
        for name in ["pk", machine.field, *machine.columns]
    )
    make = machine.row_class
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        if full:
            query = model._default_manager.select_for_update().filter(pk__in=chunk).order_by("pk")
            found.update((instance.pk, instance) for instance in query)
            continue
        where, params = id_in(chunk)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {meta.db_table} WHERE {meta.pk.column} {where} ORDER BY {meta.pk.column}{lock}",
                params,
            )
            found.update((row[0], make(*row)) for row in cursor.fetchall())
    return found


UNSET = object()  # a probe's field that the transition did not set


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every row of one (source, transition, arguments) group gets: found once, shared by all.

    ``before`` and ``after`` are shared objects, so the audit encodes them once.
    """

    action: str
    target: str
    values: dict[str, Any]
    update: tuple  # (source, target, values): the UPDATE this plan's rows share
    before: dict[str, Any]
    after: dict[str, Any]


def refusal(machine: Machine, row: Any, state: str, name: str) -> DomainError:
    """The error naming a row whose state the declaration does not let ``name`` leave, in Chinese."""
    labels = dict(machine.model._meta.get_field(machine.field).flatchoices)
    return DomainError(
        _("%(record)s当前为“%(state)s”，不能%(action)s")
        % {
            "record": machine.describe(row),
            "state": labels.get(state, state),
            "action": transition_label(machine.model, name, machine.field),
        }
    )


def _plan(machine: Machine, move: Move, path: tuple[str, ...], args: TransitionArgs, action: str) -> _Plan:
    """Fire the declared path on a probe in the row's state; read its target and the fields it set.

    The declaration decides through django-fsm-2's public API: its source list
    and conditions (``can_proceed`` and the call itself, which raises
    ``TransitionNotAllowed``) and its ``permission=`` (``has_transition_perm``).
    """
    model, source = machine.model, getattr(move.row, machine.field)
    probe = model(**{machine.field: source})
    for name in machine.probe_fields:
        probe.__dict__[name] = UNSET
    actor = args.get("by")
    for name in path:
        current = getattr(probe, machine.field)
        method = getattr(probe, name, None)
        if method is None or name not in declared_names(model, machine.field):
            raise ValueError(f"{model.__name__} declares no transition {name!r} on {machine.field}")
        if not can_proceed(method):
            raise refusal(machine, move.row, current, name)
        if actor is not None and not has_transition_perm(method, actor):
            raise PermissionDenied(
                _("无权%(action)s") % {"action": transition_label(model, name, machine.field)}
            )
        try:
            method(**args)
        except TransitionNotAllowed as exc:
            raise refusal(machine, move.row, current, name) from exc
    target = getattr(probe, machine.field)
    values = {
        name: probe.__dict__[name] for name in machine.probe_fields if probe.__dict__[name] is not UNSET
    }
    return _Plan(
        action=action,
        target=target,
        values=values,
        update=(source, target, tuple(values.items())),
        before={machine.field: source},
        after={
            machine.field: target,
            **{k: v for k, v in values.items() if v is not None and k not in machine.quiet},
        },
    )


@collector_paused()
def apply_moves(
    machine: Machine,
    moves: Sequence[Move],
    *,
    actor: Any,
    document_number: str = "",
    action_prefix: str | None = None,
    action: str | None = None,
) -> list[Any]:
    """状态变更（批量）: move every row by its declared transition, set-based, one audit event per row.

    Run inside a transaction with the rows locked (``lock_rows``). ``actor``
    None is the system (no ``permission=`` check). Each event's action is
    ``<action_prefix>.<transition>`` (default ``machine.action_prefix``), or
    ``action`` for every event. Raises ``DomainError`` naming the first row a
    declaration refuses, or ``machine.conflict`` when a row moved meanwhile;
    nothing is written then. Returns the rows, now in their new state.
    """
    if not moves:
        return []
    prefix = action_prefix or machine.prefix()
    now = timezone.now()
    plans: dict[tuple, _Plan] = {}
    planned: list[tuple[Move, _Plan]] = []
    field_name = machine.field
    for move in moves:
        key = (getattr(move.row, field_name), move.transition, move.date, move.reason)
        plan = plans.get(key)
        if plan is None:
            path = move.path
            args: TransitionArgs = {
                "by": actor,
                "at": now,
                "date": move.date,
                "reason": move.reason,
                "document_number": document_number,
            }
            plan = plans[key] = _plan(machine, move, path, args, action or f"{prefix}.{path[-1]}")
        planned.append((move, plan))

    hook = machine.hook
    hook.prepare(moves, actor=actor)

    groups: dict[tuple, list] = defaultdict(list)
    for move, plan in planned:
        groups[plan.update].append(move.row)

    def update_groups() -> None:
        for (source, target, values), rows in groups.items():
            extra = hook.row_columns(source, target)
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                if _update(machine, chunk, source, {field_name: target, **dict(values)}, extra) != len(chunk):
                    raise DomainError(str(machine.conflict))

    subject_type = machine.model._meta.label_lower
    student_attr, college_attr = machine.student, machine.college
    # The default hook adds nothing to ``after``: skip the call per row then.
    event_after = hook.event_after if type(hook).event_after is not Hook.event_after else None
    colleges = hook.colleges([move.row for move in moves])
    events = []
    for move, plan in planned:
        row = move.row
        student_id = getattr(row, student_attr) if student_attr else None
        if colleges is not None:
            college_id = colleges.get(row.pk)
        else:
            college_id = getattr(row, college_attr) if college_attr else None
        events.append(
            EventSpec(
                action=plan.action,
                subject=(subject_type, row.pk),
                actor=actor,
                before=plan.before,
                after=event_after(row, plan.after) if event_after else plan.after,
                reason=move.reason,
                document_number=document_number,
                student_id=student_id or None,
                college_id=college_id or None,
            )
        )
    # The events are hashed in a worker thread while the UPDATEs run.
    audit_record_many(events, meanwhile=update_groups)

    state_field = machine.model._meta.get_field(field_name)
    for move, plan in planned:
        row = move.row
        if isinstance(row, models.Model):
            state_field.set_state(row, plan.target)
            for name, value in plan.values.items():
                setattr(row, name, value)
        else:
            setattr(row, field_name, plan.target)
    hook.finish(moves, actor=actor)
    return [move.row for move in moves]


def _update(machine: Machine, rows: list, source: str, values: dict[str, Any], extra: tuple[str, ...]) -> int:
    """UPDATE the rows still in ``source`` with ``values``, and each row's own ``extra`` columns; the row count.

    The ids go as one array on PostgreSQL, which reaches the rows by primary
    key however large the table; ``extra`` columns come through ``unnest`` in
    the same statement. The count tells whether any row moved meanwhile.
    """
    meta = machine.model._meta
    table, pk, state = meta.db_table, meta.pk.column, meta.get_field(machine.field).column
    fields = {name: meta.get_field(name) for name in values}
    sets = ", ".join(f"{f.column} = %s" for f in fields.values())
    params = [fields[name].get_db_prep_save(v, connection) for name, v in values.items()]
    ids = [r.pk for r in rows]
    if not extra:
        where, id_params = id_in(ids)
        sql = f"UPDATE {table} SET {sets} WHERE {pk} {where} AND {state} = %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *id_params, source])
            return cursor.rowcount
    extra_fields = [meta.get_field(name) for name in extra]
    columns = [f.column for f in extra_fields]
    if connection.vendor == "postgresql":
        pk_type = meta.pk.rel_db_type(connection)
        arrays = ", ".join([f"%s::{pk_type}[]", *(f"%s::{f.db_type(connection)}[]" for f in extra_fields)])
        names = ", ".join(["rid", *(f"c{i}" for i in range(len(columns)))])
        sql = (
            f"UPDATE {table} AS t SET {sets}, "
            + ", ".join(f"{c} = v.c{i}" for i, c in enumerate(columns))
            + f" FROM unnest({arrays}) AS v({names}) "
            f"WHERE t.{pk} = v.rid AND t.{pk} = ANY(%s::{pk_type}[]) AND t.{state} = %s"
        )
        pair_params = [ids, *([getattr(r, name) for r in rows] for name in extra), ids]
    else:
        width = 1 + len(columns)
        tuples = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
        pair_params = [v for r in rows for v in (r.pk, *(getattr(r, name) for name in extra))]
        sql = (
            f"UPDATE {table} SET {sets}, "
            + ", ".join(f"{c} = v.column{i + 2}" for i, c in enumerate(columns))
            + f" FROM (VALUES {tuples}) AS v WHERE {table}.{pk} = v.column1 AND {table}.{state} = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pair_params, source])
        return cursor.rowcount
