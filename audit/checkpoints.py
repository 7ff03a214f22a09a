"""Signed checkpoints of the audit chain, kept outside the database (SEC-3, SEC-6).

A checkpoint says “the chain had ``count`` events, the last one ``last_id``
with hash ``head_hash``”, is HMAC-signed with the chain key and appended as
one JSON line to ``AUDIT_CHECKPOINT_DIR/audit-checkpoints.jsonl``. Whoever can
empty or cut the events table can neither reach that file from the database
nor sign a checkpoint without the key, so ``audit_verify`` finds a truncated
chain, a deleted tail and a chain rewritten from an earlier point.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from audit.chain_keys import current_key

CHECKPOINT_FILE = "audit-checkpoints.jsonl"


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: how many events, the last one's id and its hash."""

    count: int
    last_id: int | None
    head_hash: str


@dataclass(frozen=True)
class Checkpoint:
    """One signed line of the checkpoint file; ``line`` is its line number there (not signed)."""

    count: int
    last_id: int
    head_hash: str
    written_at: str
    key_id: str
    signature: str = ""
    line: int = field(default=0, compare=False)

    def signed_content(self) -> bytes:
        fields = asdict(self)
        del fields["signature"], fields["line"]
        return b"audit-checkpoint\n" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signature_with(self, key: bytes) -> str:
        return hmac.new(key, self.signed_content(), hashlib.sha256).hexdigest()

    def is_signed_by(self, keys: dict[str, bytes]) -> bool:
        """True when one of ``keys`` (by key id) signed exactly this content."""
        key = keys.get(self.key_id)
        return key is not None and hmac.compare_digest(self.signature_with(key), self.signature)


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / CHECKPOINT_FILE


def checkpoint_write(*, head: ChainHead) -> Checkpoint | None:
    """写入审计检查点 (SEC-3): append a signed checkpoint of ``head``; nothing for an empty chain.

    One ``write`` of one line to a file opened for appending: checkpoints from
    several processes never interleave, and earlier lines are never rewritten.
    """
    if not head.count or head.last_id is None:
        return None
    key_id, key = current_key()
    unsigned = Checkpoint(
        count=head.count,
        last_id=head.last_id,
        head_hash=head.head_hash,
        written_at=timezone.now().isoformat(timespec="seconds"),
        key_id=key_id,
    )
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": unsigned.signature_with(key)})
    line = {k: v for k, v in asdict(checkpoint).items() if k != "line"}
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (json.dumps(line, sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return checkpoint


def checkpoints_read() -> list[Checkpoint]:
    """Every checkpoint in the file, in order; a line that does not parse comes back unsigned (so invalid)."""
    path = checkpoint_path()
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return list(_parse(lines))


def _parse(lines: Iterator[str]) -> Iterator[Checkpoint]:
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            values = json.loads(text)
            yield Checkpoint(
                count=int(values["count"]),
                last_id=int(values["last_id"]),
                head_hash=str(values["head_hash"]),
                written_at=str(values["written_at"]),
                key_id=str(values["key_id"]),
                signature=str(values["signature"]),
                line=number,
            )
        except (ValueError, KeyError, TypeError):
            yield Checkpoint(count=0, last_id=0, head_hash="", written_at="", key_id="", line=number)
