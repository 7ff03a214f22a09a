"""Reading an untrusted file in a child process under memory and CPU limits (SEC-1).

The reading half of the sheet toolkit: ``limits`` (the upload and sheet limits and the checks
that need no parsing), ``readers`` (python-calamine for xlsx, DBF by hand; pure, run in the
child), ``isolation`` (this module), ``cells`` (generic cell checks: hidden or garbled text,
dates) and ``errors`` (``FileFormatError`` and the reasons a file is refused).

A malformed xlsx can make python-calamine allocate hundreds of gigabytes or panic, and a large
file holds memory that a worker keeps afterwards. So the parse runs in a child forked from a
small server process (multiprocessing's "forkserver", which has python-calamine preloaded):
the child sets RLIMIT_AS and RLIMIT_CPU, reads the file and streams its rows back in chunks
while the caller checks the cells. A child that aborts, is killed or overruns becomes a
``FileFormatError`` with a Chinese reason; the web worker carries on.

Before the child starts, the cheap checks run here: the size, the zip directory's uncompressed
sizes, each worksheet's declared dimension, the DBF header against the file's length.
"""

from __future__ import annotations

import datetime
import marshal
import multiprocessing
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any

from registrar.sheets.errors import FileFormatError, Unreadable, file_error
from registrar.sheets.limits import SheetLimits, dbf_header, precheck_xlsx, too_large
from registrar.sheets.readers import read_dbf, read_xlsx, scan_xlsx

CHUNK_ROWS = 2000
_CONTEXT = multiprocessing.get_context("forkserver")
# "__main__" too: the server imports the program's main module (gunicorn's, celery's, manage.py)
# once, instead of every child importing it again before it reads a file.
_CONTEXT.set_forkserver_preload(["__main__", "registrar.sheets.isolation"])


def warm() -> None:
    """Start the reading server now, so the first upload after a worker starts does not wait for it.

    Called once per web worker (``registrar/wsgi.py``) and per Celery worker process; a later call
    does nothing while the server runs.
    """
    forkserver.ensure_running()


