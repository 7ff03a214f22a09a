"""The hash chain over audit events: how one event's hash is computed, and how the chain is checked.

An event's hash is HMAC-SHA256 keyed by ``settings.AUDIT_CHAIN_KEY``, a secret
kept outside the database, so that whoever can write the table but does not
hold the key cannot re-hash a rewritten chain or forge an append (SEC-3). The
event's ``key_id`` names the key; events recorded before keying (``key_id``
empty) keep their plain SHA-256 and still verify, but none may follow a keyed
one. Signed checkpoints (``audit.checkpoints``) anchor the chain's length and
head outside the database, so that truncation and a cut tail are found too.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from audit.chain_keys import chain_keys
from audit.checkpoints import ChainHead, Checkpoint, checkpoints_read
from audit.models import GENESIS_HASH, AuditEvent

# One encoder for every event: sorted keys, no spaces, UTF-8 text as is; dates and decimals as strings.
_ENCODER = DjangoJSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    return _ENCODER.encode(value)


# The C encoder ``_ENCODER.encode`` builds on every call, built once (without the check for circular
# references: an event's values are plain data). Bulk writes call it once per event.
_C_ENCODE = (
    c_make_encoder(
        None,
        _ENCODER.default,
        encode_basestring,
        _ENCODER.indent,
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        _ENCODER.sort_keys,
        _ENCODER.skipkeys,
        _ENCODER.allow_nan,
    )
    if c_make_encoder is not None
    else None
)


def canonical_json_fast(value: Any) -> str:
    """``canonical_json``, the same text, at about half the cost for an event's small values."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def event_hash(*, before: Any, after: Any, key: bytes | None = None, **fields: Any) -> str:
    """HMAC-SHA256 (with ``key``; plain SHA-256 without, as before keying) of an event's content and the previous hash."""
    return event_hash_of_text(
        before_json=canonical_json(before), after_json=canonical_json(after), key=key, **fields
    )


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
    key: bytes | None = None,
) -> str:
    """``event_hash`` for before/after values already written as canonical JSON (see ``link_hashes``)."""
    link = [
        occurred_at,
        actor_id,
        actor_name,
        action,
        subject_type,
        subject_id,
        student_id,
        college_id,
        before_json,
        after_json,
        reason,
        document_number,
    ]
    return link_hashes([link], prev_hash, key=key)[0]


# What ``link_hashes`` reads of an event, in this order: ``event_content`` but the previous hash.
LINK_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "subject_type",
    "subject_id",
    "student_id",
    "college_id",
    "before_json",
    "after_json",
    "reason",
    "document_number",
)


def link_hashes(links: Iterable[Sequence[Any]], prev_hash: str, *, key: bytes | None = None) -> list[str]:
    """The hash of each event, in order, each chained to the one before, the first to ``prev_hash``.

    An event is given as the values of ``LINK_FIELDS``, with ``before_json``
    and ``after_json`` already canonical JSON. The hashed content is the
    canonical JSON array of ``event_content``; it is spliced from parts so that
    the parts a bulk write shares (time, actor, action, reason, 文号) are
    encoded once, not once per event. ``occurred_at`` may be a datetime or its
    ``utc_text``. With ``key`` each hash is the HMAC-SHA256 of the content
    under it; without, the plain SHA-256 of events recorded before keying.
    """
    heads: dict[tuple, str] = {}
    tails: dict[tuple[str, str], str] = {}
    # One HMAC object holds the key's padded state; each event copies it rather than re-deriving it.
    keyed = hmac.new(key, digestmod=hashlib.sha256) if key is not None else None
    sha256 = hashlib.sha256
    hashes: list[str] = []
    prev = prev_hash
    for (
        when,
        actor_id,
        actor_name,
        action,
        subject_type,
        subject_id,
        student,
        college,
        before_json,
        after_json,
        reason,
        document_number,
    ) in links:
        shared = (when, actor_id, actor_name, action, subject_type)
        head = heads.get(shared)
        if head is None:
            when_text = when if isinstance(when, str) else utc_text(when)
            head = heads[shared] = "[" + ",".join(map(_scalar, (when_text, *shared[1:]))) + ","
        tail = tails.get((reason, document_number))
        if tail is None:
            tail = tails[reason, document_number] = (
                "," + ",".join(map(_scalar, (reason, document_number))) + ","
            )
        content = (
            f"{head}{encode_basestring(str(subject_id))},"
            f"{'null' if student is None else int(student)},{'null' if college is None else int(college)},"
            f"{before_json},{after_json}{tail}{encode_basestring(prev)}]"
        ).encode()
        if keyed is None:
            prev = sha256(content).hexdigest()
        else:
            mac = keyed.copy()
            mac.update(content)
            prev = mac.hexdigest()
        hashes.append(prev)
    return hashes


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


