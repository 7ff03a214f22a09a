"""Freshman registration's sheets: the admission file and the review sheet (ENR-1, ENR-2, ENR-3, ENR-7).

Reading, headers, row numbers and duplicates inside a file are the sheet toolkit's
(``registrar.sheets.tables.parse_sheet``); the columns and cell checks are here.
"""

from __future__ import annotations

from enrollment.imports.cells import check_admission_cells, check_review_cells
from enrollment.imports.columns import ADMISSION_COLUMNS, REVIEW_COLUMNS, ParsedSheet
from registrar.sheets.tables import parse_sheet


def parse_admissions(content: bytes, file_name: str) -> ParsedSheet:
    """录取数据文件 → rows and errors (ENR-1, ENR-7). A 考生号 or 证件号码 twice in the file is an error too."""
    return parse_sheet(
        content,
        file_name,
        columns=ADMISSION_COLUMNS,
        check=check_admission_cells,
        unique=("exam_number", "id_number"),
    )


def parse_review_results(content: bytes, file_name: str) -> ParsedSheet:
    """审查结果表 → rows and errors (ENR-2, ENR-3)."""
    return parse_sheet(
        content, file_name, columns=REVIEW_COLUMNS, check=check_review_cells, unique=("exam_number",)
    )
