"""audit_record: the one way every write service records what it did (SEC-3)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone

from audit.chain import canonical_json, chain_hashes
from audit.models import GENESIS_HASH, AuditEvent

# Any constant works; it names the one lock that orders the chain.
CHAIN_LOCK_KEY = 0x5A0D17
# Above this many events, PostgreSQL gets them through COPY rather than INSERT.
COPY_THRESHOLD = 2000


@dataclass
class EventSpec:
    """What one audit event says, before it is chained."""

    action: str
    subject: models.Model | tuple[str, Any]
    actor: Any = None
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    document_number: str = ""
    student_id: int | None = None
    college_id: int | None = None


def subject_key(subject: models.Model | tuple[str, Any]) -> tuple[str, str]:
    if isinstance(subject, tuple):
        return subject[0], str(subject[1])
    return subject._meta.label_lower, str(subject.pk)


def _placement(spec: EventSpec) -> tuple[int | None, int | None]:
    """The student and college an event belongs to, read from its subject when not given."""
    student_id, college_id = spec.student_id, spec.college_id
    subject = spec.subject
    if isinstance(subject, models.Model):
        if student_id is None:
            if subject._meta.label_lower == "registrar.student":
                student_id = subject.pk
            else:
                student_id = getattr(subject, "student_id", None)
        if college_id is None:
            college_id = getattr(subject, "college_id", None)
    return student_id, college_id


def _lock_chain_head() -> str:
    """Serialise writers of the chain until the transaction ends; return the last hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


def _chained(specs: Sequence[EventSpec]) -> list[dict[str, Any]]:
    """The events' column values, each carrying the hash of its content and of the one before.

    A bulk write shares its time, usually its actor and often its before/after
    values between events: each is resolved and encoded once.
    """
    occurred_at = timezone.now()
    prev = _lock_chain_head()
    actors: dict[int, tuple[int | None, str]] = {}
    encoded: dict[
        int, str
    ] = {}  # id() of a before/after dict → its canonical JSON; the specs keep them alive

    def json_of(value: dict[str, Any] | None) -> str:
        key = id(value)
        if key not in encoded:
            encoded[key] = canonical_json(value or {})
        return encoded[key]

    rows = []
    for spec in specs:
        subject_type, subject_id = subject_key(spec.subject)
        student_id, college_id = _placement(spec)
        actor_key = id(spec.actor)
        if actor_key not in actors:
            actor = spec.actor if getattr(spec.actor, "pk", None) else None
            actors[actor_key] = (actor.pk, actor.get_username()) if actor else (None, "system")
        actor_id, actor_name = actors[actor_key]
        rows.append(
            dict(
                occurred_at=occurred_at,
                actor_id=actor_id,
                actor_name=actor_name,
                action=spec.action,
                subject_type=subject_type,
                subject_id=subject_id,
                student_id=student_id,
                college_id=college_id,
                before_json=json_of(spec.before),
                after_json=json_of(spec.after),
                reason=spec.reason or "",
                document_number=spec.document_number or "",
            )
        )
    # JSON text of dates and decimals reads back as the same text, so the hash survives storage.
    chain_hashes(rows, prev)
    return rows


def audit_record_many(specs: Sequence[EventSpec]) -> int:
    """Record many events in one bulk insert, chained in order; return how many.

    Call inside the write's transaction: the chain's lock is held until it ends.
    """
    if not specs:
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the write it records")
    rows = _chained(specs)
    if connection.vendor == "postgresql" and len(rows) > COPY_THRESHOLD:
        _copy_events(rows)
    else:
        _insert_events(rows)
    return len(rows)


def _insert_events(rows: list[dict[str, Any]]) -> list[AuditEvent]:
    events = []
    for row in rows:
        fields = {k: v for k, v in row.items() if k not in ("before_json", "after_json")}
        events.append(
            AuditEvent(**fields, before=json.loads(row["before_json"]), after=json.loads(row["after_json"]))
        )
    return AuditEvent.objects.bulk_create(events, batch_size=2000)


def audit_record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | tuple[str, Any],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    document_number: str = "",
    student_id: int | None = None,
    college_id: int | None = None,
) -> AuditEvent:
    """Record one event (actor, action, subject, before/after, reason, 文号) in the current transaction."""
    spec = EventSpec(
        action=action,
        subject=subject,
        actor=actor,
        before=before or {},
        after=after or {},
        reason=reason,
        document_number=document_number,
        student_id=student_id,
        college_id=college_id,
    )
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the write it records")
    return _insert_events(_chained([spec]))[0]


COPY_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "subject_type",
    "subject_id",
    "student_id",
    "college_id",
    "before",
    "after",
    "reason",
    "document_number",
    "prev_hash",
    "hash",
)
# Empty text is empty text, not NULL, in what COPY reads.
TEXT_COLUMNS = "actor_name, action, subject_type, subject_id, reason, document_number, prev_hash, hash"


def _copy_events(rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY of many events: rows keep their order, so ids follow the chain."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    moments: dict[Any, str] = {}
    for row in rows:
        moment = row["occurred_at"]
        if moment not in moments:
            moments[moment] = moment.isoformat()
        writer.writerow(
            [
                moments[moment],
                "" if row["actor_id"] is None else row["actor_id"],
                row["actor_name"],
                row["action"],
                row["subject_type"],
                row["subject_id"],
                "" if row["student_id"] is None else row["student_id"],
                "" if row["college_id"] is None else row["college_id"],
                row["before_json"],
                row["after_json"],
                row["reason"],
                row["document_number"],
                row["prev_hash"],
                row["hash"],
            ]
        )
    buffer.seek(0)
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({TEXT_COLUMNS}))",
            buffer,
        )
