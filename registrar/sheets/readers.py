"""The readers themselves: xlsx through python-calamine, the platform's DBF (dBase III, GBK) by hand.

They run inside the child process (``isolation``): no Django settings, no database, no
translations; a file they refuse raises ``Unreadable`` with a code. Each reader returns the
table's rows (lists of cell values, the header first, numbered from A1) and, for xlsx, the
cells that hold a formula.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Iterator
from functools import cache
from typing import Any

from python_calamine import CalamineWorkbook

from registrar.sheets.cells import looks_chinese
from registrar.sheets.errors import Unreadable
from registrar.sheets.limits import DAMAGED_ZIP, SheetLimits, check_ref, column_letters, dbf_header

Rows = Iterator[list[Any]]

WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
FORMULA = re.compile(rb'<c\s[^>]*?r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<f[\s>/]')
# An ``r="..."`` that is neither a cell's position (``B7``) nor a row's number (``7``): ``Z09``, ``$A$1``,
# ``A``. A spreadsheet never writes one; the reader would guess where the cell goes.
BAD_REF = re.compile(rb"""\sr\s*=\s*["'](?!(?:[A-Z]{1,3})?[1-9][0-9]{0,6}["'])([^"']{0,20})""")


@cache
def _far_references(limits: SheetLimits) -> re.Pattern[bytes]:
    """``r="..."`` values long enough to be past the limits: rare in a good file, so the scan is cheap.

    A cell's position decides how much python-calamine allocates (rows × columns of the used
    range), so every position is checked before calamine sees the file.
    """
    letters = len(column_letters(limits.columns))
    digits = len(str(limits.rows + 1))
    return re.compile(
        rb"""r\s*=\s*["']([A-Z]{%d,}[0-9]*|[A-Z]+[0-9]{%d,}|[0-9]{%d,})["']""" % (letters, digits, digits)
    )


def scan_xlsx(content: bytes, limits: SheetLimits) -> list[tuple[int, int]]:
    """Inflate each worksheet within its declared size, check every cell position, find formulas.

    Returns the (row, column index) of the first worksheet's formula cells. The other parts
    are inflated by python-calamine, which refuses a part larger than it declares.
    """
    far = _far_references(limits)
    formulas: list[tuple[int, int]] = []
    first = True
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for entry in archive.infolist():
                if not WORKSHEET.match(entry.filename):
                    continue
                # zipfile stops at the declared size and checks the CRC: a part that inflates to
                # more than it declares (a hidden bomb) is refused as a broken file.
                with archive.open(entry) as stream:
                    data = stream.read()
                bad = BAD_REF.search(data)
                if bad is not None:
                    raise Unreadable("bad_ref", ref=bad.group(1).decode("ascii", "replace"))
                for match in far.finditer(data):
                    if data[match.start() - 1 : match.start()] not in (b" ", b"\t", b"\n", b"\r"):
                        continue  # an attribute that only ends in "r", e.g. ref= or sqref=
                    ref = match.group(1).decode("ascii")
                    if not ref.isdigit():
                        check_ref(ref, limits)
                    elif int(ref) > limits.rows + 1:  # a row's own number
                        raise Unreadable("row_ref", row=ref[:20], rows=limits.rows)
                if first:
                    first = False
                    if b"<f" in data:
                        formulas = [
                            (int(m.group(2)), int(_column_index(m.group(1)))) for m in FORMULA.finditer(data)
                        ]
                del data
    except DAMAGED_ZIP:
        raise Unreadable("not_xlsx") from None
    return formulas


