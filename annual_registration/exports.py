"""Files out (ANN-12, item 8): the statistics table, and the national platform's annual files.

The statistics table is a report for people: a frozen header, a filter on every
column, widths that fit, and the school total in bold below the rows. The
platform's files (学年注册, 学籍异动) follow enrollment's registration file
(``enrollment.exports``): the platform's column names, coded values by their
Chinese names, xlsx (UTF-8) or DBF (GBK, a character GBK lacks replaced or its row
held back as the registrar chooses), streamed from one query, id numbers full for
the registrar only. ``registrar.sheets.platform.PlatformFile`` is what the files share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from annual_registration.models import AnnualState, DeferralReason
from annual_registration.reports import COLUMN_WIDTHS, Statistics, cells, header
from registrar import codes
from registrar.idcard import mask
from registrar.models import College, Major
from registrar.sheets.platform import PlatformFile, expected_graduation, platform_layout
from registrar.sheets.writers import xlsx


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
ANNUAL_LAYOUT = platform_layout(
    "KSH",
    "XH",
    "XM",
    "XB",
    "CSRQ",
    "ZJLX",
    "ZJHM",
    "MZ",
    "ZYDM",
    "ZYMC",
    "FY",
    "XSH",
    "BH",
    "CC",
    "XXXS",
    "XZ",
    "RXRQ",
    "YJBYRQ",
    ("XN", "学年", 9),
    ("ZCZT", "注册状态", 20),
    ("ZCRQ", "注册日期", 8),
    ("ZHYY", "暂缓原因", 20),
    "BZ",
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
            _day(graduation or expected_graduation(entry, program_years)),
            f"{start_year}-{start_year + 1}",
            state.get(state_code, state_code),
            _day(registered_on),
            deferral.get(deferral_code, deferral_code) if deferral_code else "",
            reason or "",
        ]


ANNUAL_FILE = PlatformFile(ANNUAL_LAYOUT, "学年注册", annual_rows)


# ---------------------------------------------------------------- the platform's status-change file (学籍异动)

# Who, which change (the sector's code and name, ANN-4), its decision, and each placement field before and
# after where the change moved it (left empty where it did not).
CHANGE_LAYOUT = platform_layout(
    "KSH",
    "XH",
    "XM",
    "ZJHM",
    ("YDLBDM", "异动类别代码", 2),
    ("YDLB", "异动类别", 20),
    ("YDRQ", "学籍处理日期", 8),
    ("WH", "文号", 100),
    ("FWRQ", "发文日期", 8),
    ("YDYY", "异动原因", 200),
    ("QSRQ", "起始日期", 8),
    ("JZRQ", "截止日期", 8),
    ("DFXX", "转入（转出）学校", 100),
    ("YDQFY", "异动前院系", 60),
    ("YDHFY", "异动后院系", 60),
    ("YDQZYDM", "异动前专业代码", 20),
    ("YDHZYDM", "异动后专业代码", 20),
    ("YDQZYMC", "异动前专业名称", 60),
    ("YDHZYMC", "异动后专业名称", 60),
    ("YDQNJ", "异动前年级", 4),
    ("YDHNJ", "异动后年级", 4),
    ("YDQXZ", "异动前学制", 4),
    ("YDHXZ", "异动后学制", 4),
    ("YDQBYRQ", "异动前预计毕业日期", 8),
    ("YDHBYRQ", "异动后预计毕业日期", 8),
    ("YDQXJZT", "异动前学籍状态", 20),
    ("YDHXJZT", "异动后学籍状态", 20),
)
CHANGE_VALUES = (
    "student__exam_number",
    "student__student_number",
    "student__name",
    "student__id_number",
    "kind",
    "decision_date",
    "document_number",
    "document_date",
    "reason",
    "period_start",
    "period_end",
    "other_school",
    "values_before",
    "values_after",
)


def _iso_day(value) -> str:
    """An ISO date (as the cases keep placement dates) as the platform's YYYYMMDD."""
    return str(value).replace("-", "") if value else ""


def change_rows(changes: QuerySet, *, full_id_number: bool = True) -> Iterator[list[str]]:
    """Decided status changes in the platform's layout, streamed; college and major by code and name."""
    kinds, statuses = codes.chinese_names(codes.StatusChangeKind), codes.chinese_names(codes.StudentStatus)
    colleges = dict(College.objects.values_list("pk", "name"))
    majors = {pk: (code, name) for pk, code, name in Major.objects.values_list("pk", "code", "name")}

    def pair(before: dict, after: dict, key: str, show: Callable[[object], str]) -> list[str]:
        if key not in after:
            return ["", ""]
        return [show(before.get(key)), show(after.get(key))]

    def text(value) -> str:
        return "" if value is None else str(value)

    values = changes.order_by("decision_date", "pk").values_list(*CHANGE_VALUES)
    for (
        exam_number, student_number, name, id_number, kind, decided, document_number, document_date, reason,
        period_start, period_end, other_school, before, after,
    ) in values.iterator(chunk_size=5000):  # fmt: skip
        before, after = before or {}, after or {}
        major_before, major_after = (
            majors.get(before.get("major"), ("", "")),
            majors.get(after.get("major"), ("", "")),
        )
        moved_major = "major" in after
        yield [
            exam_number or "",
            student_number or "",
            name,
            id_number if full_id_number else mask(id_number),
            kind,
            kinds.get(kind, kind),
            _day(decided),
            document_number or "",
            _day(document_date),
            reason or "",
            _day(period_start),
            _day(period_end),
            other_school or "",
            *pair(before, after, "college", lambda v: colleges.get(v, text(v))),
            major_before[0] if moved_major else "",
            major_after[0] if moved_major else "",
            major_before[1] if moved_major else "",
            major_after[1] if moved_major else "",
            *pair(before, after, "grade", text),
            *pair(before, after, "program_years", text),
            *pair(before, after, "expected_graduation_date", _iso_day),
            *pair(before, after, "student_status", lambda v: statuses.get(v, text(v))),
        ]


CHANGE_FILE = PlatformFile(CHANGE_LAYOUT, "学籍异动", change_rows)
