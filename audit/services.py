"""audit_record: the one way every write service records what it did (SEC-3)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from audit.chain import LINK_FIELDS, canonical_json_fast, link_hashes
from audit.chain_keys import current_key
from audit.copy_text import COPY_COLUMNS, copy_text
from audit.models import GENESIS_HASH, AuditEvent
from audit.tasks import checkpoint_audit_chain
from registrar.celery import app as celery_app
from registrar.scoping import placement_of
from registrar.sql import advisory_lock, collector_paused, copy_in

logger = logging.getLogger(__name__)

# Any constant works; it names the one lock that orders the chain.
CHAIN_LOCK_KEY = 0x5A0D17
# Above this many events, PostgreSQL gets them through COPY rather than INSERT.
COPY_THRESHOLD = 2000
# COPY gets the events this many at a time: PostgreSQL stores one part while the next is hashed.
COPY_PART = 500


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


class _Events:
    """The specs of one write, with what must be read of them on the caller's thread read up front.

    An actor's or a model subject's attributes may load from the database,
    which only the caller's thread may use, inside its transaction: those are
    read when the write starts. The rest (``rows``) is pure Python that may run
    in a worker thread, or part by part while COPY stores the previous part.
    A bulk write shares its time and usually its actor: each is read once.
    """

    def __init__(self, specs: Sequence[EventSpec]) -> None:
        self.specs = specs
        self.occurred_at = timezone.now()
        self.actors: dict[int, tuple[int | None, str]] = {}  # id() of an actor → its id and name
        self.subjects: dict[int, tuple[str, str, int | None, int | None]] = {}  # a model subject's, by index
        for index, spec in enumerate(specs):
            if id(spec.actor) not in self.actors:
                actor = spec.actor if getattr(spec.actor, "pk", None) else None
                self.actors[id(spec.actor)] = (actor.pk, actor.get_username()) if actor else (None, "system")
            if not isinstance(spec.subject, tuple):
                self.subjects[index] = (*subject_key(spec.subject), *_placement(spec))

    def __len__(self) -> int:
        return len(self.specs)

    def rows(self, start: int = 0, stop: int | None = None) -> list[list[Any]]:
        """Events ``start`` to ``stop`` as values in the order of ``LINK_FIELDS``, before/after as given.

        ``_encode`` replaces before/after by their JSON.
        """
        occurred_at, actors, subjects = self.occurred_at, self.actors, self.subjects
        rows = []
        for index, spec in enumerate(self.specs[start:stop], start):
            subject = spec.subject
            if isinstance(subject, tuple):
                subject_type, subject_id = subject[0], str(subject[1])
                student_id, college_id = spec.student_id, spec.college_id
            else:
                subject_type, subject_id, student_id, college_id = subjects[index]
            actor_id, actor_name = actors[id(spec.actor)]
            rows.append(
                [
                    occurred_at,
                    actor_id,
                    actor_name,
                    spec.action,
                    subject_type,
                    subject_id,
                    student_id,
                    college_id,
                    spec.before,
                    spec.after,
                    spec.reason or "",
                    spec.document_number or "",
                ]
            )
        return rows


BEFORE, AFTER = 8, 9  # the places of before/after in a row


def _encode(rows: list[list[Any]], prev_hash: str, chain_key: bytes) -> list[str]:
    """Write each row's before/after as canonical JSON, in place; return the hashes under ``chain_key``.

    Pure Python, no database: it may run in a worker thread. A before/after
    object that events share is encoded once.
    """
    encoded: dict[int, str] = {}  # id() of a value → its JSON
    kept = []  # the values encoded, kept alive so that their ids are not reused

    def json_of(value: Any) -> str:
        if not value:
            return "{}"
        text = encoded.get(id(value))
        if text is None:
            text = encoded[id(value)] = canonical_json_fast(value)
            kept.append(value)
        return text

    for row in rows:
        row[BEFORE] = json_of(row[BEFORE])
        row[AFTER] = json_of(row[AFTER])
    # JSON text of dates and decimals reads back as the same text, so the hash survives storage.
    return link_hashes(rows, prev_hash, key=chain_key)


def _copy_parts(events: _Events, prev_hash: str, chain_key: bytes, key_id: str) -> Iterator[str]:
    """The COPY input, ``COPY_PART`` events at a time, each part encoded and hashed when it is asked for."""
    for start in range(0, len(events), COPY_PART):
        rows = events.rows(start, start + COPY_PART)
        hashes = _encode(rows, prev_hash, chain_key)
        yield copy_text(rows, hashes, prev_hash, key_id)
        prev_hash = hashes[-1]


def _hashed_rows(events: _Events, prev_hash: str, chain_key: bytes) -> tuple[list[list[Any]], list[str]]:
    rows = events.rows()
    return rows, _encode(rows, prev_hash, chain_key)


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
    with collector_paused():  # each event is a handful of objects, freed by reference counting all the same
        events = _Events(specs)
        _write(events, prev, key, key_id, meanwhile=meanwhile)
    if len(events) > COPY_THRESHOLD:
        _checkpoint_on_commit()
    return len(events)


@dataclass(frozen=True)
class EventSet:
    """What every event of one set-based write shares: one action on many subjects of one type.

    A set's events differ only in their subject's id, student, college and
    ``after`` (``SetRow``); an ``after`` that rows share is best one object, encoded once.
    """

    action: str
    subject_type: str
    actor: Any = None
    before: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    document_number: str = ""


# One event of a set: its subject's id, the student and college it belongs to, and its ``after``.
SetRow = tuple[Any, int | None, int | None, dict[str, Any]]


def audit_record_set(events: EventSet, parts: Iterable[Sequence[SetRow]]) -> int:
    """Record one event per row of ``parts``, chained in order, while ``parts`` is still being written; how many.

    ``parts`` is the write itself, usually a generator whose every step runs one
    statement (an INSERT … RETURNING of one window of rows) and yields what it wrote.
    Each part's events are encoded and hashed in a worker thread while this thread
    runs the next statement, and stored (COPY on PostgreSQL) once hashed: the
    database and Python work at once, and only two parts are ever held, so memory
    stays flat in the number of rows. The same events, hashes and chain as
    ``audit_record_many`` of one ``EventSpec`` per row. Call inside the write's
    transaction; if a part or its encoding fails, the transaction fails with it.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the write it records")
    prev = _lock_chain_head()
    key_id, key = current_key()
    actor = events.actor if getattr(events.actor, "pk", None) else None
    head = (timezone.now(), *((actor.pk, actor.get_username()) if actor else (None, "system")))
    shared = (events.action, events.subject_type)
    tail = (events.reason or "", events.document_number or "")
    before = events.before
    postgres = connection.vendor == "postgresql"

    def encode(part: Sequence[SetRow]) -> tuple[list[list[Any]], list[str], str, str]:
        """A part's rows, hashes, previous hash and COPY text, chained after the part before.

        Runs in the worker thread, one part after another, so ``prev`` carries the chain on.
        """
        nonlocal prev
        rows = [
            [*head, *shared, str(subject_id), student, college, before, after, *tail]
            for subject_id, student, college, after in part
        ]
        hashes = _encode(rows, prev, key)
        text = copy_text(rows, hashes, prev, key_id) if postgres else ""
        start, prev = prev, hashes[-1]
        return rows, hashes, start, text

    def store(encoded: tuple[list[list[Any]], list[str], str, str]) -> None:
        rows, hashes, start, text = encoded
        if postgres:
            _copy_events([text])
        else:
            _insert_events(rows, hashes, start, key_id)

    total = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-encode") as pool, collector_paused():
        waiting = None
        for part in parts:  # this thread runs the caller's next statement meanwhile
            if not part:
                continue
            total += len(part)
            encoding = pool.submit(encode, part)
            if waiting is not None:
                store(waiting.result())  # the worker encodes this part while the previous one is stored
            waiting = encoding
        if waiting is not None:
            store(waiting.result())
    if total > COPY_THRESHOLD:
        _checkpoint_on_commit()
    return total


