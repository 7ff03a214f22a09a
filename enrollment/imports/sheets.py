"""Whole sheets: headers, rows with their numbers, duplicates inside the file.

The rows come from ``registrar.sheets.read_table``: read in a child process, within the upload
limits, so a malformed file is a ``FileFormatError`` with a reason, never a crashed worker (SEC-1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from typing import Any

from django.utils.translation import gettext as _

from enrollment.imports.cells import check_admission_cells, check_review_cells
from enrollment.imports.columns import (
    ADMISSION_COLUMNS,
    REVIEW_COLUMNS,
    Column,
    ParsedSheet,
    RowError,
    SheetRow,
)
from registrar.sheets.cells import cell_text
from registrar.sheets.errors import FileFormatError
from registrar.sheets.isolation import read_table
from registrar.sql import collector_paused

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
        if number in formulas:
            for col in sorted(formulas[number]):
                if col in mapping:
                    errors.append(RowError(number, mapping[col].label, _("单元格含公式，请粘贴为数值")))
        values, row_errors = check(raw, number)
        errors.extend(row_errors)
        parsed.append(SheetRow(number, values))
    return parsed, errors


@collector_paused()
def parse_admissions(content: bytes, file_name: str) -> ParsedSheet:
    """录取数据文件 → rows and errors (ENR-1, ENR-7). Duplicates inside the file are errors too."""
    sha = hashlib.sha256(content).hexdigest()
    try:
        with closing(read_table(content, file_name)) as table:
            rows, errors = parse_table(
                table.rows,
                columns=ADMISSION_COLUMNS,
                check=check_admission_cells,
                formula_cells=table.formula_cells,
            )
    except FileFormatError as exc:
        return ParsedSheet([], [RowError(0, "", str(exc))], sha)
    seen_exam: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    for row in rows:
        exam, id_number = row.values.get("exam_number"), row.values.get("id_number")
        if exam:
            if exam in seen_exam:
                errors.append(
                    RowError(row.number, "考生号", _("与第%(row)s行重复") % {"row": seen_exam[exam]})
                )
            else:
                seen_exam[exam] = row.number
        if id_number:
            if id_number in seen_id:
                errors.append(
                    RowError(row.number, "证件号码", _("与第%(row)s行重复") % {"row": seen_id[id_number]})
                )
            else:
                seen_id[id_number] = row.number
    if not rows and not errors:
        errors.append(RowError(0, "", _("文件中没有数据行")))
    return ParsedSheet(rows, errors, sha)


def parse_review_results(content: bytes, file_name: str) -> ParsedSheet:
    """审查结果表 → rows and errors (ENR-2, ENR-3)."""
    sha = hashlib.sha256(content).hexdigest()
    try:
        with closing(read_table(content, file_name)) as table:
            rows, errors = parse_table(
                table.rows,
                columns=REVIEW_COLUMNS,
                check=check_review_cells,
                formula_cells=table.formula_cells,
            )
    except FileFormatError as exc:
        return ParsedSheet([], [RowError(0, "", str(exc))], sha)
    seen: dict[str, int] = {}
    for row in rows:
        exam = row.values.get("exam_number")
        if exam in seen:
            errors.append(RowError(row.number, "考生号", _("与第%(row)s行重复") % {"row": seen[exam]}))
        elif exam:
            seen[exam] = row.number
    if not rows and not errors:
        errors.append(RowError(0, "", _("文件中没有数据行")))
    return ParsedSheet(rows, errors, sha)
