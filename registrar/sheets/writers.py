"""Writing exports: one ``escape`` for every cell a user downloads, a constant-memory xlsx writer
and a dBase III (DBF) writer for the national platform's files.

A cell whose text a spreadsheet would run as a formula (= + - @, tab, CR)
gets a leading quote; control characters that xlsx cannot hold are dropped
(they made exports fail); text is cut to the 32,767 characters a cell holds.
Every export goes through ``escape``. Writers take plain value rows (lists of
str, int, date…), never model instances, and stream them: memory stays flat
whatever the number of rows.
"""

from __future__ import annotations

import datetime
import io
import re
import struct
from collections.abc import Iterable, Sequence
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX_CHARS = 32767
# What XML 1.0 cannot carry (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF and CR.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def escape(value: Any) -> Any:
    """A cell value that no spreadsheet evaluates and that xlsx can hold."""
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > CELL_MAX_CHARS:
            value = value[:CELL_MAX_CHARS]
    return value


def xlsx_write(
    out: IO[bytes],
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str = "Sheet1",
    widths: Sequence[int] = (),
    *,
    frozen_header: bool = False,
    autofilter: bool = False,
    footer: Sequence[Sequence[Any]] = (),
) -> int:
    """Stream ``header`` and ``rows`` as one escaped sheet into ``out``; returns the number of rows.

    XlsxWriter in constant-memory mode: each row is flushed to disk as it is written.
    For a report people sort and filter: ``frozen_header`` keeps the header in view,
    ``autofilter`` filters every column over the rows, and ``footer`` rows (a total)
    follow in bold, outside the filter, so that sorting never moves them.
    """
    workbook = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = workbook.add_format({"bold": True}) if footer else None
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    if frozen_header:
        sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [escape(h) for h in header])

    def write(index: int, row: Sequence[Any], cell_format: Any = None) -> None:
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(index, column, escape(value), cell_format)
            elif isinstance(value, datetime.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                sheet.write_datetime(index, column, local.replace(tzinfo=None), datetime_format)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(index, column, value, date_format)
            else:
                sheet.write(index, column, value, cell_format)

    count = 0
    for count, row in enumerate(rows, start=1):
        write(count, row)
    if autofilter and header:
        # Kept by XlsxWriter and written when the workbook closes, once the streamed rows' count is known.
        sheet.autofilter(0, 0, count, len(header) - 1)
    for offset, row in enumerate(footer, start=1):
        write(count + offset, row, bold)
    workbook.close()
    return count


def xlsx(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str = "Sheet1",
    widths: Sequence[int] = (),
    **report: Any,
) -> bytes:
    """One escaped sheet as bytes; ``report`` takes ``xlsx_write``'s frozen_header, autofilter and footer."""
    buffer = io.BytesIO()
    xlsx_write(buffer, header, rows, title, widths, **report)
    return buffer.getvalue()


# ---------------------------------------------------------------- DBF (dBase III, the platform's format)

DBF_CODEPAGES = {"gbk": 0x7A}  # the language driver byte of cp936


def dbf_fit(text: str, width: int, encoding: str = "gbk") -> bytes:
    """``text`` encoded and cut to ``width`` bytes, never inside a character, padded with spaces.

    The caller has already replaced or refused what ``encoding`` cannot hold.
    """
    data = text.encode(encoding)
    if len(data) > width:
        data = data[:width].decode(encoding, "ignore").encode(encoding)
    return data.ljust(width, b" ")


def dbf_write(
    out: IO[bytes],
    fields: Sequence[tuple[str, int]],
    rows: Iterable[Sequence[str]],
    encoding: str = "gbk",
    today: datetime.date | None = None,
) -> int:
    """A dBase III table of character fields (name, width) with ``rows`` of text; returns the row count.

    The header's record count is written last (``out`` must be seekable), so rows may be streamed.
    """
    today = today or datetime.date.today()
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(width for _name, width in fields)
    out.write(
        struct.pack(
            "<BBBBIHH20x", 0x03, today.year - 1900, today.month, today.day, 0, header_length, record_length
        )
    )
    for name, width in fields:
        # name (11 bytes, NUL padded), type C, 4 reserved, width, 0 decimals, 14 reserved
        out.write(struct.pack("<11sc4xBB14x", name.encode("ascii"), b"C", width, 0))
    out.write(b"\r")
    widths = [width for _name, width in fields]
    count = 0
    for row in rows:
        out.write(b" " + b"".join(dbf_fit(v or "", w, encoding) for v, w in zip(row, widths, strict=True)))
        count += 1
    out.write(b"\x1a")
    end = out.tell()
    out.seek(4)
    out.write(struct.pack("<I", count))
    out.seek(29)
    out.write(bytes([DBF_CODEPAGES.get(encoding, 0)]))
    out.seek(end)
    return count
