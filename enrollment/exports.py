"""Files out: the platform's registration file (xlsx, DBF), statistics (ENR-12), templates, error sheets.

Workbooks are write-only (streamed), and every text cell that a spreadsheet
would read as a formula is escaped. Sheet titles and our own headers follow the
active language; the platform's column names, the Chinese headers the import
reads back and the coded values stay as they are.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import dbf
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.imports import ADMISSION_COLUMNS, REVIEW_COLUMNS, RowError
from registrar import codes
from registrar.idcard import mask
from registrar.sheets.writers import escape, xlsx

# The platform's registration file: column name, Chinese header, DBF width.
REGISTRATION_LAYOUT = (
    ("KSH", "考生号", 20),
    ("XH", "学号", 20),
    ("XM", "姓名", 50),
    ("XB", "性别", 10),
    ("CSRQ", "出生日期", 8),
    ("ZJLX", "证件类型", 20),
    ("ZJHM", "证件号码", 30),
    ("ZZMM", "政治面貌", 20),
    ("MZ", "民族", 20),
    ("ZYDM", "专业代码", 20),
    ("ZYMC", "专业名称", 60),
    ("FY", "院系", 60),
    ("XSH", "院系代码", 20),
    ("BH", "班号", 50),
    ("CC", "层次", 20),
    ("XXXS", "学习形式", 20),
    ("XZ", "学制", 4),
    ("RXRQ", "入学日期", 8),
    ("YJBYRQ", "预计毕业日期", 8),
    ("LQLX", "录取类型", 30),
    ("BZ", "备注", 100),
)


def registration_row(record, *, full_id_number: bool = True) -> list[str]:
    """One record in the platform's layout, coded values by their Chinese names whatever the active language.

    ``full_id_number=False`` masks the 证件号码 (SEC-2): the file to upload is the registrar's;
    other staff get a copy to check their colleges' data.
    """
    student = record.student
    return [
        record.exam_number,
        student.student_number if student else "",
        record.name,
        codes.chinese_label_of(codes.Gender, record.gender),
        f"{record.birth_date:%Y%m%d}",
        codes.chinese_label_of(codes.IdType, record.id_type),
        record.id_number if full_id_number else mask(record.id_number),
        codes.chinese_label_of(codes.PoliticalStatus, record.political_status),
        codes.chinese_label_of(codes.Ethnicity, record.ethnicity),
        record.major.code,
        record.major.name,
        record.college.name,
        record.college.code,
        student.class_name if student else "",
        codes.chinese_label_of(codes.Level, record.level),
        codes.chinese_label_of(codes.StudyMode, record.study_mode),
        f"{record.program_years.normalize():f}",
        f"{record.entry_date:%Y%m%d}",
        f"{student.expected_graduation_date:%Y%m%d}" if student and student.expected_graduation_date else "",
        codes.chinese_label_of(codes.AdmissionType, record.admission_type),
        record.remark,
    ]


def registration_xlsx(records: Iterable, *, full_id_number: bool = True) -> bytes:
    """学籍注册上报文件 (xlsx): the platform's column names as the header; UTF-8, so every character stays."""
    return xlsx(
        [name for name, _label, _width in REGISTRATION_LAYOUT],
        (registration_row(r, full_id_number=full_id_number) for r in records),
        "学籍注册",
    )


# ---------------------------------------------------------------- GBK: rare characters in the DBF file

# The DBF file is GBK (cp936); a character it lacks (such as 𠮷 in 王𠮷) is either replaced by
# GBK_REPLACEMENT or its row held back. The registrar chooses; the file is never refused for it.
GBK_REPLACEMENT = "?"


class RareCharacters(models.TextChoices):
    """What the DBF file does with a row holding characters GBK lacks (the registrar's choice)."""

    REPLACE = "replace", gettext_lazy("以“?”代替这些字符，照常导出")
    HOLD = "hold", gettext_lazy("暂不导出这些学生，其余照常导出")


@dataclass(frozen=True)
class GbkProblem:
    """One value of the registration file that GBK cannot hold: whose, which column, which characters."""

    exam_number: str
    name: str
    column: str
    characters: str

    @property
    def code_points(self) -> str:
        """The characters by their Unicode code points, for a screen whose font lacks them."""
        return " ".join(f"U+{ord(char):04X}" for char in self.characters)


