"""The columns of freshman registration's sheets (platform names and Chinese headers)."""

from __future__ import annotations

from registrar.sheets.tables import Column, ParsedSheet, RowError, SheetRow

__all__ = [
    "ADMISSION_COLUMNS",
    "OUTCOME_NAMES",
    "REVIEW_COLUMNS",
    "Column",
    "ParsedSheet",
    "RowError",
    "SheetRow",
]


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
