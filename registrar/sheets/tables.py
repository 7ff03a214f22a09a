"""Uploaded tables: column declarations, rows that keep their number, row errors, and the error sheet."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from registrar.sheets.cells import cell_text, plain, text_problem
from registrar.sheets.errors import FileFormatError
from registrar.sheets.isolation import read_table
from registrar.sheets.writers import xlsx
from registrar.sql import collector_paused


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


# ---------------------------------------------------------------- one row's cells

# (the cell as text, the cell as read) → the value, or ValueError(reason). A pure function of the
# cell, returning an immutable value: a row checker remembers what it gave for a text it saw before.
Check = Callable[[str, Any], Any]
RowCheck = Callable[[dict[str, Any], int], tuple[dict[str, Any], list[RowError]]]
SUSPICIOUS_STARTS = frozenset("=+@-\t\r")
# Texts per column whose checked value a row checker remembers: a sheet repeats its codes, dates,
# majors and colleges on every row, while names and numbers fill this and are then looked up only.
REMEMBERED = 1024


def row_checker(
    columns: tuple[Column, ...],
    checks: dict[str, Check],
    *,
    multiline: frozenset[str] = frozenset(),
    free_text: frozenset[str] = frozenset(),
) -> RowCheck:
    """A check of one row's cells: required, length, hidden or garbled text, formula-like text, then
    each column's own check (``checks``, by key; free text when absent) — SEC-3.

    ``multiline`` keys may hold line breaks; ``free_text`` keys are stored as they are and so are
    checked for mojibake too (every other column has a strict check that garbled text cannot pass).
    A text cell that passed every check before, in the same column, gets the value it got then
    (each column remembers up to ``REMEMBERED`` texts); a refused cell is checked again, so its
    reason is always in the active language.
    """
    plan = tuple(
        (
            c.key,
            c.label,
            c.required,
            c.max_length,
            checks.get(c.key, plain),
            c.key in multiline,
            c.key in free_text,
            {},  # text → the value it passed with
        )
        for c in columns
    )

    def check_row(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        _cell_errors(plan, raw, number, values, errors)
        return values, errors

    return check_row


def _cell_errors(plan: tuple[tuple, ...], raw: dict, number: int, values: dict, errors: list) -> None:
    """Check each cell of one row in turn; the first problem of a cell is its error."""
    get = raw.get
    for key, label, required, max_length, check, multiline, free_text, passed in plan:
        value = get(key)
        if value.__class__ is str:
            if value in passed:
                values[key] = passed[value]
                continue
            text = value.strip()
            if not (text.isascii() and text.isprintable()):
                problem = text_problem(text, multiline=multiline, garbled=free_text)
                if problem:
                    errors.append(RowError(number, label, problem))
                    continue
        elif value is None:
            text = ""
        elif isinstance(value, datetime.date):
            text = value.isoformat()
        else:
            text = cell_text(value)
        if not text:
            if required:
                errors.append(RowError(number, label, _("不能为空")))
            continue
        if len(text) > max_length:
            errors.append(RowError(number, label, _("长度超过%(limit)s个字符") % {"limit": max_length}))
            continue
        first = text[0]
        if first in SUSPICIOUS_STARTS and (first != "-" or not text[1:2].isdigit()):
            errors.append(RowError(number, label, _("不能以 = + - @ 开头（疑似公式）")))
            continue
        try:
            checked = check(text, value)
        except ValueError as exc:
            errors.append(RowError(number, label, str(exc)))
            continue
        values[key] = checked
        if value.__class__ is str and len(passed) < REMEMBERED:
            passed[value] = checked


# ---------------------------------------------------------------- whole sheets
def _header_map(header: list[Any], columns: Iterable[Column]) -> tuple[dict[int, Column], list[RowError]]:
    names: dict[str, Column] = {}
    for column in columns:
        for name in (column.platform, column.label, *column.aliases):
            names[name.upper()] = column
    mapping: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, cell in enumerate(header):
        text = cell_text(cell).upper()
        if not text:
            continue
        column = names.get(text)
        if column is None:
            continue  # extra columns are ignored
        if column.key in seen:
            errors.append(RowError(1, column.label, _("表头中出现了重复的列")))
            continue
        seen.add(column.key)
        mapping[index] = column
    for column in columns:
        if column.required and column.key not in seen:
            errors.append(
                RowError(
                    1,
                    column.label,
                    _("缺少必填列（可用“%(platform)s”或“%(label)s”作表头）")
                    % {"platform": column.platform, "label": column.label},
                )
            )
    return mapping, errors


def _explanation_row(cells: Iterable[Any]) -> bool:
    """Whether every filled cell of a row is an explanation in full-width brackets: （姓名，必填）."""
    texts = [cell.strip() if cell.__class__ is str else cell for cell in cells]
    filled = [t for t in texts if t not in (None, "")]
    return bool(filled) and all(
        t.__class__ is str and t.startswith("（") and t.endswith("）") for t in filled
    )


def parse_table(
    rows: Iterator[list[Any]],
    *,
    columns: tuple[Column, ...],
    check,
    formula_cells: list[tuple[int, int]] = (),
    max_rows: int = 200_000,
) -> tuple[list[SheetRow], list[RowError]]:
    """Rows with their numbers, and every error of every row."""
    header = next(rows, None)
    if header is None:
        return [], [RowError(0, "", _("文件是空的"))]
    mapping, errors = _header_map(header, columns)
    if errors:
        return [], errors
    formulas: dict[int, set[int]] = {}
    for row, col in formula_cells:
        formulas.setdefault(row, set()).add(col)
    parsed: list[SheetRow] = []
    items = list(mapping.items())
    for number, cells in enumerate(rows, start=2):
        if number - 1 > max_rows:
            errors.append(RowError(0, "", _("文件超过%(limit)s行，请分批导入") % {"limit": max_rows}))
            break
        width = len(cells)
        raw = {column.key: cells[index] for index, column in items if index < width}
        if not any(v is not None and (v.__class__ is not str or v.strip()) for v in raw.values()):
            continue  # empty rows are skipped
        if number == 2 and _explanation_row(raw.values()):
            continue  # an old template's explanation row (（考生号，必填）…) kept below the header
        if number in formulas:
            for col in sorted(formulas[number]):
                if col in mapping:
                    errors.append(RowError(number, mapping[col].label, _("单元格含公式，请粘贴为数值")))
        values, row_errors = check(raw, number)
        errors.extend(row_errors)
        parsed.append(SheetRow(number, values))
    return parsed, errors


def _repeats(rows: list[SheetRow], columns: tuple[Column, ...], unique: Sequence[str]) -> list[RowError]:
    """Values of ``unique`` columns seen twice in the file, each naming the row it repeats, in row order."""
    labels = {c.key: c.label for c in columns}
    seen: dict[str, dict[Any, int]] = {key: {} for key in unique}
    repeats = []
    for row in rows:
        for key in unique:
            value = row.values.get(key)
            if not value:
                continue
            first = seen[key].setdefault(value, row.number)
            if first != row.number:
                repeats.append(RowError(row.number, labels[key], _("与第%(row)s行重复") % {"row": first}))
    return repeats


@collector_paused()
def parse_sheet(
    content: bytes,
    file_name: str,
    *,
    columns: tuple[Column, ...],
    check: Callable[[dict[str, Any], int], tuple[dict[str, Any], list[RowError]]],
    unique: Sequence[str] = (),
) -> ParsedSheet:
    """An uploaded xlsx or DBF → rows with their numbers and every error, never touching the database.

    The rows are read in a child process within the upload limits (``read_table``), so a
    malformed file is one error about the whole file, never a crashed worker (SEC-1).
    ``check`` checks one row's cells; a value of a ``unique`` column seen twice is an error
    naming the first row.
    """
    sha = hashlib.sha256(content).hexdigest()
    try:
        with closing(read_table(content, file_name)) as table:
            rows, errors = parse_table(
                table.rows, columns=columns, check=check, formula_cells=table.formula_cells
            )
    except FileFormatError as exc:
        return ParsedSheet([], [RowError(0, "", str(exc))], sha)
    errors.extend(_repeats(rows, columns, unique))
    if not rows and not errors:
        errors.append(RowError(0, "", _("文件中没有数据行")))
    return ParsedSheet(rows, errors, sha)


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