@dataclass
class Table:
    """A file's rows (header first), streamed from the child, and the cells holding a formula."""

    rows: Iterator[list[Any]]
    formula_cells: list[tuple[int, int]]

    def close(self) -> None:
        """Stop the child if the rows were not read to the end."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


def file_kind(content: bytes, file_name: str) -> str:
    """The kind of file, dbf or xlsx, by its name or the zip signature; anything else is refused."""
    lower = file_name.lower()
    if lower.endswith(".dbf"):
        return "dbf"
    if lower.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return "xlsx"
    raise file_error(Unreadable("unknown_type"))


def read_table(content: bytes, file_name: str, *, limits: SheetLimits | None = None) -> Table:
    """The file's table, read in a child process; refused with ``FileFormatError`` (SEC-1).

    File-level problems found before the first row raise here; one found later (a sheet that
    breaks half-way, a child that dies) raises while the rows are read.
    """
    limits = limits or SheetLimits.from_settings()
    if len(content) > limits.upload_bytes:
        raise too_large(len(content), limits)
    kind = file_kind(content, file_name)
    try:
        if kind == "xlsx":
            precheck_xlsx(content, limits)
        else:
            dbf_header(content, limits)
    except Unreadable as problem:
        raise file_error(problem) from None
    receiving, sending = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(sending, content, kind, limits), daemon=True)
    process.start()
    sending.close()
    deadline = time.monotonic() + limits.child_wall_seconds

    def receive() -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiving.poll(remaining):
            _stop(receiving, process)
            raise file_error(Unreadable("timeout", seconds=limits.child_wall_seconds))
        try:
            return receiving.recv_bytes()
        except (EOFError, OSError):
            _stop(receiving, process)
            raise diagnose(content, kind, limits) from None

    first = receive()
    if first[:1] != b"F":
        _stop(receiving, process)
        raise _refusal(first)
    return Table(rows=_rows(receive, receiving, process), formula_cells=marshal.loads(first[1:]))


def diagnose(content: bytes, kind: str, limits: SheetLimits) -> FileFormatError:
    """Why a child died: for xlsx, the cell-position scan alone, in a new child; else "crashed"."""
    if kind != "xlsx":
        return file_error(Unreadable("crashed"))
    receiving, sending = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(sending, content, "scan", limits), daemon=True)
    process.start()
    sending.close()
    try:
        if receiving.poll(limits.child_wall_seconds):
            message = receiving.recv_bytes()
            if message[:1] == b"E":
                return _refusal(message)
    except (EOFError, OSError):
        pass
    finally:
        _stop(receiving, process)
    return file_error(Unreadable("crashed"))


def _rows(receive: Callable[[], bytes], receiving: Connection, process) -> Iterator[list[Any]]:
    try:
        while True:
            message = receive()
            tag, body = message[:1], memoryview(message)[1:]
            if tag == b"R":
                yield from marshal.loads(body)
            elif tag == b"T":
                for row in marshal.loads(body):
                    yield [_revive(v) if v.__class__ is tuple else v for v in row]
            elif tag == b"D":
                return
            else:
                raise _refusal(message)
    finally:
        _stop(receiving, process)


def _refusal(message: bytes) -> FileFormatError:
    if message[:1] == b"E":
        code, params = marshal.loads(message[1:])
        return file_error(Unreadable(code, **params))
    return file_error(Unreadable("crashed"))


def _stop(receiving: Connection, process) -> None:
    """Close the pipe and reap the child (killed if still running); a second call does nothing."""
    if receiving.closed:
        return
    receiving.close()
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()
    process.close()


# ---------------------------------------------------------------- in the child


def _child(sending: Connection, content: bytes, kind: str, limits: SheetLimits) -> None:
    """Read the file under the limits and send: formulas, row chunks, done; or the refusal."""
    _limit_resources(limits)
    try:
        try:
            if kind == "scan":
                scan_xlsx(content, limits)
                rows, formulas = iter(()), []
            elif kind == "xlsx":
                rows, formulas = read_xlsx(content, limits)
            else:
                rows, formulas = read_dbf(content, limits=limits), []
            sending.send_bytes(b"F" + marshal.dumps(formulas))
            chunk: list[list[Any]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == CHUNK_ROWS:
                    _send_rows(sending, chunk)
                    chunk = []
            if chunk:
                _send_rows(sending, chunk)
            sending.send_bytes(b"D")
        except Unreadable as problem:
            sending.send_bytes(b"E" + marshal.dumps((problem.code, problem.params)))
        except MemoryError:
            sending.send_bytes(b"E" + marshal.dumps(("crashed", {})))
        except BaseException:  # python-calamine panics raise PanicException, a BaseException
            sending.send_bytes(b"E" + marshal.dumps(("panic", {})))
    except OSError:
        pass  # the parent stopped listening
    finally:
        sending.close()


def _limit_resources(limits: SheetLimits) -> None:
    for kind, soft, hard in (
        (resource.RLIMIT_AS, limits.child_memory_bytes, limits.child_memory_bytes),
        (resource.RLIMIT_CPU, limits.child_cpu_seconds, limits.child_cpu_seconds + 5),
    ):
        _current_soft, current_hard = resource.getrlimit(kind)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        resource.setrlimit(kind, (soft, hard))


def _send_rows(sending: Connection, chunk: list[list[Any]]) -> None:
    try:
        sending.send_bytes(b"R" + marshal.dumps(chunk))
    except ValueError:  # dates and times are not marshallable: sent as tagged tuples
        typed = [[_tagged(v) for v in row] for row in chunk]
        sending.send_bytes(b"T" + marshal.dumps(typed))


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        return ("date", value.isoformat())
    if isinstance(value, datetime.time):
        return ("time", value.isoformat())
    if isinstance(value, datetime.timedelta):
        return ("timedelta", value.total_seconds())
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


REVIVE = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "timedelta": lambda seconds: datetime.timedelta(seconds=seconds),
}


def _revive(value: tuple) -> Any:
    kind, data = value
    return REVIVE[kind](data)
