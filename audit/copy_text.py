"""Audit events as PostgreSQL's COPY reads them: its text format, one line per event, in chain order.

Columns are separated by tabs and rows end with a newline; NULL is ``\\N``; in
a value, backslash, tab, newline and carriage return are written as ``\\\\``,
``\\t``, ``\\n`` and ``\\r`` (any other character, control or not, stands for
itself). An empty value is the empty string, never NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The columns, in the order of a line: those of ``audit.chain.LINK_FIELDS``, then the chain's own.
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
NULL = "\\N"


def copy_value(value: str | int | None) -> str:
    """One value as COPY's text format writes it."""
    if value is None:
        return NULL
    if not isinstance(value, str):
        return str(int(value))
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_text(rows: Sequence[Sequence[Any]], hashes: Sequence[str], prev_hash: str, key_id: str) -> str:
    """The lines of events given as values in the order of ``LINK_FIELDS`` (before/after as JSON) and hashes.

    The values events of one write share (time, actor, action, reason, 文号, and before/after
    texts that are one object) are written once.
    """
    heads: dict[tuple, str] = {}
    tails: dict[tuple[str, str], str] = {}
    texts: dict[str, str] = {}  # a before/after JSON text → as COPY reads it
    end = f"\t{copy_value(key_id)}\n"
    escape = copy_value

    def json_text(text: str) -> str:
        written = texts.get(text)
        if written is None:
            written = texts[text] = escape(text)
        return written

    lines = []
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
    ), hash_ in zip(rows, hashes, strict=True):
        shared = (when, actor_id, actor_name, action, subject_type)
        head = heads.get(shared)
        if head is None:
            head = heads[shared] = "\t".join([when.isoformat(), *map(escape, shared[1:])]) + "\t"
        tail = tails.get((reason, document_number))
        if tail is None:
            tail = tails[reason, document_number] = f"\t{escape(reason)}\t{escape(document_number)}\t"
        lines.append(
            f"{head}{subject_id if subject_id.isdigit() else escape(subject_id)}\t"
            f"{NULL if student is None else int(student)}\t{NULL if college is None else int(college)}\t"
            f"{json_text(before_json)}\t{json_text(after_json)}{tail}{prev}\t{hash_}{end}"
        )
        prev = hash_
    return "".join(lines)