def _scan_into(content: bytes, limits: SheetLimits, found: dict[str, Any]) -> None:
    try:
        found["formulas"] = scan_xlsx(content, limits)
    except Unreadable as problem:
        found["problem"] = problem


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def read_xlsx(content: bytes, limits: SheetLimits | None = None) -> tuple[Rows, list[tuple[int, int]]]:
    """The first sheet's rows as Python values, numbered from A1, and its formula cells."""
    limits = limits or SheetLimits()
    # The scan runs beside python-calamine's load (which releases the GIL): it costs no time,
    # and its reason comes first. A cell placed so far that calamine's allocation fails aborts
    # this process; the parent then runs the scan alone for the reason (isolation.diagnose).
    found: dict[str, Any] = {}
    scanner: threading.Thread | None = threading.Thread(target=_scan_into, args=(content, limits, found))
    try:
        scanner.start()
    except RuntimeError:  # no memory left for a thread's stack: scan first, then load
        _scan_into(content, limits, found)
        scanner = None
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        start = sheet.start or (0, 0)
        height, width = sheet.height, sheet.width
        rows = sheet.iter_rows()
    except BaseException as exc:  # calamine's own error types, and its panics (BaseException)
        if scanner is not None:
            scanner.join()
        if "problem" in found:
            raise found["problem"] from None
        if isinstance(exc, Exception):
            raise Unreadable("not_xlsx") from None
        raise
    if scanner is not None:
        scanner.join()
    if "problem" in found:
        raise found["problem"]
    formulas = found["formulas"]
    if start[0] + height > limits.rows + 1:
        raise Unreadable("rows", limit=limits.rows)
    if start[1] + width > limits.columns:
        raise Unreadable("columns", limit=limits.columns)

    def stream() -> Rows:
        for _row in range(start[0]):
            yield []
        pad = [None] * start[1]
        try:
            for row in rows:
                yield pad + row if pad else row
        except Exception:  # a sheet that breaks half-way is unreadable as a whole
            raise Unreadable("not_xlsx") from None

    return stream(), formulas


ENCODING_NAMES = {"gbk": "GBK", "utf-8": "UTF-8"}
OTHER_ENCODING = {"gbk": "utf-8", "utf-8": "gbk"}


def read_dbf(content: bytes, encoding: str = "gbk", limits: SheetLimits | None = None) -> Rows:
    """A dBase III table (the platform's exchange format): header names first, then text values.

    The header's record count must match the file's length (a truncated file is refused), and
    text in the other encoding (UTF-8 in a GBK file, or the reverse) is refused rather than
    imported garbled. A field of nothing but NUL bytes is empty; a NUL among text is kept, for
    the cell check to refuse with its row and column.
    """
    header = dbf_header(content, limits or SheetLimits())
    other = OTHER_ENCODING[encoding]

    def decode(raw: bytes, row: int, field: str) -> str:
        raw = raw.rstrip(b" ")
        if not raw.strip(b"\x00"):
            return ""
        if raw.isascii():
            return raw.decode("ascii").strip()
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = None
        try:
            alternative = raw.decode(other)
        except UnicodeDecodeError:
            alternative = None
        # Read in the other encoding the bytes make Chinese text: the file was written in it.
        # (GBK bytes are almost never valid UTF-8 that reads as Chinese, so a GBK file's own
        # names are not mistaken; in a UTF-8 file, GBK shows as bytes that are not UTF-8.)
        if alternative is not None and looks_chinese(alternative) and (encoding == "gbk" or text is None):
            raise Unreadable(
                "dbf_encoding",
                expected=ENCODING_NAMES[encoding],
                found=ENCODING_NAMES[other],
                row=row,
                field=field,
            )
        return (text if text is not None else raw.decode(encoding, "replace")).strip()

    def rows() -> Rows:
        yield [name for name, _width in header.fields]
        offset = header.header_length
        for number in range(2, header.count + 2):
            record = content[offset : offset + header.record_length]
            offset += header.record_length
            if record[:1] == b"*":  # deleted
                yield []
                continue
            values = []
            cursor = 1
            for name, width in header.fields:
                values.append(decode(record[cursor : cursor + width], number, name))
                cursor += width
            yield values

    return rows()
