"""Files out (item 6): the platform's diploma-registration file and the graduation statistics.

The registration file (学历证书电子注册数据) holds every registered certificate of a
graduation year in the platform's layout: its column names, coded values by their
Chinese names, xlsx (UTF-8) or DBF (GBK, through ``registrar.sheets.platform``),
streamed from one query, id numbers full for the registrar only (SEC-2). The
statistics count a year's graduates by college, major, level and outcome.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from diploma.models import (
    Certificate,
    CertificateAnnotation,
    CertificateKind,
    ExpectedGraduate,
    GraduationOutcome,
    PhotoCapture,
)
from registrar import codes
from registrar.idcard import mask
from registrar.sheets.platform import PlatformFile, platform_layout
from registrar.sheets.writers import xlsx

# Column name, Chinese header, DBF width (DIP-3: the certificate's fields and the registration record's).
DIPLOMA_LAYOUT = platform_layout(
    "KSH", "XH", "XM", "XB", "CSRQ", "ZJLX", "ZJHM", "MZ", "ZZMM",
    ("XXDM", "学校代码", 5), ("XXMC", "学校名称", 60), ("BXLX", "办学类型", 10),
    "FY", "ZYDM", "ZYMC", "CC", "XZ", "XXXS", "RXRQ",
    ("BYRQ", "毕业日期", 8), ("BYJL", "毕（结）业结论", 10), ("ZSBH", "证书编号", 18), ("FZRQ", "发证日期", 8),
    ("XZXM", "校（院）长姓名", 50), ("ZP", "照片文件名", 60),
    "BZ",
    ZZMM=30, BZ=200,
)  # fmt: skip
VALUES = (
    "exam_number",
    "student_number",
    "name",
    "gender",
    "birth_date",
    "id_type",
    "id_number",
    "ethnicity",
    "political_status",
    "school__code",
    "school_name",
    "school_type",
    "college__name",
    "major_code",
    "major_name",
    "level",
    "program_years",
    "study_mode",
    "entry_date",
    "graduation_date",
    "kind",
    "certificate_number",
    "issued_on",
    "president_name",
    "pk",
)
OUTCOME_OF_KIND = {CertificateKind.GRADUATION: "毕业", CertificateKind.COMPLETION: "结业"}


def _day(value) -> str:
    return f"{value:%Y%m%d}" if value else ""


def photo_names(certificates: QuerySet) -> QuerySet:
    """The certificates with ``photo_file``: the file name of the student's captured photo (DIP-9), by Subquery."""
    captured = PhotoCapture.objects.filter(student=OuterRef("student_id")).values("file_name")[:1]
    return certificates.annotate(photo_file=Subquery(captured))


def _annotations(certificates: QuerySet) -> dict[int, str]:
    """Each certificate's annotations as one 备注 text (辅修, 证明书, 结业换毕业, 更正); few rows, one query."""
    notes: dict[int, list[str]] = defaultdict(list)
    found = CertificateAnnotation.objects.filter(certificate__in=certificates.values("pk")).order_by(
        "annotated_on", "pk"
    )
    for certificate_id, text in found.values_list("certificate_id", "text"):
        notes[certificate_id].append(text)
    return {pk: "；".join(texts) for pk, texts in notes.items()}