def hash_of(event: AuditEvent, key: bytes | None = None) -> str:
    """The hash ``event`` should carry: keyed by ``key``, or plain SHA-256 for an event from before keying."""
    return event_hash(
        key=key,
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
    """The first place where the chain or a checkpoint fails; ``checkpoint_line`` for a bad checkpoint."""

    event_id: int | None
    position: int
    reason: str
    checkpoint_line: int | None = None

    def describe(self) -> str:
        if self.checkpoint_line is not None:
            return _("审计检查点文件第%(line)s行无效：%(reason)s") % {
                "line": self.checkpoint_line,
                "reason": self.reason,
            }
        return _("审计链在第%(position)s条事件（id=%(event_id)s）处断开：%(reason)s") % {
            "position": self.position,
            "event_id": self.event_id,
            "reason": self.reason,
        }


def chain_head() -> ChainHead:
    """The committed chain's end: count and last id from one statement, then that event's (unchanging) hash.

    Writers hold the chain lock until they commit, so what one statement sees is a prefix of the chain.
    """
    totals = AuditEvent.objects.aggregate(count=Count("id"), last_id=Max("id"))
    if not totals["count"]:
        return ChainHead(0, None, GENESIS_HASH)
    head_hash = AuditEvent.objects.filter(pk=totals["last_id"]).values_list("hash", flat=True).get()
    return ChainHead(totals["count"], totals["last_id"], head_hash)


def verify_chain(
    events: Iterable[AuditEvent] | None = None, *, checkpoints: Sequence[Checkpoint] | None = None
) -> tuple[int, BrokenLink | None]:
    """Walk the chain in id order; return how many events were checked and the first broken link (SEC-3)."""
    head, broken = chain_check(events, checkpoints=checkpoints)
    return head.count, broken


def chain_check(
    events: Iterable[AuditEvent] | None = None, *, checkpoints: Sequence[Checkpoint] | None = None
) -> tuple[ChainHead, BrokenLink | None]:
    """Check every event's link and hash, and the chain against every checkpoint (SEC-3).

    ``events`` defaults to the whole table in id order, ``checkpoints`` to the
    checkpoint file. Returns where the chain ends (as far as it was walked)
    and the first problem, or None.
    """
    keys = chain_keys()
    if checkpoints is None:
        checkpoints = checkpoints_read()
    expected: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        if not checkpoint.is_signed_by(keys):
            reason = _("签名不符：检查点被改动，或不是用本系统的密钥签署的")
            return ChainHead(0, None, GENESIS_HASH), BrokenLink(
                checkpoint.last_id, checkpoint.count, reason, checkpoint_line=checkpoint.line
            )
        expected.setdefault(checkpoint.last_id, []).append(checkpoint)
    if events is None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=5000)
    previous, checked, last_id, keyed = GENESIS_HASH, 0, None, False
    for checked, event in enumerate(events, start=1):
        reason = _link_problem(event, previous, keys, keyed) or _checkpoint_problem(
            event, checked, expected.pop(event.pk, ())
        )
        if reason:
            return ChainHead(checked - 1, last_id, previous), BrokenLink(event.pk, checked, reason)
        previous, last_id, keyed = event.hash, event.pk, keyed or bool(event.key_id)
    head = ChainHead(checked, last_id, previous)
    if expected:
        missing = min((c for group in expected.values() for c in group), key=lambda c: (c.count, c.last_id))
        reason = _("检查点（%(written_at)s）记录了这条事件，链中却没有它：审计链被截断或末尾的事件被删除") % {
            "written_at": missing.written_at
        }
        return head, BrokenLink(missing.last_id, missing.count, reason)
    return head, None


def _link_problem(event: AuditEvent, previous: str, keys: dict[str, bytes], keyed: bool) -> str | None:
    """Why ``event`` does not follow ``previous`` with a hash only the chain key could make, or None."""
    if event.prev_hash != previous:
        return _("前一事件哈希不符：前面的事件被删除、插入或改动")
    if event.key_id:
        key = keys.get(event.key_id)
        if key is None:
            return _("密钥编号%(key_id)s不是本系统的密钥：该事件在应用之外被伪造，或未配置已停用的密钥") % {
                "key_id": event.key_id
            }
    elif keyed:
        return _("该事件没有密钥签名，却排在有签名的事件之后：它在应用之外被伪造或改写")
    else:
        key = None  # recorded before the chain was keyed
    if not hmac.compare_digest(hash_of(event, key), event.hash):
        return _("内容与哈希不符：该事件在应用之外被改动，或哈希不是用本系统的密钥计算的")
    return None


def _checkpoint_problem(event: AuditEvent, position: int, checkpoints: Sequence[Checkpoint]) -> str | None:
    """Why ``event`` disagrees with a checkpoint taken when it was the chain's last event, or None."""
    for checkpoint in checkpoints:
        if checkpoint.head_hash != event.hash:
            return _(
                "哈希与检查点（%(written_at)s）记录的不符：该事件或其前面的事件被改写并重新计算了哈希"
            ) % {"written_at": checkpoint.written_at}
        if checkpoint.count != position:
            return _("检查点（%(written_at)s）记录它是第%(count)s条事件：前面的事件被删除或插入") % {
                "written_at": checkpoint.written_at,
                "count": checkpoint.count,
            }
    return None
