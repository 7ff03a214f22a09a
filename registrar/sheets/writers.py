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
import itertools
import re
import struct
from collections.abc import Iterable, Mapping, Sequence
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


# Rows read to size the columns when the caller gives no widths: enough to see a sheet's typical
# values, few enough that a 100,000-row export pays nothing for it.
WIDTH_SAMPLE_ROWS = 200
WIDTH_MIN, WIDTH_MAX = 6, 50
# Rows below the data that keep a drop-down, so that a college adding people to a template keeps it.
VALIDATION_SPARE_ROWS = 1000


def display_width(value: Any) -> int:
    """How many narrow characters ``value`` takes in a cell: a Chinese character counts two."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = value if isinstance(value, str) else str(value)
    if text.isascii():
        return max((len(line) for line in text.split("\n")), default=0)
    return max((sum(2 if ord(c) >= 0x1100 else 1 for c in line) for line in text.split("\n")), default=0)


def fitted_widths(header: Sequence[Any], sample: Sequence[Sequence[Any]]) -> list[int]:
    """Column widths that fit the header and the sampled rows, between ``WIDTH_MIN`` and ``WIDTH_MAX``."""
    widths = [display_width(h) for h in header]
    for row in sample:
        for column, value in enumerate(row[: len(widths)]):
            width = display_width(value)
            if width > widths[column]:
                widths[column] = width
    return [min(WIDTH_MAX, max(WIDTH_MIN, width + 2)) for width in widths]


def xlsx_write(
    out: IO[bytes],
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str = "Sheet1",
    widths: Sequence[int] = (),
    *,
    frozen_header: bool = True,
    autofilter: bool = True,
    footer: Sequence[Sequence[Any]] = (),
    choices: Mapping[int, Sequence[str]] | None = None,
    notes: Sequence[str | Sequence[Any]] = (),
    notes_title: str = "",
) -> int:
    """Stream ``header`` and ``rows`` as one escaped sheet into ``out``; returns the number of rows.

    XlsxWriter in constant-memory mode: each row is flushed to disk as it is written.
    Every sheet is one people can use at once: the header stays in view (``frozen_header``),
    every column has a filter over the rows (``autofilter``), and columns get ``widths``, or
    widths that fit the header and the first rows. ``footer`` rows (a total) follow in bold,
    outside the filter, so that sorting never moves them. For a sheet people fill in,
    ``choices`` gives a column (by index) a drop-down of its allowed values, and ``notes``
    go to a second sheet (``notes_title``, 填写说明), never among the rows an upload reads.
    """
    workbook = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = workbook.add_format({"bold": True})
    if frozen_header:
        sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [escape(h) for h in header], bold)

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

    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS)) if not widths else []
    # Column widths are written when the workbook closes, so they may follow the sampled rows.
    for column, width in enumerate(widths or fitted_widths(header, sample)):
        sheet.set_column(column, column, width)
    count = 0
    for count, row in enumerate(itertools.chain(sample, rows), start=1):
        write(count, row)
    if autofilter and header:
        # Kept by XlsxWriter and written when the workbook closes, once the streamed rows' count is known.
        sheet.autofilter(0, 0, count, len(header) - 1)
    for offset, row in enumerate(footer, start=1):
        write(count + offset, row, bold)
    for column, values in (choices or {}).items():
        sheet.data_validation(
            1,
            column,
            count + VALIDATION_SPARE_ROWS,
            column,
            {
                "validate": "list",
                "source": [escape(str(v)) for v in values],
                "error_type": "stop",
                "error_title": str(header[column])[:32],
                "error_message": ("、".join(str(v) for v in values))[:255],
            },
        )
    if notes:
        notes_sheet = workbook.add_worksheet(ILLEGAL_CHARACTERS_RE.sub("", notes_title)[:31] or "Notes")
        notes_sheet.set_column(0, 0, 24 if any(not isinstance(n, str) for n in notes) else 100)
        for index, line in enumerate(notes):
            if isinstance(line, str):
                notes_sheet.write_string(index, 0, escape(line), bold if index == 0 else None)
            else:  # a row of cells: an example of the data sheet's rows
                notes_sheet.write_row(index, 0, [escape(str(cell)) for cell in line])
    workbook.close()
    return count


def xlsx(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str = "Sheet1",
    widths: Sequence[int] = (),
    **report: Any,
) -> bytes:
    """One escaped sheet as bytes; ``report`` takes ``xlsx_write``'s keyword options."""
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