def diploma_rows(certificates: QuerySet, *, full_id_number: bool = True) -> Iterator[list[str]]:
    """Registered certificates in the platform's layout, by number, streamed (SEC-2: masked unless ``full_id_number``)."""
    gender, id_type, ethnicity, political, school_type, level, mode = (
        codes.chinese_names(table)
        for table in (
            codes.Gender,
            codes.IdType,
            codes.Ethnicity,
            codes.PoliticalStatus,
            codes.SchoolType,
            codes.Level,
            codes.StudyMode,
        )
    )
    registered = certificates.filter(state="registered")
    notes = _annotations(registered)
    values = photo_names(registered).order_by("certificate_number").values_list(*VALUES, "photo_file")
    for (
        exam_number, student_number, name, gender_code, birth, id_type_code, id_number, ethnicity_code,
        political_code, school_code, school_name, school_type_code, college_name, major_code, major_name,
        level_code, program_years, mode_code, entry, graduation, kind, number, issued_on, president, pk, photo,
    ) in values.iterator(chunk_size=5000):  # fmt: skip
        yield [
            exam_number,
            student_number,
            name,
            gender.get(gender_code, gender_code),
            _day(birth),
            id_type.get(id_type_code, id_type_code),
            id_number if full_id_number else mask(id_number),
            ethnicity.get(ethnicity_code, ethnicity_code),
            political.get(political_code, political_code),
            school_code,
            school_name,
            school_type.get(school_type_code, school_type_code),
            college_name,
            major_code,
            major_name,
            level.get(level_code, level_code),
            f"{program_years.normalize():f}",
            mode.get(mode_code, mode_code),
            _day(entry),
            _day(graduation),
            OUTCOME_OF_KIND[kind],
            number,
            _day(issued_on),
            president,
            photo or "",
            notes.get(pk, ""),
        ]


DIPLOMA_FILE = PlatformFile(DIPLOMA_LAYOUT, "学历证书电子注册", diploma_rows)


# ---------------------------------------------------------------- graduation statistics


@dataclass(frozen=True)
class StatisticsRow:
    college: str
    major_code: str
    major: str
    level: str
    graduated: int
    completed: int
    attended: int
    pending: int
    registered: int

    @property
    def total(self) -> int:
        return self.graduated + self.completed + self.attended + self.pending


STATISTICS_HEADER = (
    "院系",
    "专业代码",
    "专业名称",
    "层次",
    "毕业",
    "结业",
    "肄业",
    "待定",
    "合计",
    "已注册证书",
)


def graduation_statistics(graduates: QuerySet) -> list[StatisticsRow]:
    """毕业生统计: a year's expected graduates by college, major and level, counted by outcome (one query)."""
    levels = codes.chinese_names(codes.Level)
    G = GraduationOutcome
    counted = (
        graduates.order_by()
        .values("college__code", "college__name", "major__code", "major__name", "level")
        .annotate(
            graduated=Count("pk", filter=Q(outcome=G.GRADUATED), distinct=True),
            completed=Count("pk", filter=Q(outcome=G.COMPLETED), distinct=True),
            attended=Count("pk", filter=Q(outcome=G.ATTENDED), distinct=True),
            pending=Count("pk", filter=Q(outcome=G.PENDING), distinct=True),
            registered=Count("certificates", filter=Q(certificates__state="registered"), distinct=True),
        )
        .order_by("college__code", "major__code", "level")
    )
    return [
        StatisticsRow(
            r["college__name"],
            r["major__code"],
            r["major__name"],
            levels.get(r["level"], r["level"]),
            r["graduated"],
            r["completed"],
            r["attended"],
            r["pending"],
            r["registered"],
        )
        for r in counted
    ]


def statistics_cells(row: StatisticsRow) -> list:
    return [
        row.college,
        row.major_code,
        row.major,
        row.level,
        row.graduated,
        row.completed,
        row.attended,
        row.pending,
        row.total,
        row.registered,
    ]


def statistics_total(rows: list[StatisticsRow]) -> StatisticsRow:
    return StatisticsRow(
        _("合计"),
        "",
        "",
        "",
        *(
            sum(getattr(r, f) for r in rows)
            for f in ("graduated", "completed", "attended", "pending", "registered")
        ),
    )


def statistics_xlsx(rows: list[StatisticsRow], year: int) -> bytes:
    """毕业生统计 as xlsx: a frozen header, a filter, the school total in bold below."""
    return xlsx(
        list(STATISTICS_HEADER),
        (statistics_cells(r) for r in rows),
        _("%(year)s届毕业生统计") % {"year": year},
        frozen_header=True,
        autofilter=True,
        footer=[statistics_cells(statistics_total(rows))],
    )


def graduates_of(user, year: int) -> QuerySet:
    return ExpectedGraduate.objects.for_user(user).filter(graduation_year=year)


def certificates_of(user, year: int) -> QuerySet:
    return Certificate.objects.for_user(user).filter(graduation_year=year)
