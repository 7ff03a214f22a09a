"""Batches (批次 / 名单): the workflow every app's lists share (DESIGN §2.3).

An app keeps its own item model and registers a ``BatchItems`` for its kind
(``registrar.batch_kinds``). The services here are the same for every kind: they
lock the batch, check the transition against the declarations on ``Batch``,
validate every item before anything is written, write the new state with a
conditional UPDATE (zero rows means someone else decided first), record the
audit event and, on approval or return, queue the decision notice, all in one
transaction. The items' own services are in ``registrar.batches.items``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import audit_record
from registrar.batch_kinds import BatchItems, items_of
from registrar.models import Batch, BatchAttachment, BatchKind, BatchState, College, Term, User
from registrar.outbox import outbox_enqueue
from registrar.roles import acts_for_college
from registrar.services import DomainError
from registrar.sql import collector_paused
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


def default_title(kind: str, college: College, term: Term) -> str:
    """A list's name when the college gives none: term, kind and college (2026-2027学年第一学期新生入学资格审查名单（计算机学院）)."""
    # Stored, like the audit trail: Chinese whatever the page's language.
    with translation.override("zh-hans"):
        return f"{term}{BatchKind(kind).label}（{college.name}）"[:100]


@transaction.atomic
def batch_create(
    *, actor: User, kind: str, college: College, term: Term | None = None, title: str = ""
) -> Batch:
    """新建名单: a draft list for one college and term (the current term unless given), named by default."""
    if kind not in BatchKind.values:
        raise DomainError(_("未知的批次种类：%(kind)s") % {"kind": kind})
    if not acts_for_college(actor, college.pk):
        raise PermissionDenied(_("只能为本学院建立名单"))
    term = term or Term.current()
    if term is None:
        raise DomainError(_("尚未设置学期，请先由教务处添加学期"))
    title = title.strip() or default_title(kind, college, term)
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


EDITABLE_STATES = (BatchState.DRAFT, BatchState.RETURNED)


def can_edit(user: User, batch: Batch) -> bool:
    """Whether ``user`` may change this list's items now: a draft or returned list of their college."""
    return batch.state in EDITABLE_STATES and acts_for_college(user, batch.college_id)


def batch_for_edit(*, actor: User, batch_id: int, kind: str) -> Batch:
    """The batch, locked, if ``actor`` may change its items now; otherwise a Chinese refusal."""
    batch = batch_for_update(actor=actor, batch_id=batch_id, kind=kind)
    if batch.state not in EDITABLE_STATES:
        raise BatchConflict(_("名单当前状态为“%(state)s”，不能修改") % {"state": batch.get_state_display()})
    if not may_perform(actor, batch, "submit"):
        raise PermissionDenied(_("只能修改本学院的名单"))
    return batch


@transaction.atomic
def batch_delete(*, actor: User, batch_id: int, kind: str) -> None:
    """删除名单: a draft list of one's own college, with its items; a list once submitted stays on record."""
    handler = items_of(kind)
    batch = batch_for_update(actor=actor, batch_id=batch_id, kind=kind)
    if batch.state != BatchState.DRAFT:
        raise BatchConflict(
            _("名单当前状态为“%(state)s”，只能删除草稿") % {"state": batch.get_state_display()}
        )
    if not may_perform(actor, batch, "submit"):
        raise PermissionDenied(_("只能删除本学院的名单"))
    count, _by_model = handler.item_model._default_manager.filter(batch=batch).delete()
    audit_record(
        actor=actor,
        action="registrar.batch.delete",
        subject=batch,
        before={"kind": batch.kind, "college": batch.college_id, "title": batch.title, "count": count},
    )
    batch.delete()


def attachment_problems(batch: Batch) -> list[str]:
    """The registrar asked for proofs on return: at least one must be added before submitting again."""
    if not batch.attachments_requested:
        return []
    added = BatchAttachment.objects.filter(batch=batch)
    if batch.decided_at is not None:
        added = added.filter(uploaded_at__gt=batch.decided_at)
    return [] if added.exists() else [_("教务处退回时要求补充证明材料，请先上传证明材料再提交")]


@transaction.atomic
def batch_submit(*, actor: User, batch_id: int, kind: str) -> Batch:
    """提交名单: every item is checked and all problems listed, and the proofs asked for on return."""
    handler = items_of(kind)
    return batch_move(
        actor=actor,
        batch_id=batch_id,
        transition="submit",
        kind=kind,
        check=lambda batch: [*attachment_problems(batch), *handler.problems(batch)],
    )


def document_problems(handler: BatchItems, batch: Batch, document_number: str) -> list[str]:
    """A list that cancels anyone (取消入学资格) is approved only under a 文号 (ENR-2, SEC-4)."""
    if document_number.strip() or not handler.document_outcomes:
        return []
    counts = handler.outcome_counts(batch)
    listed = [o for o in handler.document_outcomes if counts.get(o)]
    if not listed:
        return []
    labels = dict(handler.outcomes.choices)
    return [
        _("名单中有“%(outcome)s”的学生，审批通过须填写文号")
        % {"outcome": "、".join(str(labels[o]) for o in listed)}
    ]


@collector_paused()
@transaction.atomic
def batch_approve(
    *, actor: User, batch_id: int, kind: str, comment: str = "", document_number: str = ""
) -> Batch:
    """审批通过: the items are checked again, then every item's transition, set-based; the college is told.

    A list that cancels anyone needs the decision's 文号.
    """
    handler = items_of(kind)
    document_number = document_number.strip()
    batch = batch_move(
        actor=actor,
        batch_id=batch_id,
        transition="approve",
        kind=kind,
        comment=comment,
        document_number=document_number,
        check=lambda batch: [*document_problems(handler, batch, document_number), *handler.problems(batch)],
        apply=lambda batch: handler.apply(actor, batch, document_number=document_number),
    )
    outbox_enqueue(task="registrar.tasks.batch_decided", kwargs={"batch_id": batch.pk})
    return batch


@transaction.atomic
def batch_return(
    *, actor: User, batch_id: int, kind: str, comment: str, attachments_requested: bool = False
) -> Batch:
    """退回名单 with the registrar's reason; the college fixes it and submits again, and is told.

    ``attachments_requested``: the college must add scanned proofs (证明材料) before it submits again.
    """
    if not comment.strip():
        raise DomainError(_("退回时请填写意见"))
    batch = batch_move(actor=actor, batch_id=batch_id, transition="send_back", kind=kind, comment=comment)
    Batch.objects.filter(pk=batch.pk).update(attachments_requested=attachments_requested)
    batch.attachments_requested = attachments_requested
    outbox_enqueue(task="registrar.tasks.batch_decided", kwargs={"batch_id": batch.pk})
    return batch
