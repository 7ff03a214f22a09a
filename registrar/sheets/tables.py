"""Uploaded tables: column declarations, rows that keep their number, row errors, and the error sheet."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from registrar.sheets.cells import cell_text
from registrar.sheets.errors import FileFormatError
from registrar.sheets.isolation import read_table
from registrar.sheets.writers import xlsx


@dataclass(frozen=True)
class Column:
    """A column of an uploaded sheet: the key it fills, the platform's name, the Chinese header, its aliases."""

    key: str  # attribute on the row
    platform: str  # the national platform's column name
    label: str  # the Chinese header
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 50


@dataclass(frozen=True)
class RowError:
    """One problem: 第N行 列名：原因. Row 0 is about the whole file (e.g. its headers).

    ``column`` is the file's own (Chinese) header and stays untranslated;
    ``reason`` is in the active language.
    """

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.column}：{self.reason}" if self.column else self.reason
        return f"第{self.row}行 {self.column}：{self.reason}"


@dataclass
class SheetRow:
    """One data row: its number in the file (the header is row 1) and its checked values."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedSheet:
    rows: list[SheetRow]
    errors: list[RowError]
    sha256: str

    @classmethod
    def refused(cls, reason: str) -> ParsedSheet:
        """A file refused before it was parsed (too large, say): one error about the whole file."""
        return cls([], [RowError(0, "", reason)], "")


def raw_rows(content: bytes, file_name: str, limit: int = 200_000) -> list[list[Any]]:
    """The file's rows as text, for the error sheet that repeats them with their errors."""
    rows = []
    try:
        with closing(read_table(content, file_name)) as table:
            for index, row in enumerate(table.rows):
                if index > limit:
                    break
                rows.append(
                    [cell_text(v) if not isinstance(v, datetime.date) else v.isoformat() for v in row]
                )
    except FileFormatError:
        return rows
    return rows


def error_sheet(original: Sequence[Sequence[Any]], errors: Sequence[RowError]) -> bytes:
    """The uploaded rows with an 错误说明 column, so that staff fix them where they are."""
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(
            f"{error.column}：{error.reason}" if error.column else error.reason
        )
    rows = list(original)
    header = [*(rows[0] if rows else []), _("错误说明")]
    general = "；".join(by_row.get(0, []) + by_row.get(1, []))
    body = []
    for number, cells in enumerate(rows[1:], start=2):
        body.append([*cells, "；".join(by_row.get(number, []))])
    if general:
        body.insert(0, ["" for _cell in header[:-1]] + [general])
    return xlsx(header, body, _("错误"))
