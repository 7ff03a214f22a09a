"""Files out: the platform's registration file (xlsx, DBF), statistics (ENR-12), templates, error sheets.

Workbooks are write-only (streamed), and every text cell that a spreadsheet
would read as a formula is escaped. Sheet titles and our own headers follow the
active language; the platform's column names, the Chinese headers the import
reads back and the coded values stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from enrollment.imports import ADMISSION_COLUMNS, REVIEW_COLUMNS
from registrar import codes
from registrar.idcard import mask
from registrar.sheets.platform import (
    GbkProblem,
    PlatformFile,
    RareCharacters,
    expected_graduation,
    platform_layout,
)
from registrar.sheets.writers import xlsx

__all__ = ["GbkProblem", "RareCharacters"]  # the platform file's choices, as the views read them

# The platform's registration file: column name, Chinese header, DBF width.
REGISTRATION_LAYOUT = platform_layout(
    "KSH", "XH", "XM", "XB", "CSRQ", "ZJLX", "ZJHM", "ZZMM", "MZ", "ZYDM", "ZYMC", "FY", "XSH", "BH", "CC",
    "XXXS", "XZ", "RXRQ", "YJBYRQ", ("LQLX", "录取类型", 30), "BZ",
)  # fmt: skip


# The record's values behind each column, read as plain rows (no model instance per row).
REGISTRATION_VALUES = (
    "exam_number",
    "student__student_number",
    "name",
    "gender",
    "birth_date",
    "id_type",
    "id_number",
    "political_status",
    "ethnicity",
    "major__code",
    "major__name",
    "college__name",
    "college__code",
    "student__class_name",
    "level",
    "study_mode",
    "program_years",
    "entry_date",
    "student__expected_graduation_date",
    "admission_type",
    "remark",
)


def _day(value) -> str:
    return f"{value:%Y%m%d}" if value else ""


def registration_rows(records: QuerySet, *, full_id_number: bool = True) -> Iterator[list[str]]:
    """The records in the platform's layout, coded values by their Chinese names whatever the active language.

    ``full_id_number=False`` masks the 证件号码 (SEC-2): the file to upload is the registrar's;
    other staff get a copy to check their colleges' data. Rows are streamed from one query.
    """
    gender, id_type, political, ethnicity, level, mode, admission = (
        codes.chinese_names(table)
        for table in (
            codes.Gender,
            codes.IdType,
            codes.PoliticalStatus,
            codes.Ethnicity,
            codes.Level,
            codes.StudyMode,
            codes.AdmissionType,
        )
    )
    values = records.order_by("pk").values_list(*REGISTRATION_VALUES)
    for (
        exam_number, student_number, name, gender_code, birth, id_type_code, id_number, political_code,
        ethnicity_code, major_code, major_name, college_name, college_code, class_name, level_code,
        mode_code, program_years, entry, graduation, admission_code, remark,
    ) in values.iterator(chunk_size=5000):  # fmt: skip
        yield [
            exam_number,
            student_number or "",
            name,
            gender.get(gender_code, gender_code),
            f"{birth:%Y%m%d}",
            id_type.get(id_type_code, id_type_code),
            id_number if full_id_number else mask(id_number),
            political.get(political_code, political_code),
            ethnicity.get(ethnicity_code, ethnicity_code),
            major_code,
            major_name,
            college_name,
            college_code,
            class_name or "",
            level.get(level_code, level_code),
            mode.get(mode_code, mode_code),
            f"{program_years.normalize():f}",
            f"{entry:%Y%m%d}",
            _day(graduation or expected_graduation(entry, program_years)),
            admission.get(admission_code, admission_code),
            remark,
        ]


# The DBF file is GBK (cp936): a character it lacks (such as 𠮷 in 王𠮷) is replaced or its row held
# back, as the registrar chooses; ``gbk_problems`` names those rows first. Never refused for it.
REGISTRATION_FILE = PlatformFile(REGISTRATION_LAYOUT, "学籍注册", registration_rows, number=0, name=2)


def registration_xlsx(records: QuerySet, *, full_id_number: bool = True) -> bytes:
    """学籍注册上报文件 (xlsx): the platform's column names as the header; UTF-8, so every character stays."""
    return REGISTRATION_FILE.xlsx(records, full_id_number=full_id_number)


def gbk_problems(records: QuerySet) -> list[GbkProblem]:
    """Every value of these records the DBF file cannot hold as it is (ENR-12's platform file)."""
    return REGISTRATION_FILE.gbk_problems(records)


def registration_dbf(
    records: QuerySet, *, rare: RareCharacters = RareCharacters.REPLACE, full_id_number: bool = True
) -> bytes:
    """学籍注册上报文件 (DBF, GBK): fixed column names and widths, values cut at a character boundary."""
    return REGISTRATION_FILE.dbf(records, rare=rare, full_id_number=full_id_number)


def statistics_xlsx(
    rows: Sequence[Sequence[Any]], states: Sequence[tuple[str, str]], *, total_label: str = ""
) -> bytes:
    """新生注册情况统计表 (ENR-12): by college and major, a column per outcome, then the total in bold."""
    header = [
        _("院系"),
        _("专业代码"),
        _("专业名称"),
        _("层次"),
        *[str(label) for _key, label in states],
        _("合计"),
    ]
    sums = [sum(row[4 + i] for row in rows) for i in range(len(states) + 1)]
    total = [total_label or _("全校合计"), "", "", "", *sums]
    return xlsx(header, rows, _("新生注册统计"), footer=[total])


def admission_template() -> bytes:
    """录取数据导入模板: the platform's column names; the explanations and an example on a sheet of their own.

    The upload reads the first sheet only, so nothing of the explanations is ever read as data.
    """
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
        _("录取数据导入模板：填写说明"),
        _("第一张表为数据表：第一行是表头（学信网的列名，也可用中文列名），从第二行起每行一名新生。"),
        _("本页的说明和示例不会被导入。各列如下："),
        *(
            (_("%(platform)s（%(label)s）：必填") if c.required else _("%(platform)s（%(label)s）：可空"))
            % {"platform": c.platform, "label": c.label}
            for c in ADMISSION_COLUMNS
        ),
        "",
        _("示例（一行）："),
        header,
        example,
    ]
    return xlsx(header, [], _("录取数据"), notes=notes, notes_title=_("填写说明"))


def review_header() -> list[str]:
    """审查结果表's headers: what the upload reads back, so they stay Chinese."""
    return [c.label for c in REVIEW_COLUMNS]


def password_sheet(rows: Iterable[tuple[str, str, str]]) -> bytes:
    """初始密码单 for the college to hand out."""
    return xlsx([_("学号（登录账号）"), _("姓名"), _("初始密码")], rows, _("初始密码"))
