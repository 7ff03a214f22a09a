"""Files out (ANN-12, item 8): the statistics table, and the national platform's annual-registration file.

The statistics table is a report for people: a frozen header, a filter on every
column, widths that fit, and the school total in bold below the rows. The
platform's file follows enrollment's registration file (``enrollment.exports``):
the platform's column names, coded values by their Chinese names, xlsx (UTF-8)
or DBF (GBK, a character GBK lacks replaced or its row held back as the
registrar chooses), streamed from one query, id numbers full for the registrar only.

The platform's status-change file (学籍异动) waits for the status-change cases
(``annual_registration.models.changes``), which another part of issue 11 builds.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from annual_registration.models import AnnualState, DeferralReason
from annual_registration.reports import COLUMN_WIDTHS, Statistics, cells, header
from enrollment.exports import GbkProblem, RareCharacters, _dbf_values, gbk_missing
from registrar import codes
from registrar.idcard import mask
from registrar.sheets.writers import dbf_write, xlsx


def statistics_xlsx(statistics: Statistics) -> bytes:
    """普通高等学校学生学年电子注册情况统计表 (ANN-12) as xlsx: rows by college, grade and level, then the total."""
    return xlsx(
        header(),
        (cells(row) for row in statistics.rows),
        _("学年注册统计"),
        COLUMN_WIDTHS,
        frozen_header=True,
        autofilter=True,
        footer=[cells(statistics.total)],
    )


# ---------------------------------------------------------------- the platform's annual-registration file

# Column name, Chinese header, DBF width: the registration file's columns, then the year's registration.
ANNUAL_LAYOUT = (
    ("KSH", "考生号", 20),
    ("XH", "学号", 20),
    ("XM", "姓名", 50),
    ("XB", "性别", 10),
    ("CSRQ", "出生日期", 8),
    ("ZJLX", "证件类型", 20),
    ("ZJHM", "证件号码", 30),
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
    ("XN", "学年", 9),
    ("ZCZT", "注册状态", 20),
    ("ZCRQ", "注册日期", 8),
    ("ZHYY", "暂缓原因", 20),
    ("BZ", "备注", 100),
)
ANNUAL_VALUES = (
    "student__exam_number",
    "student__student_number",
    "student__name",
    "student__gender",
    "student__birth_date",
    "student__id_type",
    "student__id_number",
    "student__ethnicity",
    "student__major__code",
    "student__major__name",
    "college__name",
    "college__code",
    "student__class_name",
    "student__level",
    "student__study_mode",
    "student__program_years",
    "student__entry_date",
    "student__expected_graduation_date",
    "academic_year__start_year",
    "state",
    "registered_on",
    "deferral_reason",
    "reason",
)
# Decided registrations only: a pending one has nothing to report yet.
REPORTED_STATES = (AnnualState.REGISTERED, AnnualState.DEFERRED, AnnualState.SUSPENDED, AnnualState.RETAINED)


def _day(value) -> str:
    return f"{value:%Y%m%d}" if value else ""


def annual_rows(registrations: QuerySet, *, full_id_number: bool = True) -> Iterator[list[str]]:
    """The year's decided registrations in the platform's layout, streamed (SEC-2: masked unless ``full_id_number``)."""
    gender, id_type, ethnicity, level, mode, state, deferral = (
        codes.chinese_names(table)
        for table in (
            codes.Gender,
            codes.IdType,
            codes.Ethnicity,
            codes.Level,
            codes.StudyMode,
            AnnualState,
            DeferralReason,
        )
    )
    values = (
        registrations.filter(state__in=REPORTED_STATES)
        .order_by("college__code", "student__student_number", "pk")
        .values_list(*ANNUAL_VALUES)
    )
    for (
        exam_number, student_number, name, gender_code, birth, id_type_code, id_number, ethnicity_code,
        major_code, major_name, college_name, college_code, class_name, level_code, mode_code, program_years,
        entry, graduation, start_year, state_code, registered_on, deferral_code, reason,
    ) in values.iterator(chunk_size=5000):  # fmt: skip
        yield [
            exam_number or "",
            student_number or "",
            name,
            gender.get(gender_code, gender_code),
            _day(birth),
            id_type.get(id_type_code, id_type_code),
            id_number if full_id_number else mask(id_number),
            ethnicity.get(ethnicity_code, ethnicity_code),
            major_code,
            major_name,
            college_name,
            college_code,
            class_name or "",
            level.get(level_code, level_code),
            mode.get(mode_code, mode_code),
            f"{program_years.normalize():f}",
            _day(entry),
            _day(graduation),
            f"{start_year}-{start_year + 1}",
            state.get(state_code, state_code),
            _day(registered_on),
            deferral.get(deferral_code, deferral_code) if deferral_code else "",
            reason or "",
        ]


def annual_xlsx(registrations: QuerySet, *, full_id_number: bool = True) -> bytes:
    """学年注册上报文件 (xlsx): the platform's column names as the header; UTF-8 keeps every character."""
    return xlsx(
        [name for name, _label, _width in ANNUAL_LAYOUT],
        annual_rows(registrations, full_id_number=full_id_number),
        "学年注册",
    )


def annual_gbk_problems(registrations: QuerySet) -> list[GbkProblem]:
    """Every value of the annual file that GBK cannot hold, by student and column (the DBF file's choice)."""
    problems = []
    for row in annual_rows(registrations, full_id_number=False):
        for value, (_name, label, _width) in zip(row, ANNUAL_LAYOUT, strict=True):
            missing = gbk_missing(value)
            if missing:
                problems.append(GbkProblem(row[1] or row[0], row[2], label, missing))
    return problems


def annual_dbf(
    registrations: QuerySet,
    *,
    rare: RareCharacters = RareCharacters.REPLACE,
    full_id_number: bool = True,
) -> bytes:
    """学年注册上报文件 (DBF, GBK): fixed column names and widths; never fails on a character."""
    rows = (_dbf_values(row, rare) for row in annual_rows(registrations, full_id_number=full_id_number))
    out = io.BytesIO()
    dbf_write(
        out,
        [(name, width) for name, _label, width in ANNUAL_LAYOUT],
        (row for row in rows if row is not None),
    )
    return out.getvalue()
