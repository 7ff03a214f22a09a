"""Batches (批次 / 名单): the workflow every app's lists share (DESIGN §2.3).

An app keeps its own item model and passes two callables: ``check`` lists
every problem of the items before submission, ``apply`` performs the items'
transitions set-based on approval. This module locks the batch, checks the
transition against the declarations on ``Batch``, writes the new state with a
conditional UPDATE (zero rows means someone else decided first) and records
the audit event, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import audit_record
from registrar.models import Batch, BatchKind, College, Term, User
from registrar.roles import acts_for_college
from registrar.services import DomainError
from registrar.transitions import (  # noqa: F401 (transition_sources, transition_target: re-exported)
    declared_names,
    may_fire,
    transition_label,
    transition_sources,
    transition_target,
    user_actions,
)


class BatchConflict(DomainError):
    """The batch is no longer in a state that allows this action (e.g. another registrar approved it)."""


class BatchInvalid(DomainError):
    """The batch's items have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems[:20]) + ("……" if len(problems) > 20 else ""))


def may_perform(user: User, batch: Batch, name: str) -> bool:
    """Whether ``user`` may fire ``name`` on this batch: the declaration's ``permission=``, whatever its state."""
    return may_fire(user, batch, name)


def batch_actions(*, user: User, batch: Batch) -> list[tuple[str, str]]:
    """The (transition, label) pairs this user may perform now: the buttons of pages and the API."""
    return user_actions(user, batch)


@transaction.atomic
def batch_create(*, actor: User, kind: str, college: College, term: Term, title: str = "") -> Batch:
    """新建名单: a draft list for one college and term."""
    if kind not in BatchKind.values:
        raise DomainError(_("未知的批次种类：%(kind)s") % {"kind": kind})
    if not acts_for_college(actor, college.pk):
        raise PermissionDenied(_("只能为本学院建立名单"))
    batch = Batch.objects.create(kind=kind, college=college, term=term, title=title, created_by=actor)
    audit_record(
        actor=actor,
        action="registrar.batch.create",
        subject=batch,
        after={"kind": kind, "college": college.pk, "term": term.pk, "title": title},
    )
    return batch


def batch_for_update(*, actor: User, batch_id: int, kind: str | None = None) -> Batch:
    """The batch, locked until the transaction ends; another college's batch does not exist for ``actor``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("batch_for_update must run inside a transaction")
    visible = Batch.objects.for_user(actor).filter(pk=batch_id)
    if kind is not None:
        visible = visible.filter(kind=kind)
    if not visible.exists():
        raise Batch.DoesNotExist(_("批次不存在"))
    return Batch.objects.select_for_update().get(pk=batch_id)


# The fields a batch's transitions set besides its state (attnames: no user fetched to write them back).
DECISION_FIELDS = (
    "submitted_by_id",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "comment",
    "document_number",
)


def batch_move(
    *,
    actor: User,
    batch_id: int,
    transition: str,
    kind: str | None = None,
    comment: str = "",
    document_number: str = "",
    check: Callable[[Batch], Iterable[str]] | None = None,
    apply: Callable[[Batch], None] | None = None,
) -> Batch:
    """提交 / 审批 / 退回 a batch: lock, check rights and state, validate items, write, audit, apply items.

    Run it inside the caller's transaction. A second decision on the same
    batch raises ``BatchConflict``; items with problems raise ``BatchInvalid``.
    """
    batch = batch_for_update(actor=actor, batch_id=batch_id, kind=kind)
    if transition not in declared_names(Batch):
        raise DomainError(_("未知的批次操作：%(transition)s") % {"transition": transition})
    label = transition_label(Batch, transition)
    if not may_perform(actor, batch, transition):
        raise PermissionDenied(_("无权%(action)s") % {"action": label})
    method = getattr(batch, transition)
    if not can_proceed(method):
        raise BatchConflict(
            _("名单当前状态为“%(state)s”，不能%(action)s（可能已被他人处理）")
            % {"state": batch.get_state_display(), "action": label}
        )
    if check is not None:
        problems = list(check(batch))
        if problems:
            raise BatchInvalid(problems)
    before = batch.state
    method(by=actor, at=timezone.now(), reason=comment, document_number=document_number)
    # What the declared method set; the batch is locked, so the fields it left keep their values.
    fields = {name: getattr(batch, name) for name in DECISION_FIELDS}
    # The conditional UPDATE settles races even where row locks are not available (SQLite).
    updated = Batch.objects.filter(pk=batch.pk, state=before).update(state=batch.state, **fields)
    if updated != 1:
        raise BatchConflict(_("名单已被他人处理，不能%(action)s") % {"action": label})
    audit_record(
        actor=actor,
        action=f"registrar.batch.{transition}",
        subject=batch,
        before={"state": before},
        after={"state": batch.state, "comment": comment},
        reason=comment,
        document_number=document_number,
    )
    if apply is not None:
        apply(batch)
    return batch
