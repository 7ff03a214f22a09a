"""Writing exports: one ``escape`` for every cell a user downloads, and the write-only xlsx builder.

A cell whose text a spreadsheet would run as a formula (= + - @, tab, CR)
gets a leading quote; control characters that xlsx cannot hold are dropped
(openpyxl refuses them and the export would fail); text is cut to the 32,767
characters a cell holds. Every export goes through ``escape``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX_CHARS = 32767


def escape(value: Any) -> Any:
    """A cell value that no spreadsheet evaluates and that xlsx can hold."""
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_MAX_CHARS]
    return value


def xlsx_write(
    out: IO[bytes], header: Sequence[Any], rows: Iterable[Sequence[Any]], title: str = "Sheet1"
) -> int:
    """Stream ``header`` and ``rows`` as one escaped sheet into ``out``; returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([escape(h) for h in header])
    count = 0
    for row in rows:
        sheet.append([escape(v) for v in row])
        count += 1
    workbook.save(out)
    return count


def xlsx(header: Sequence[Any], rows: Iterable[Sequence[Any]], title: str = "Sheet1") -> bytes:
    """One escaped sheet as bytes."""
    buffer = io.BytesIO()
    xlsx_write(buffer, header, rows, title)
    return buffer.getvalue()
