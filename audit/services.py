"""audit_record: the one way every write service records what it did (SEC-3)."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from audit.chain import canonical_json, chain_hashes
from audit.chain_keys import current_key
from audit.models import GENESIS_HASH, AuditEvent
from audit.tasks import checkpoint_audit_chain
from registrar.celery import app as celery_app
from registrar.scoping import placement_of
from registrar.sql import advisory_lock

logger = logging.getLogger(__name__)

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
    """The student and college an event belongs to: as given, else by its subject's declared scope."""
    student_id, college_id = spec.student_id, spec.college_id
    if isinstance(spec.subject, models.Model) and (student_id is None or college_id is None):
        declared_student, declared_college = placement_of(spec.subject)
        student_id = declared_student if student_id is None else student_id
        college_id = declared_college if college_id is None else college_id
    return student_id, college_id


def _lock_chain_head() -> str:
    """Serialise writers of the chain until the transaction ends; return the last hash."""
    advisory_lock(CHAIN_LOCK_KEY)
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


def _rows(specs: Sequence[EventSpec], key_id: str) -> list[dict[str, Any]]:
    """The events' column values but the JSON text and the hashes (``_encode`` adds those).

    A bulk write shares its time, usually its actor and often its before/after
    values between events: each is resolved once, and each distinct before/after
    object is encoded once.
    """
    occurred_at = timezone.now()
    actors: dict[int, tuple[int | None, str]] = {}
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
                before=spec.before,
                after=spec.after,
                reason=spec.reason or "",
                document_number=spec.document_number or "",
                key_id=key_id,
            )
        )
    return rows


def _encode(
    rows: list[dict[str, Any]], prev_hash: str, chain_key: bytes, *, for_copy: bool
) -> io.StringIO | None:
    """Add each row's JSON text and its place in the chain, keyed by ``chain_key``; with ``for_copy``, the COPY input.

    Pure Python, no database: it may run in a worker thread.
    """
    encoded: dict[int, str] = {}  # id() of a before/after dict → its canonical JSON; the rows keep them alive
    for row in rows:
        for name in ("before", "after"):
            value = row.pop(name)
            key = id(value)
            if key not in encoded:
                encoded[key] = canonical_json(value or {})
            row[f"{name}_json"] = encoded[key]
    # JSON text of dates and decimals reads back as the same text, so the hash survives storage.
    chain_hashes(rows, prev_hash, key=chain_key)
    return _copy_input(rows) if for_copy else None


def audit_record_many(specs: Sequence[EventSpec], *, meanwhile: Callable[[], None] | None = None) -> int:
    """Record many events in one bulk insert, chained in order; return how many.

    Call inside the write's transaction: the chain's lock is held until it ends.
    ``meanwhile`` is the rest of the same write, database statements: it runs
    on this thread while a worker thread encodes and hashes the events (pure
    Python, which the database statements leave idle), and the events are
    written once it returns; if it raises, none are. A write of more than
    ``COPY_THRESHOLD`` events queues a signed checkpoint once it commits.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the write it records")
    if not specs:
        if meanwhile is not None:
            meanwhile()
        return 0
    prev = _lock_chain_head()
    key_id, key = current_key()
    rows = _rows(specs, key_id)
    bulk = len(rows) > COPY_THRESHOLD
    for_copy = connection.vendor == "postgresql" and bulk
    if meanwhile is None:
        copy_input = _encode(rows, prev, key, for_copy=for_copy)
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-encode") as pool:
            encoding = pool.submit(_encode, rows, prev, key, for_copy=for_copy)
            meanwhile()
            copy_input = encoding.result()
    if copy_input is not None:
        _copy_events(copy_input)
    else:
        _insert_events(rows)
    if bulk and not any(func is _queue_checkpoint for _savepoints, func, *_ in connection.run_on_commit):
        transaction.on_commit(_queue_checkpoint)  # once per transaction, however many chunks it writes
    return len(rows)


def _queue_checkpoint() -> None:
    """After a bulk write commits: a worker signs a checkpoint of the new head (off the request's path).

    Best effort, and quick: one attempt, no retries, so a broker that is down costs the request
    milliseconds, not kombu's retry loop; the daily verify signs the next checkpoint anyway.
    """
    try:
        with celery_app.connection_for_write(transport_options={"max_retries": 0}) as connection:
            checkpoint_audit_chain.apply_async(connection=connection, retry=False)
    except (KombuOperationalError, OSError):
        logger.warning("audit checkpoint not queued: the broker is down; the daily verify will sign one")


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
    prev = _lock_chain_head()
    key_id, key = current_key()
    rows = _rows([spec], key_id)
    _encode(rows, prev, key, for_copy=False)
    return _insert_events(rows)[0]


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
    "key_id",
)
# Empty text is empty text, not NULL, in what COPY reads.
TEXT_COLUMNS = (
    "actor_name, action, subject_type, subject_id, reason, document_number, prev_hash, hash, key_id"
)


def _copy_input(rows: list[dict[str, Any]]) -> io.StringIO:
    """The events as COPY reads them (CSV), in chain order."""
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
                row["key_id"],
            ]
        )
    buffer.seek(0)
    return buffer


def _copy_events(copy_input: io.StringIO) -> None:
    """PostgreSQL COPY of many events: rows keep their order, so ids follow the chain."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({TEXT_COLUMNS}))",
            copy_input,
        )
