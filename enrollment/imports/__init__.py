"""Reading admission data and review sheets: xlsx and the platform's DBF (GBK).

The files are read by the shared, bounded and isolated readers of ``registrar.sheets``.
Parsing turns a file into ``SheetRow`` objects that keep their row number and
checks each cell on its own (required, dates, codes, id numbers). It never
touches the database: checks that need it (majors, ENR-6, ENR-9) are in
``enrollment.services``.
"""

from enrollment.imports.cells import check_admission_cells, check_review_cells
from enrollment.imports.columns import (
    ADMISSION_COLUMNS,
    OUTCOME_NAMES,
    REVIEW_COLUMNS,
    Column,
    ParsedSheet,
    RowError,
    SheetRow,
)
from enrollment.imports.sheets import parse_admissions, parse_review_results
from registrar.sheets.cells import parse_date
from registrar.sheets.errors import FileFormatError
from registrar.sheets.readers import read_dbf

__all__ = [
    "ADMISSION_COLUMNS",
    "OUTCOME_NAMES",
    "REVIEW_COLUMNS",
    "Column",
    "FileFormatError",
    "ParsedSheet",
    "RowError",
    "SheetRow",
    "check_admission_cells",
    "check_review_cells",
    "parse_admissions",
    "parse_date",
    "parse_review_results",
    "read_dbf",
]
