"""Cell checks: each cell on its own, with a reason in the active language (ENR-7, SEC-3).

The generic checks (text that hides or garbles something, dates) are the shared ones in
``registrar.sheets.cells``; the columns' own checks (codes, id numbers) are here. Column names
stay the file's Chinese headers; only the reasons are translated.
"""

from __future__ import annotations

import datetime
import re
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from enrollment.imports.columns import ADMISSION_COLUMNS, OUTCOME_NAMES, REVIEW_COLUMNS, Column, RowError
from registrar import codes
from registrar.idcard import consistency_problems, normalize
from registrar.sheets.cells import cell_text, parse_date, text_problem

# ---------------------------------------------------------------- cell checks


def _code_table(choices, label: str, pad: bool = False):
    """A checker that accepts a code or its Chinese name; one dict lookup per cell.

    ``label`` names the code table in messages (lazy: read in the active language).
    """
    table = {code: code for code in choices.values}
    # The names in uploaded files are Chinese whatever the page's language (labels are lazy).
    table.update(codes.codes_by_chinese_name(choices))
    if pad:
        table.update({code.lstrip("0"): code for code in choices.values if code.lstrip("0")})

    def check(text: str, value: Any) -> str:
        code = table.get(text)
        if code is None:
            raise ValueError(
                _("“%(value)s”不是有效的%(table)s代码或名称") % {"value": text[:20], "table": label}
            )
        return code

    return check


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


def _plain(text: str, value: Any) -> str:
    return text


ADMISSION_CHECKS = {
    "exam_number": _exam_number,
    "name": _plain,
    "gender": _code_table(codes.Gender, pgettext_lazy("code table", "性别")),
    "birth_date": lambda text, value: parse_date(value),
    "id_type": _code_table(codes.IdType, pgettext_lazy("code table", "证件类型")),
    "id_number": lambda text, value: normalize(text),
    "ethnicity": _code_table(codes.Ethnicity, pgettext_lazy("code table", "民族"), pad=True),
    "political_status": _code_table(codes.PoliticalStatus, pgettext_lazy("code table", "政治面貌"), pad=True),
    "major_code": lambda text, value: sys.intern(text),
    "major_name": lambda text, value: sys.intern(text),
    "level": _code_table(codes.Level, pgettext_lazy("code table", "层次"), pad=True),
    "program_years": _program_years,
    "study_mode": _code_table(codes.StudyMode, pgettext_lazy("code table", "学习形式")),
    "entry_date": lambda text, value: parse_date(value, month_ok=True),
    "college": lambda text, value: sys.intern(text),
    "admission_type": _code_table(codes.AdmissionType, pgettext_lazy("code table", "录取类型"), pad=True),
    "remark": _plain,
}
ADMISSION_DEFAULTS = {
    "id_type": codes.IdType.RESIDENT_ID.value,
    "political_status": codes.PoliticalStatus.MASSES.value,
    "study_mode": codes.StudyMode.FULL_TIME.value,
    "admission_type": codes.AdmissionType.REGULAR.value,
}


SUSPICIOUS_STARTS = frozenset("=+@-\t\r")
# Free text where a line break inside the cell is fine.
MULTILINE_KEYS = frozenset({"remark", "reason"})
# Text stored or compared as it is: checked for mojibake too. Every other column has a strict
# check of its own (codes, numbers, dates) that garbled text cannot pass.
FREE_TEXT_KEYS = frozenset({"name", "remark", "reason", "major_name", "college"})


def _plan(columns: tuple[Column, ...], checks: dict) -> tuple[tuple, ...]:
    return tuple(
        (
            c.key,
            c.label,
            c.required,
            c.max_length,
            checks.get(c.key, _plain),
            c.key in MULTILINE_KEYS,
            c.key in FREE_TEXT_KEYS,
        )
        for c in columns
    )


def _cell_errors(plan: tuple[tuple, ...], raw: dict, number: int, values: dict, errors: list) -> None:
    """Check each cell of one row: required, length, hidden or garbled text, formula-like text,
    then the column's own check."""
    get = raw.get
    for key, label, required, max_length, check, multiline, free_text in plan:
        value = get(key)
        if value.__class__ is str:
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
            values[key] = check(text, value)
        except ValueError as exc:
            errors.append(RowError(number, label, str(exc)))


ADMISSION_PLAN = _plan(ADMISSION_COLUMNS, ADMISSION_CHECKS)
# Field key → the file's header, for errors found by checks across cells.
ADMISSION_LABELS = {c.key: c.label for c in ADMISSION_COLUMNS}


def check_admission_cells(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
    """Check one admission row's cells on their own; the values keep their codes and dates (ENR-7)."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    _cell_errors(ADMISSION_PLAN, raw, number, values, errors)
    for key, default in ADMISSION_DEFAULTS.items():
        values.setdefault(key, default)
    if values.get("id_number") and values["id_type"] == "1":
        # The column comes from the field each problem is about, never from the (translated) reason.
        for field_key, reason in consistency_problems(
            values["id_number"], values.get("birth_date"), values.get("gender")
        ):
            errors.append(RowError(number, ADMISSION_LABELS[field_key], reason))
    return values, errors


def check_review_cells(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
    """Check one review-result row: 考生号, 审查结论, 保留截止日期, 原因."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    labels = {c.key: c.label for c in REVIEW_COLUMNS}
    for column in REVIEW_COLUMNS:
        value = raw.get(column.key)
        text = cell_text(value) if not isinstance(value, datetime.date) else value
        if text in ("", None):
            if column.required:
                errors.append(RowError(number, labels[column.key], _("不能为空")))
            continue
        if isinstance(text, str):
            problem = text_problem(
                text, multiline=column.key in MULTILINE_KEYS, garbled=column.key in FREE_TEXT_KEYS
            )
            if problem:
                errors.append(RowError(number, labels[column.key], problem))
                continue
            if len(text) > column.max_length:
                errors.append(
                    RowError(
                        number,
                        labels[column.key],
                        _("长度超过%(limit)s个字符") % {"limit": column.max_length},
                    )
                )
                continue
            if text[0] in "=+@":
                errors.append(RowError(number, labels[column.key], _("不能以 = + @ 开头（疑似公式）")))
                continue
        if column.key == "outcome":
            outcome = OUTCOME_NAMES.get(text) or (text if text in OUTCOME_NAMES.values() else None)
            if outcome is None:
                errors.append(
                    RowError(
                        number,
                        labels["outcome"],
                        _("应为报到入学、放弃入学资格、保留入学资格或取消入学资格"),
                    )
                )
            else:
                values["outcome"] = outcome
        elif column.key == "deferral_end":
            try:
                values["deferral_end"] = parse_date(value)
            except ValueError as exc:
                errors.append(RowError(number, labels["deferral_end"], str(exc)))
        else:
            values[column.key] = text
    return values, errors
