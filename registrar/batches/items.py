"""The items of a batch, for every kind: saved from a sheet, the page or the API, filled, removed,
changed many at once, and the proofs added to a list (DESIGN §2.3, issue 10).

One check of outcomes (``outcome_errors``) serves every path; any error → nothing written, every
error listed. Writes run in the service's transaction with the batch locked.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from registrar.batch_kinds import BatchItems, ItemInput, ParsedItems, items_of
from registrar.batches.workflow import batch_for_edit
from registrar.models import Batch, BatchAttachment, User
from registrar.proofs import ProofFile, proof_save
from registrar.services import DomainError
from registrar.sheets.tables import RowError


def outcome_errors(items: BatchItems, given: list[ItemInput]) -> list[RowError]:
    """Outcomes the kind does not know, and items that lack the end date or reason their outcome needs.

    The one check of every list's items, from a sheet, the page, a change of many at once and the API:
    a deferral needs its end date and a reason, a forfeit or a cancellation a reason (ENR-3, ENR-4).
    """
    labels = dict(items.outcomes.choices)
    errors = []
    for item in given:
        if item.outcome not in labels:
            errors.append(
                RowError(
                    item.row, str(items.outcome_label), _("未知的结论：%(value)s") % {"value": item.outcome}
                )
            )
            continue
        # A sheet's row number names the person; a mark on the page or the API is named by its key.
        who = "" if item.row else f"{item.key}："
        if item.outcome in items.dated_outcomes and item.end_date is None:
            reason = _("“%(outcome)s”须填写截止日期") % {"outcome": labels[item.outcome]}
            errors.append(RowError(item.row, str(items.end_date_label), who + reason))
        if item.outcome in items.reasoned_outcomes and not items.has_reason(item):
            reason = str(
                items.reason_message or _("“%(outcome)s”须填写原因") % {"outcome": labels[item.outcome]}
            )
            errors.append(RowError(item.row, str(items.reason_label), who + reason))
    return errors


def _checked_write(
    handler: BatchItems, batch: Batch, items: list[ItemInput], *, replace: bool
) -> list[RowError]:
    """Every item checked (``outcome_errors`` and the kind's ``check``), then written; any error → nothing."""
    errors = outcome_errors(handler, items)
    checked, targets = handler.check(batch, [i for i in items if i.outcome in handler.outcomes.values])
    errors = sorted([*errors, *checked], key=lambda e: (e.row, e.column))
    if errors:
        transaction.set_rollback(True)
        return errors
    handler.write(batch, items, targets, replace=replace)
    return []


@transaction.atomic
def batch_items_save(
    *, actor: User, batch_id: int, kind: str, items: list[ItemInput], replace: bool = True
) -> list[RowError]:
    """登记名单条目: from a sheet, the page or the API; any error → nothing written, every error listed.

    ``replace`` makes the list exactly the given items (an uploaded sheet);
    otherwise the given items are added or changed (marks on the page).
    """
    handler = items_of(kind)
    batch = batch_for_edit(actor=actor, batch_id=batch_id, kind=kind)
    errors = _checked_write(handler, batch, items, replace=replace)
    if errors:
        return errors
    audit_record(
        actor=actor,
        action=f"{handler.action_prefix}.items_save",
        subject=batch,
        after={
            "replace": replace,
            "count": len(items),
            "outcomes": {o: sum(1 for i in items if i.outcome == o) for o in handler.outcomes.values},
        },
    )
    return []


def batch_items_upload(*, actor: User, batch_id: int, kind: str, parsed: ParsedItems) -> list[RowError]:
    """上传名单: every row error at once, the file's and the database's; the list is replaced only when there is none."""
    if parsed.errors:
        handler = items_of(kind)
        with transaction.atomic():
            batch = batch_for_edit(actor=actor, batch_id=batch_id, kind=kind)
            known = [i for i in parsed.items if i.outcome in handler.outcomes.values]
            errors, _targets = handler.check(batch, known)
            errors = [*errors, *outcome_errors(handler, known)]
        # A cell the file's own check refused is not reported twice (保留截止日期 not a date, say).
        refused = {(e.row, e.column) for e in parsed.errors}
        errors = [e for e in errors if (e.row, e.column) not in refused]
        return sorted([*parsed.errors, *errors], key=lambda e: (e.row, e.column))
    return batch_items_save(actor=actor, batch_id=batch_id, kind=kind, items=parsed.items, replace=True)


@transaction.atomic
def batch_items_fill(*, actor: User, batch_id: int, kind: str) -> int:
    """把本学院尚需列入的人加入名单, with the kind's default outcome for the college to change."""
    handler = items_of(kind)
    batch = batch_for_edit(actor=actor, batch_id=batch_id, kind=kind)
    count = handler.fill(batch)
    audit_record(
        actor=actor, action=f"{handler.action_prefix}.items_fill", subject=batch, after={"count": count}
    )
    return count


@transaction.atomic
def batch_items_remove(*, actor: User, batch_id: int, kind: str, keys: list[str]) -> int:
    """从名单中移除 these people (by 考生号 / 学号) of a draft or returned list, in one statement."""
    handler = items_of(kind)
    batch = batch_for_edit(actor=actor, batch_id=batch_id, kind=kind)
    count, _by_model = handler.with_keys(
        handler.item_model._default_manager.filter(batch=batch), keys
    ).delete()
    audit_record(
        actor=actor,
        action="registrar.batch.items_remove",
        subject=batch,
        after={"count": count, "keys": sorted(keys)[:200]},
    )
    return count


@transaction.atomic
def batch_items_set_outcome(
    *,
    actor: User,
    batch_id: int,
    kind: str,
    keys: list[str],
    outcome: str,
    end_date: datetime.date | None = None,
    reason: str = "",
) -> list[RowError]:
    """批量设置结论: these people's outcome at once, with the end date and reason it needs.

    An item keeps its own end date and reason where none is given. Every item is checked as
    one saved from the page is (``outcome_errors`` and the kind's ``check``); any error → nothing
    written, every error listed. The items are rewritten set-based (one DELETE, one INSERT).
    """
    handler = items_of(kind)
    batch = batch_for_edit(actor=actor, batch_id=batch_id, kind=kind)
    dated = outcome in handler.dated_outcomes
    stored = handler.with_keys(handler.items(batch), keys)
    inputs = []
    for item in stored:
        was = handler.as_input(item)
        inputs.append(
            dataclasses.replace(
                was,
                outcome=outcome,
                end_date=(end_date or was.end_date) if dated else None,
                reason=reason.strip() or was.reason,
            )
        )
    if not inputs:
        raise DomainError(_("请先选择学生"))
    errors = _checked_write(handler, batch, inputs, replace=False)
    if errors:
        return errors
    audit_record(
        actor=actor,
        action="registrar.batch.items_outcome",
        subject=batch,
        after={"count": len(inputs), "outcome": outcome, "end_date": end_date, "reason": reason.strip()},
    )
    return []


@transaction.atomic
def batch_attachments_add(*, actor: User, batch_id: int, kind: str, proofs: list[ProofFile]) -> int:
    """补充证明材料: scanned proofs (checked by ``registrar.proofs``) added to a draft or returned list."""
    batch = batch_for_edit(actor=actor, batch_id=batch_id, kind=kind)
    if not proofs:
        raise DomainError(_("请选择要上传的证明材料"))
    for proof in proofs:
        proof_save(BatchAttachment, proof, batch=batch, uploaded_by=actor)
    audit_record(
        actor=actor,
        action="registrar.batch.attachments_add",
        subject=batch,
        after={"files": [{"name": p.name, "sha256": p.sha256} for p in proofs]},
    )
    return len(proofs)