def _checkpoint_on_commit() -> None:
    """After a bulk write commits, a signed checkpoint: queued once per transaction, however many parts it wrote."""
    if not any(func is _queue_checkpoint for _savepoints, func, *_ in connection.run_on_commit):
        transaction.on_commit(_queue_checkpoint)


def _write(
    events: _Events, prev: str, key: bytes, key_id: str, *, meanwhile: Callable[[], None] | None
) -> None:
    """Encode, hash and store the events after ``prev``; with ``meanwhile``, encode in a worker while it runs."""
    if connection.vendor == "postgresql" and len(events) > COPY_THRESHOLD:
        if meanwhile is None:
            # Streamed: PostgreSQL stores each part while this thread encodes the next.
            _copy_events(_copy_parts(events, prev, key, key_id))
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-encode") as pool:
            encoding = pool.submit(lambda: list(_copy_parts(events, prev, key, key_id)))
            meanwhile()
            parts = encoding.result()
        _copy_events(parts)
    elif meanwhile is None:
        _insert_events(*_hashed_rows(events, prev, key), prev, key_id)
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-encode") as pool:
            encoding = pool.submit(_hashed_rows, events, prev, key)
            meanwhile()
            rows, hashes = encoding.result()
        _insert_events(rows, hashes, prev, key_id)


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


def _insert_events(rows: list[list[Any]], hashes: list[str], prev_hash: str, key_id: str) -> list[AuditEvent]:
    events = []
    for row, prev, hash_ in zip(rows, [prev_hash, *hashes], hashes, strict=False):
        fields = dict(zip(LINK_FIELDS, row, strict=True))
        before, after = json.loads(fields.pop("before_json")), json.loads(fields.pop("after_json"))
        events.append(
            AuditEvent(**fields, before=before, after=after, prev_hash=prev, hash=hash_, key_id=key_id)
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
    return _insert_events(*_hashed_rows(_Events([spec]), prev, key), prev, key_id)[0]


def _copy_events(parts: Iterable[str]) -> None:
    """PostgreSQL COPY of many events (``copy_text``'s lines): rows keep their order, ids follow the chain.

    If encoding a part fails, COPY fails (the transaction with it) and the encoding's error is raised.
    """
    copy_in(f"COPY {AuditEvent._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN", parts)
