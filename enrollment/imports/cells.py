"""Cell checks: each cell on its own, with a reason in the active language (ENR-7, SEC-3).

The generic checks (text that hides or garbles something, formula-like text, lengths, dates,
code tables) are the sheet toolkit's (``registrar.sheets``); the columns' own checks are here.
Column names stay the file's Chinese headers; only the reasons are translated.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from enrollment.imports.columns import ADMISSION_COLUMNS, OUTCOME_NAMES, REVIEW_COLUMNS, RowError
from registrar import codes
from registrar.idcard import consistency_problems, normalize
from registrar.sheets.cells import code_table, parse_date, plain
from registrar.sheets.tables import row_checker

# ---------------------------------------------------------------- cell checks


def _program_years(text: str, value: Any = None) -> Decimal:
    try:
        years = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("学制应为数字，如4或2.5")) from exc
    if not Decimal("1") <= years <= Decimal("9") or years != years.quantize(Decimal("0.1")):
        raise ValueError(_("学制应在1到9年之间，至多一位小数"))
    return years


EXAM_NUMBER = re.compile(r"^[0-9A-Za-z]{1,20}$")


def _exam_number(text: str, value: Any) -> str:
    if not EXAM_NUMBER.match(text):
        raise ValueError(_("考生号应为不超过20位的数字或字母"))
    return text


ADMISSION_CHECKS = {
    "exam_number": _exam_number,
    "name": plain,
    "gender": code_table(codes.Gender, pgettext_lazy("code table", "性别")),
    "birth_date": lambda text, value: parse_date(value),
    "id_type": code_table(codes.IdType, pgettext_lazy("code table", "证件类型")),
    "id_number": lambda text, value: normalize(text),
    "ethnicity": code_table(codes.Ethnicity, pgettext_lazy("code table", "民族"), pad=True),
    "political_status": code_table(codes.PoliticalStatus, pgettext_lazy("code table", "政治面貌"), pad=True),
    "major_code": lambda text, value: sys.intern(text),
    "major_name": lambda text, value: sys.intern(text),
    "level": code_table(codes.Level, pgettext_lazy("code table", "层次"), pad=True),
    "program_years": _program_years,
    "study_mode": code_table(codes.StudyMode, pgettext_lazy("code table", "学习形式")),
    "entry_date": lambda text, value: parse_date(value, month_ok=True),
    "college": lambda text, value: sys.intern(text),
    "admission_type": code_table(codes.AdmissionType, pgettext_lazy("code table", "录取类型"), pad=True),
    "remark": plain,
}
ADMISSION_DEFAULTS = {
    "id_type": codes.IdType.RESIDENT_ID.value,
    "political_status": codes.PoliticalStatus.MASSES.value,
    "study_mode": codes.StudyMode.FULL_TIME.value,
    "admission_type": codes.AdmissionType.REGULAR.value,
}


# Free text where a line break inside the cell is fine.
MULTILINE_KEYS = frozenset({"remark", "reason"})
# Text stored or compared as it is: checked for mojibake too. Every other column has a strict
# check of its own (codes, numbers, dates) that garbled text cannot pass.
FREE_TEXT_KEYS = frozenset({"name", "remark", "reason", "major_name", "college"})


CHECK_ADMISSION_ROW = row_checker(
    ADMISSION_COLUMNS, ADMISSION_CHECKS, multiline=MULTILINE_KEYS, free_text=FREE_TEXT_KEYS
)
# Field key → the file's header, for errors found by checks across cells.
ADMISSION_LABELS = {c.key: c.label for c in ADMISSION_COLUMNS}


def check_admission_cells(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
    """Check one admission row's cells on their own; the values keep their codes and dates (ENR-7)."""
    values, errors = CHECK_ADMISSION_ROW(raw, number)
    for key, default in ADMISSION_DEFAULTS.items():
        values.setdefault(key, default)
    if values.get("id_number") and values["id_type"] == "1":
        # The column comes from the field each problem is about, never from the (translated) reason.
        for field_key, reason in consistency_problems(
            values["id_number"], values.get("birth_date"), values.get("gender")
        ):
            errors.append(RowError(number, ADMISSION_LABELS[field_key], reason))
    return values, errors


def _outcome(text: str, value: Any) -> str:
    outcome = OUTCOME_NAMES.get(text) or (text if text in OUTCOME_NAMES.values() else None)
    if outcome is None:
        raise ValueError(_("应为报到入学、放弃入学资格、保留入学资格或取消入学资格"))
    return outcome


REVIEW_CHECKS = {
    "exam_number": _exam_number,
    "outcome": _outcome,
    "deferral_end": lambda text, value: parse_date(value),
}
check_review_cells = row_checker(
    REVIEW_COLUMNS, REVIEW_CHECKS, multiline=MULTILINE_KEYS, free_text=FREE_TEXT_KEYS
)
check_review_cells.__doc__ = """Check one review-result row: 考生号, 审查结论, 保留截止日期, 原因 (ENR-3)."""
