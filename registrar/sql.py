"""Small pieces of raw SQL that the set-based services share.

Lists of thousands of values go to PostgreSQL as one array parameter, tested
with ``= ANY``: the statement stays short, and the planner reaches the rows
through an index even when the table's statistics are stale (a bulk write
has just added thousands of rows and no ANALYZE has run yet).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

# SQLite's limit on parameters per statement is far above this, and statements stay readable.
SQLITE_CHUNK = 500


def id_in(ids: Sequence[int]) -> tuple[str, list]:
    """A ``WHERE id …`` test for many ids: one array parameter on PostgreSQL, a list elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def rows_where_in(
    table: str, columns: str, column: str, values: Sequence, *, where: str = "", params: Sequence = ()
) -> list[tuple]:
    """The rows of ``table`` whose ``column`` holds any of ``values`` (and meet ``where``, if given)."""
    values = list(values)
    if not values:
        return []
    extra = f" AND ({where})" if where else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {column} = ANY(%s){extra}", [values, *params]
            )
            return cursor.fetchall()
        found: list[tuple] = []
        for start in range(0, len(values), SQLITE_CHUNK):
            chunk = values[start : start + SQLITE_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {column} IN ({marks}){extra}", [*chunk, *params]
            )
            found.extend(cursor.fetchall())
        return found


def advisory_lock(key: int, sub_key: int | None = None) -> None:
    """Hold a PostgreSQL transaction-level advisory lock on ``key`` (and ``sub_key``) until commit.

    Serialises writers that no row lock can: the audit chain's head, one year's imports or
    student numbers, the deadline scan. A no-op elsewhere (SQLite serialises every write).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if sub_key is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [key, sub_key])


class _Parts:
    """A file that COPY reads: each ``read`` is the next part, the empty string at the end."""

    def __init__(self, parts: Iterable[str]) -> None:
        self._parts = iter(parts)
        self.error: Exception | None = None  # what made a part fail, which COPY reports only as text

    def read(self, size: int = -1) -> str:
        try:
            return next(self._parts, "")
        except Exception as error:
            self.error = error
            raise


def copy_in(statement: str, parts: Iterable[str]) -> None:
    """Run PostgreSQL's ``COPY … FROM STDIN`` on text made part by part, as COPY reads it.

    The server stores each part while the next one is made (two processes, two cores), so
    a bulk write costs about the longer of the two instead of their sum. If making a part
    fails, COPY fails (and the transaction with it) and that error is raised.
    """
    reader = _Parts(parts)
    with connection.cursor() as cursor:
        try:
            cursor.cursor.copy_expert(statement, reader)
        except Exception:
            if reader.error is not None:
                raise reader.error from None
            raise


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one bulk write.

    A bulk write allocates hundreds of thousands of short-lived objects, and
    each time a generation fills the collector walks the live objects again:
    about a tenth of a 10,000-item approval went there. The objects are freed
    by reference counting all the same; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyze(*models) -> None:
    """Refresh PostgreSQL's statistics of these tables after a bulk write (a no-op elsewhere).

    Right after a write of many thousands of rows the planner still believes the
    table nearly empty, and a query over it (the roll's blockers, an approval's
    checks) picks nested loops over sequential scans: minutes instead of a second,
    until autovacuum gets round to it. ANALYZE samples the table: well under a
    second, and only the writer of the bulk rows pays it.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
