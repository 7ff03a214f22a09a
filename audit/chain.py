"""The hash chain over audit events: how one event's hash is computed, and how the chain is checked."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from audit.models import GENESIS_HASH, AuditEvent

# One encoder for every event: sorted keys, no spaces, UTF-8 text as is; dates and decimals as strings.
_ENCODER = DjangoJSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    return _ENCODER.encode(value)


def event_hash(*, before: Any, after: Any, **fields: Any) -> str:
    """The SHA-256 of an event's content and the previous event's hash (the fields of ``AuditEvent``)."""
    return event_hash_of_text(before_json=canonical_json(before), after_json=canonical_json(after), **fields)


def event_hash_of_text(
    *,
    occurred_at: datetime.datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    subject_type: str,
    subject_id: str,
    student_id: int | None,
    college_id: int | None,
    before_json: str,
    after_json: str,
    reason: str,
    document_number: str,
    prev_hash: str,
) -> str:
    """``event_hash`` for before/after values already written as canonical JSON.

    The content is the canonical JSON array of the fields in this order; it is
    spliced from parts so that the before/after text is encoded once.
    """
    head = canonical_json(
        [
            occurred_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_name,
            action,
            subject_type,
            str(subject_id),
            student_id,
            college_id,
        ]
    )
    tail = canonical_json([reason, document_number, prev_hash])
    content = f"{head[:-1]},{before_json},{after_json},{tail[1:]}"
    return hashlib.sha256(content.encode()).hexdigest()


def hash_of(event: AuditEvent) -> str:
    return event_hash(
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        student_id=event.student_id,
        college_id=event.college_id,
        before=event.before,
        after=event.after,
        reason=event.reason,
        document_number=event.document_number,
        prev_hash=event.prev_hash,
    )


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    position: int
    reason: str


def verify_chain(events: Iterable[AuditEvent] | None = None) -> tuple[int, BrokenLink | None]:
    """Walk the chain in id order; return how many events were checked and the first broken link."""
    if events is None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=5000)
    previous = GENESIS_HASH
    checked = 0
    for checked, event in enumerate(events, start=1):
        if event.prev_hash != previous:
            return checked, BrokenLink(event.pk, checked, "前一事件哈希不符：前面的事件被删除、插入或改动")
        if hash_of(event) != event.hash:
            return checked, BrokenLink(event.pk, checked, "内容与哈希不符：该事件在应用之外被改动")
        previous = event.hash
    return checked, None