def gbk_missing(text: str) -> str:
    """The characters of ``text`` that GBK cannot encode, each once, in order."""
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        pass
    else:
        return ""
    missing = ""
    for char in text:
        if char not in missing:
            try:
                char.encode("gbk")
            except UnicodeEncodeError:
                missing += char
    return missing


def _row_problems(row: Sequence[str]) -> list[GbkProblem]:
    problems = []
    for value, (_name, label, _width) in zip(row, REGISTRATION_LAYOUT, strict=True):
        missing = gbk_missing(value or "")
        if missing:
            problems.append(GbkProblem(row[0], row[2], label, missing))
    return problems


def gbk_problems(records: Iterable) -> list[GbkProblem]:
    """Every value of these records the DBF file cannot hold as it is (ENR-12's platform file)."""
    return [problem for record in records for problem in _row_problems(registration_row(record))]


def registration_dbf(
    records: Iterable, *, rare: RareCharacters = RareCharacters.REPLACE, full_id_number: bool = True
) -> bytes:
    """学籍注册上报文件 (DBF, GBK): fixed column names and widths; never fails on a character.

    A row with characters GBK lacks is written with ``GBK_REPLACEMENT`` in their place, or
    left out (``RareCharacters.HOLD``); ``gbk_problems`` names those rows for the registrar.
    """
    spec = "; ".join(f"{name} C({width})" for name, _label, width in REGISTRATION_LAYOUT)
    handle, path = tempfile.mkstemp(suffix=".dbf")
    os.close(handle)
    try:
        table = dbf.Table(path, spec, codepage="cp936", dbf_type="db3")
        table.open(dbf.READ_WRITE)
        try:
            for record in records:
                row = registration_row(record, full_id_number=full_id_number)
                if rare == RareCharacters.HOLD and _row_problems(row):
                    continue
                table.append(
                    tuple(
                        _fit(value, width)
                        for value, (_name, _label, width) in zip(row, REGISTRATION_LAYOUT, strict=True)
                    )
                )
        finally:
            table.close()
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def _fit(value: str, width: int) -> str:
    """GBK-only text cut to the DBF width counted in GBK bytes, never inside a character."""
    text = escape(value or "")
    for char in gbk_missing(text):
        text = text.replace(char, GBK_REPLACEMENT)
    while len(text.encode("gbk")) > width:
        text = text[:-1]
    return text


def statistics_xlsx(rows: Iterable[Sequence[Any]], states: Sequence[tuple[str, str]]) -> bytes:
    """新生注册情况统计表 (ENR-12): by college and major, a column per outcome."""
    header = [
        _("院系"),
        _("专业代码"),
        _("专业名称"),
        _("层次"),
        *[str(label) for _key, label in states],
        _("合计"),
    ]
    return xlsx(header, rows, _("新生注册统计"))


def admission_template() -> bytes:
    """录取数据导入模板: the platform's column names, with one example row."""
    header = [c.platform for c in ADMISSION_COLUMNS]
    example = [
        "26110101000001",
        "张三",
        "男",
        "20070501",
        "居民身份证",
        "11010120070501001X",
        "汉族",
        "共青团员",
        "080901",
        "计算机科学与技术",
        "本科",
        "4",
        "普通全日制",
        "20260907",
        "计算机学院",
        "普通",
        "",
    ]
    notes = [
        (_("（%(label)s，必填）") if c.required else _("（%(label)s）")) % {"label": c.label}
        for c in ADMISSION_COLUMNS
    ]
    return xlsx(header, [notes, example], _("录取数据"))


def review_template(records: Iterable = ()) -> bytes:
    """审查结果模板, prefilled with the college's freshmen when given.

    The headers and the 审查结论 are what the upload reads back, so they stay Chinese.
    """
    header = [c.label for c in REVIEW_COLUMNS]
    return xlsx(header, ([r.exam_number, r.name, "报到入学", "", ""] for r in records), _("审查结果"))


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


def password_sheet(rows: Iterable[tuple[str, str, str]]) -> bytes:
    """初始密码单 for the college to hand out."""
    return xlsx([_("学号（登录账号）"), _("姓名"), _("初始密码")], rows, _("初始密码"))
