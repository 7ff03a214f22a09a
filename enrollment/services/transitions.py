"""Admission transitions: the one path, single or set-based, by which an AdmissionRecord changes state.

Both run on the core's set-based engine (``registrar.transitions``), which
fires the ``@transition`` methods declared on the model (the only transition
table) and records one audit event per record. This module adds what is
admission's own, through the engine's hook: the students created and linked
on registration (ENR-2), and the one-step paths a review outcome may take
(e.g. imported --admit--> admitted --register--> registered).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from enrollment.models import AdmissionRecord, AdmissionState, ReviewOutcome
from enrollment.services.registration import create_students
from enrollment.services.students import students_reregister
from registrar.models import User
from registrar.sql import collector_paused
from registrar.transitions import (
    Hook,
    Machine,
    Move,
    apply_moves,
    declared,
    lock_rows,
    transition_sources,
)

# The transition that gives each review outcome its final state (ENR-3).
OUTCOME_TRANSITION = {
    ReviewOutcome.PASSED: "register",
    ReviewOutcome.FORFEITED: "forfeit",
    ReviewOutcome.DEFERRED: "defer",
    ReviewOutcome.CANCELLED: "cancel",
}


def _declared() -> list:
    return declared(AdmissionRecord)


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
    sources first (e.g. imported --admit--> admitted --register--> registered),
    unless its declaration says ``path_step: False`` (a decision of its own).
    ``None`` when the declarations allow no such path.
    """
    sources = transition_sources(AdmissionRecord, transition)
    if state in sources:
        return [transition]
    for t in _declared():
        if (
            t.source == state
            and t.target in sources
            and t.target != t.source
            and t.custom.get("path_step", True)
        ):
            return [t.name, transition]
    return None


def outcome_sources(outcome: str) -> set[str]:
    """The states from which a review outcome can be applied, derived from the declarations."""
    return {s for s in AdmissionState.values if path_to(OUTCOME_TRANSITION[outcome], s) is not None}


class AdmissionHook(Hook):
    """Registration (ENR-2): the students are created first, then linked by the same UPDATE that registers."""

    def prepare(self, moves: Sequence[Move], *, actor: Any) -> None:
        registered = [m.row for m in moves if m.path[-1] == "register"]
        if registered:
            create_students(actor=actor, records=registered)

    def row_columns(self, source: str, target: str) -> tuple[str, ...]:
        registering = target == AdmissionState.REGISTERED and source != AdmissionState.REGISTERED
        return ("student_id",) if registering else ()

    def event_after(self, row: Any, after: dict[str, Any]) -> dict[str, Any]:
        return {**after, "student": row.student_id} if row.student_id else after


ADMISSION = Machine(
    model=AdmissionRecord,
    field="state",
    columns=("year", "exam_number", "name", "college_id", "student_id", "identity_conflict"),
    describe=lambda r: f"{r.name}（{r.exam_number}）",
    action_prefix="enrollment.admission",
    quiet=("state_changed_at",),
    conflict=gettext_lazy("部分录取数据已被他人处理，请刷新后重试"),
    hook=AdmissionHook(),
)


@dataclass
class Step:
    """One record to move: the final transition, its arguments, and what to say in the audit trail."""

    record: Any  # a locked row (``lock_records``) or an AdmissionRecord
    transition: str
    reason: str = ""
    deferral_end: datetime.date | None = None
    rereview_on: datetime.date | None = None
    entered_on: datetime.date | None = None  # a readmission: the start of the term they enter (ENR-4)


@collector_paused()
def admission_apply_steps(
    *,
    actor: User | None,
    steps: Sequence[Step],
    document_number: str = "",
    action_prefix: str = "enrollment.admission",
) -> list:
    """录取状态变更（批量）: apply every step with set-based writes and one audit event per record.

    Run inside a transaction, with the records locked (``lock_records``). A
    step whose transition is one declared step away (``path_to``) takes that
    step first; the engine refuses, naming the record, a step with no path.
    Registration (ENR-2) creates the students and their accounts in bulk; a freshman deferred
    after registration gets their own 学籍 back (ENR-5).
    """
    # ENR-5: those deferred after registration come back to their own Student row, not a new one.
    returning = sorted(
        {s.record.student_id for s in steps if s.transition == "register" and s.record.student_id}
    )
    moves = [
        Move(
            step.record,
            _path(step.transition, step.record.state) or (step.transition,),
            reason=step.reason,
            date=step.deferral_end or step.rereview_on or step.entered_on,
        )
        for step in steps
    ]
    rows = apply_moves(
        ADMISSION, moves, actor=actor, document_number=document_number, action_prefix=action_prefix
    )
    if returning:
        students_reregister(actor=actor, student_ids=returning, document_number=document_number)
    return rows


def lock_records(ids: Sequence[int], *, full: bool = False) -> dict[int, Any]:
    """The records, locked in primary-key order until the transaction ends (``registrar.transitions.lock_rows``)."""
    return lock_rows(ADMISSION, ids, full=full)
