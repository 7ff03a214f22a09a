"""The hash chain over audit events: how one event's hash is computed, and how the chain is checked."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
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


def _scalar(value: str | int | None) -> str:
    """Canonical JSON of a string, an integer or None, exactly as ``canonical_json`` writes it."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    return int.__repr__(value)


def event_hash_of_text(
    *,
    occurred_at: datetime.datetime | str,
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
    """``event_hash`` for before/after values already written as canonical JSON (see ``chain_hashes``)."""
    row = dict(
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        student_id=student_id,
        college_id=college_id,
        before_json=before_json,
        after_json=after_json,
        reason=reason,
        document_number=document_number,
    )
    return chain_hashes([row], prev_hash)


def chain_hashes(rows: Sequence[dict[str, Any]], prev_hash: str) -> str:
    """Give each row, in order, its ``prev_hash`` and ``hash``; return the last hash.

    A row holds an event's fields, with ``before_json`` and ``after_json``
    already canonical JSON. The hashed content is the canonical JSON array of
    the fields in the order of ``event_content``; it is spliced from parts so
    that the parts a bulk write shares (time, actor, action, reason, 文号) are
    encoded once, not once per event. ``occurred_at`` may be a datetime or its
    ``utc_text``.
    """
    heads: dict[tuple, str] = {}
    tails: dict[tuple[str, str], str] = {}
    sha256 = hashlib.sha256
    prev = prev_hash
    for row in rows:
        key = (row["occurred_at"], row["actor_id"], row["actor_name"], row["action"], row["subject_type"])
        head = heads.get(key)
        if head is None:
            when = key[0] if isinstance(key[0], str) else utc_text(key[0])
            head = heads[key] = "[" + ",".join(map(_scalar, (when, *key[1:]))) + ","
        reason = (row["reason"], row["document_number"])
        tail = tails.get(reason)
        if tail is None:
            tail = tails[reason] = "," + ",".join(map(_scalar, reason)) + ","
        student, college = row["student_id"], row["college_id"]
        content = (
            f"{head}{encode_basestring(str(row['subject_id']))},"
            f"{'null' if student is None else int(student)},{'null' if college is None else int(college)},"
            f"{row['before_json']},{row['after_json']}{tail}{encode_basestring(prev)}]"
        )
        row["prev_hash"] = prev
        prev = row["hash"] = sha256(content.encode()).hexdigest()
    return prev


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def event_content(*, occurred_at: datetime.datetime, before: Any, after: Any, **fields: Any) -> str:
    """The hashed text of an event, by its definition: one canonical JSON array (the reference for tests)."""
    return canonical_json(
        [
            utc_text(occurred_at),
            fields["actor_id"],
            fields["actor_name"],
            fields["action"],
            fields["subject_type"],
            str(fields["subject_id"]),
            fields["student_id"],
            fields["college_id"],
            before,
            after,
            fields["reason"],
            fields["document_number"],
            fields["prev_hash"],
        ]
    )


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
