"""Reading admission data and review sheets: xlsx (python-calamine) and the platform's DBF (GBK).

Parsing turns a file into ``SheetRow`` objects that keep their row number and
checks each cell on its own (required, dates, codes, id numbers). It never
touches the database: checks that need it (majors, ENR-6, ENR-9) are in
``enrollment.services``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import re
import struct
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from python_calamine import CalamineWorkbook

from registrar import codes
from registrar.idcard import consistency_errors, normalize


@dataclass(frozen=True)
class Column:
    key: str  # attribute on the row
    platform: str  # the national platform's column name
    label: str  # the Chinese header
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 50


ADMISSION_COLUMNS: tuple[Column, ...] = (
    Column("exam_number", "KSH", "考生号", required=True, max_length=20),
    Column("name", "XM", "姓名", required=True, max_length=50),
    Column("gender", "XB", "性别", required=True),
    Column("birth_date", "CSRQ", "出生日期", required=True),
    Column("id_type", "ZJLX", "证件类型"),
    Column(
        "id_number",
        "ZJHM",
        "证件号码",
        aliases=("SFZH", "身份证号", "身份证号码"),
        required=True,
        max_length=30,
    ),
    Column("ethnicity", "MZ", "民族", required=True),
    Column("political_status", "ZZMM", "政治面貌"),
    Column("major_code", "ZYDM", "专业代码", required=True, max_length=20),
    Column("major_name", "ZYMC", "专业名称", max_length=100),
    Column("level", "CC", "层次", required=True),
    Column("program_years", "XZ", "学制"),
    Column("study_mode", "XXXS", "学习形式"),
    Column("entry_date", "RXRQ", "入学日期", aliases=("入学年月",), required=True),
    Column("college", "FY", "院系", aliases=("分院", "学院"), max_length=100),
    Column("admission_type", "LQLX", "录取类型", max_length=20),
    Column("remark", "BZ", "备注", max_length=200),
)

REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("exam_number", "KSH", "考生号", required=True, max_length=20),
    Column("name", "XM", "姓名", max_length=50),
    Column("outcome", "SCJL", "审查结论", aliases=("结论",), required=True, max_length=20),
    Column("deferral_end", "BLJZRQ", "保留截止日期", aliases=("保留入学资格截止日期",)),
    Column("reason", "YY", "原因", aliases=("说明",), max_length=200),
)

OUTCOME_NAMES = {
    "报到入学": "passed",
    "通过": "passed",
    "合格": "passed",
    "放弃入学资格": "forfeited",
    "放弃": "forfeited",
    "保留入学资格": "deferred",
    "保留": "deferred",
    "取消入学资格": "cancelled",
    "取消": "cancelled",
}


@dataclass(frozen=True)
class RowError:
    """One problem: 第N行 列名：原因. Row 0 is about the whole file (e.g. its headers)."""

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


class FileFormatError(Exception):
    """The file cannot be read at all; the message is in Chinese."""


# ---------------------------------------------------------------- raw tables


def _formula_cells(content: bytes) -> list[tuple[int, int]]:
    """(row, column index) of cells holding a formula, found in the sheet XML without a full parse."""
    found = []
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if not name.startswith("xl/worksheets/sheet"):
                    continue
                data = archive.read(name)
                if b"<f" not in data:
                    continue
                for match in re.finditer(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<f[ >/]', data):
                    letters, row = match.group(1).decode(), int(match.group(2))
                    index = 0
                    for ch in letters:
                        index = index * 26 + ord(ch) - 64
                    found.append((row, index - 1))
                break  # the first sheet only
    except (zipfile.BadZipFile, KeyError):
        return []
    return found


def read_xlsx(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows as python values, streamed by python-calamine, numbered from A1."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        start = sheet.start or (0, 0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every malformed file
        raise FileFormatError("无法读取该文件，请上传 xlsx 格式的表格") from exc

    def stream() -> Iterator[list[Any]]:
        for _ in range(start[0]):
            yield []
        pad = [None] * start[1]
        try:
            for row in rows:
                yield pad + row if pad else row
        except Exception as exc:  # a sheet that breaks half-way is unreadable as a whole
            raise FileFormatError("无法读取该文件，请上传 xlsx 格式的表格") from exc

    return stream()


def read_dbf(content: bytes, encoding: str = "gbk") -> Iterator[list[Any]]:
    """A dBase III table (the platform's exchange format): header names first, then text values."""
    if len(content) < 33:
        raise FileFormatError("DBF 文件不完整")
    count, header_length, record_length = struct.unpack("<IHH", content[4:12])
    fields: list[tuple[str, int]] = []
    position = 32
    while position < header_length - 1 and content[position] != 0x0D:
        descriptor = content[position : position + 32]
        if len(descriptor) < 32:
            raise FileFormatError("DBF 文件头损坏")
        name = descriptor[:11].split(b"\x00", 1)[0].decode("ascii", "replace").strip().upper()
        fields.append((name, descriptor[16]))
        position += 32
    if not fields or record_length <= 1:
        raise FileFormatError("DBF 文件没有字段")

    def rows() -> Iterator[list[Any]]:
        yield [name for name, _ in fields]
        offset = header_length
        for _ in range(count):
            record = content[offset : offset + record_length]
            offset += record_length
            if len(record) < record_length:
                break
            if record[:1] == b"*":  # deleted
                yield []
                continue
            values = []
            cursor = 1
            for _, width in fields:
                raw = record[cursor : cursor + width]
                cursor += width
                try:
                    values.append(raw.decode(encoding).strip())
                except UnicodeDecodeError:
                    values.append(raw.decode(encoding, "replace").strip())
            yield values

    return rows()


# ---------------------------------------------------------------- cell checks


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


DATE_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
)
MONTH_PATTERNS = (re.compile(r"^(\d{4})(\d{2})$"), re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"))


def parse_date(value: Any, *, month_ok: bool = False) -> datetime.date:
    """A date cell: an Excel date, YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD, or (when ``month_ok``) YYYYMM."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _date_from_text(_text(value), month_ok)


@functools.lru_cache(maxsize=8192)
def _date_from_text(text: str, month_ok: bool) -> datetime.date:
    """Dates repeat across a sheet (birthdays, the entry date): each distinct text is parsed once."""
    if len(text) == 8 and text.isdigit():
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    else:
        for pattern in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                year, month, day = (int(g) for g in match.groups())
                break
        else:
            match = None
            if month_ok:
                for pattern in MONTH_PATTERNS:
                    match = pattern.match(text)
                    if match:
                        break
            if not match:
                raise ValueError("日期格式应为YYYYMMDD或YYYY-MM-DD")
            year, month, day = int(match.group(1)), int(match.group(2)), 1
    if not 1900 <= year <= 2100:
        raise ValueError("日期超出合理范围")
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError("日期不存在") from exc


def _code_table(choices, label: str, pad: bool = False):
    """A checker that accepts a code or its Chinese name; one dict lookup per cell."""
    table = {code: code for code in choices.values}
    table.update({str(name): code for code, name in choices.choices})
    if pad:
        table.update({code.lstrip("0"): code for code in choices.values if code.lstrip("0")})

    def check(text: str, value: Any) -> str:
        code = table.get(text)
        if code is None:
            raise ValueError(f"“{text[:20]}”不是有效的{label}代码或名称")
        return code

    return check


def _program_years(text: str, value: Any = None) -> Decimal:
    try:
        years = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("学制应为数字，如4或2.5") from exc
    if not Decimal("1") <= years <= Decimal("9") or years != years.quantize(Decimal("0.1")):
        raise ValueError("学制应在1到9年之间，至多一位小数")
    return years


EXAM_NUMBER = re.compile(r"^[0-9A-Za-z]{1,20}$")


def _exam_number(text: str, value: Any) -> str:
    if not EXAM_NUMBER.match(text):
        raise ValueError("考生号应为不超过20位的数字或字母")
    return text


def _plain(text: str, value: Any) -> str:
    return text


ADMISSION_CHECKS = {
    "exam_number": _exam_number,
    "name": _plain,
    "gender": _code_table(codes.Gender, "性别"),
    "birth_date": lambda text, value: parse_date(value),
    "id_type": _code_table(codes.IdType, "证件类型"),
    "id_number": lambda text, value: normalize(text),
    "ethnicity": _code_table(codes.Ethnicity, "民族", pad=True),
    "political_status": _code_table(codes.PoliticalStatus, "政治面貌", pad=True),
    "major_code": lambda text, value: sys.intern(text),
    "major_name": lambda text, value: sys.intern(text),
    "level": _code_table(codes.Level, "层次", pad=True),
    "program_years": _program_years,
    "study_mode": _code_table(codes.StudyMode, "学习形式"),
    "entry_date": lambda text, value: parse_date(value, month_ok=True),
    "college": lambda text, value: sys.intern(text),
    "admission_type": _code_table(codes.AdmissionType, "录取类型", pad=True),
    "remark": _plain,
}
ADMISSION_DEFAULTS = {
    "id_type": codes.IdType.RESIDENT_ID.value,
    "political_status": codes.PoliticalStatus.MASSES.value,
    "study_mode": codes.StudyMode.FULL_TIME.value,
    "admission_type": codes.AdmissionType.REGULAR.value,
}


SUSPICIOUS_STARTS = frozenset("=+@-\t\r")


def _plan(columns: tuple[Column, ...], checks: dict) -> tuple[tuple, ...]:
    return tuple((c.key, c.label, c.required, c.max_length, checks.get(c.key, _plain)) for c in columns)


def _cell_errors(plan: tuple[tuple, ...], raw: dict, number: int, values: dict, errors: list) -> None:
    """Check each cell of one row: required, length, formula-like text, then the column's own check."""
    get = raw.get
    for key, label, required, max_length, check in plan:
        value = get(key)
        if value.__class__ is str:
            text = value.strip()
        elif value is None:
            text = ""
        elif isinstance(value, datetime.date):
            text = value.isoformat()
        else:
            text = _text(value)
        if not text:
            if required:
                errors.append(RowError(number, label, "不能为空"))
            continue
        if len(text) > max_length:
            errors.append(RowError(number, label, f"长度超过{max_length}个字符"))
            continue
        first = text[0]
        if first in SUSPICIOUS_STARTS and (first != "-" or not text[1:2].isdigit()):
            errors.append(RowError(number, label, "不能以 = + - @ 开头（疑似公式）"))
            continue
        try:
            values[key] = check(text, value)
        except ValueError as exc:
            errors.append(RowError(number, label, str(exc)))


ADMISSION_PLAN = _plan(ADMISSION_COLUMNS, ADMISSION_CHECKS)


def check_admission_cells(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
    """Check one admission row's cells on their own; the values keep their codes and dates (ENR-7)."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    _cell_errors(ADMISSION_PLAN, raw, number, values, errors)
    for key, default in ADMISSION_DEFAULTS.items():
        values.setdefault(key, default)
    if values.get("id_number") and values["id_type"] == "1":
        for reason in consistency_errors(values["id_number"], values.get("birth_date"), values.get("gender")):
            column = (
                "出生日期"
                if reason.startswith("出生日期")
                else "性别"
                if reason.startswith("性别")
                else "证件号码"
            )
            errors.append(RowError(number, column, reason))
    return values, errors


def check_review_cells(raw: dict[str, Any], number: int) -> tuple[dict[str, Any], list[RowError]]:
    """Check one review-result row: 考生号, 审查结论, 保留截止日期, 原因."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    labels = {c.key: c.label for c in REVIEW_COLUMNS}
    for column in REVIEW_COLUMNS:
        value = raw.get(column.key)
        text = _text(value) if not isinstance(value, datetime.date) else value
        if text in ("", None):
            if column.required:
                errors.append(RowError(number, labels[column.key], "不能为空"))
            continue
        if isinstance(text, str):
            if len(text) > column.max_length:
                errors.append(RowError(number, labels[column.key], f"长度超过{column.max_length}个字符"))
                continue
            if text[0] in "=+@":
                errors.append(RowError(number, labels[column.key], "不能以 = + @ 开头（疑似公式）"))
                continue
        if column.key == "outcome":
            outcome = OUTCOME_NAMES.get(text) or (text if text in OUTCOME_NAMES.values() else None)
            if outcome is None:
                errors.append(
                    RowError(
                        number, labels["outcome"], "应为报到入学、放弃入学资格、保留入学资格或取消入学资格"
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
        text = _text(cell).upper()
        if not text:
            continue
        column = names.get(text)
        if column is None:
            continue  # extra columns are ignored
        if column.key in seen:
            errors.append(RowError(1, column.label, "表头中出现了重复的列"))
            continue
        seen.add(column.key)
        mapping[index] = column
    for column in columns:
        if column.required and column.key not in seen:
            errors.append(
                RowError(1, column.label, f"缺少必填列（可用“{column.platform}”或“{column.label}”作表头）")
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
        return [], [RowError(0, "", "文件是空的")]
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
            errors.append(RowError(0, "", f"文件超过{max_rows}行，请分批导入"))
            break
        width = len(cells)
        raw = {column.key: cells[index] for index, column in items if index < width}
        if not any(v is not None and (v.__class__ is not str or v.strip()) for v in raw.values()):
            continue  # empty rows are skipped
        if number in formulas:
            for col in sorted(formulas[number]):
                if col in mapping:
                    errors.append(RowError(number, mapping[col].label, "单元格含公式，请粘贴为数值"))
        values, row_errors = check(raw, number)
        errors.extend(row_errors)
        parsed.append(SheetRow(number, values))
    return parsed, errors


def _read(content: bytes, file_name: str) -> tuple[Iterator[list[Any]], list[tuple[int, int]]]:
    lower = file_name.lower()
    if lower.endswith(".dbf"):
        return read_dbf(content), []
    if lower.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return read_xlsx(content), _formula_cells(content)
    raise FileFormatError("只接受 xlsx 或 DBF 文件")


def parse_admissions(content: bytes, file_name: str) -> ParsedSheet:
    """录取数据文件 → rows and errors (ENR-1, ENR-7). Duplicates inside the file are errors too."""
    sha = hashlib.sha256(content).hexdigest()
    try:
        table, formulas = _read(content, file_name)
        rows, errors = parse_table(
            table, columns=ADMISSION_COLUMNS, check=check_admission_cells, formula_cells=formulas
        )
    except FileFormatError as exc:
        return ParsedSheet([], [RowError(0, "", str(exc))], sha)
    seen_exam: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    for row in rows:
        exam, id_number = row.values.get("exam_number"), row.values.get("id_number")
        if exam:
            if exam in seen_exam:
                errors.append(RowError(row.number, "考生号", f"与第{seen_exam[exam]}行重复"))
            else:
                seen_exam[exam] = row.number
        if id_number:
            if id_number in seen_id:
                errors.append(RowError(row.number, "证件号码", f"与第{seen_id[id_number]}行重复"))
            else:
                seen_id[id_number] = row.number
    if not rows and not errors:
        errors.append(RowError(0, "", "文件中没有数据行"))
    return ParsedSheet(rows, errors, sha)


def parse_review_results(content: bytes, file_name: str) -> ParsedSheet:
    """审查结果表 → rows and errors (ENR-2, ENR-3)."""
    sha = hashlib.sha256(content).hexdigest()
    try:
        table, formulas = _read(content, file_name)
        rows, errors = parse_table(
            table, columns=REVIEW_COLUMNS, check=check_review_cells, formula_cells=formulas
        )
    except FileFormatError as exc:
        return ParsedSheet([], [RowError(0, "", str(exc))], sha)
    seen: dict[str, int] = {}
    for row in rows:
        exam = row.values.get("exam_number")
        if exam in seen:
            errors.append(RowError(row.number, "考生号", f"与第{seen[exam]}行重复"))
        elif exam:
            seen[exam] = row.number
    if not rows and not errors:
        errors.append(RowError(0, "", "文件中没有数据行"))
    return ParsedSheet(rows, errors, sha)


def raw_rows(content: bytes, file_name: str, limit: int = 200_000) -> list[list[Any]]:
    """The file's rows as text, for the error sheet that repeats them with their errors."""
    try:
        table, _ = _read(content, file_name)
    except FileFormatError:
        return []
    rows = []
    for index, row in enumerate(table):
        if index > limit:
            break
        rows.append([_text(v) if not isinstance(v, datetime.date) else v.isoformat() for v in row])
    return rows
