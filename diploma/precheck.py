"""预审 (DIP-10): every problem of every expected graduate of a year, in one pass of SQL over the cohort.

What stands between a graduate and registration, all at once:

- no registered 学籍 here (DIP-2): the student's 学籍状态 is not 在籍 (or already 毕业 / 结业);
- an academic year, from the second to the graduation year, without annual registration
  (ANN-9: 注册学籍; a year of 休学 or 保留学籍 needs none). The years are those whose roll this
  system opened: a year before the system ran is the platform's record, not a gap here;
- a field of the registration record missing (DIP-3: the certificate's fields, N17 and
  JL27(一), and the record's, JL27(二) and SH三(五)1(3));
- 姓名, 性别, 出生日期, 民族 or 身份证号 differing from the admission data (DIP-4, both values shown;
  a student who entered before this system held admission data has none to differ from);
- no verified photo (DIP-9: none captured, not imported, not checked, or reported wrong);
- a certificate already registered for this student and level (DIP-2);
- 毕(结)业结论 missing, or 肄业 (DIP-1).

One statement: the cohort joined to its students, majors, admission records and
photos; the academic years each graduate needs (the opened rolls in the graduate's
range), anti-joined to their annual registrations and aggregated; certificates by EXISTS. No loop of
queries per student. Runs on PostgreSQL and SQLite (the demo). The same statement, restricted to some
graduates (``graduates_checked``), is how ``certificates_precheck`` refuses whom the report would not pass.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models import AnnualRegistration, AnnualState
from diploma.models import Certificate, CertificateState, ExpectedGraduate, GraduationOutcome, PhotoCapture
from diploma.models.photos import CheckState
from enrollment.models import AdmissionRecord
from registrar import codes
from registrar.idcard import mask, sees_full_id_numbers
from registrar.models import AcademicYear, College, Major, School, Student
from registrar.roles import SCHOOL_WIDE_ROLES, Role, role_of

# Statuses that hold this school's 学籍 at the pre-check (DIP-2); 毕业 / 结业 once the outcome is applied.
HOLDS_STATUS = (codes.StudentStatus.IN_SCHOOL, codes.StudentStatus.GRADUATED, codes.StudentStatus.COMPLETED)
HOLDS = frozenset(status.value for status in HOLDS_STATUS)
CERTIFIED = frozenset((GraduationOutcome.GRADUATED.value, GraduationOutcome.COMPLETED.value))
CONFIRMED = CheckState.CONFIRMED.value
# A year in these states needs no registration of its own (ANN-3: 休学, 保留学籍 follow the student).
YEAR_COVERED = (AnnualState.REGISTERED, AnnualState.SUSPENDED, AnnualState.RETAINED)

# DIP-3: the registration record's fields held by the student, the major, the graduate and the school,
# as (key, label, SQL that is true when the field is missing). 照片 is the photo check's own problem;
# 证书编号 and 发证日期 come at registration (DIP-5); 教育部审核结果 is the platform's answer.
FIELDS: tuple[tuple[str, Any, str], ...] = (
    ("name", gettext_lazy("姓名"), "COALESCE(s.name, '') = ''"),
    ("gender", gettext_lazy("性别"), "COALESCE(s.gender, '') = ''"),
    ("birth_date", gettext_lazy("出生日期"), "s.birth_date IS NULL"),
    ("ethnicity", gettext_lazy("民族"), "COALESCE(s.ethnicity, '') = ''"),
    ("political_status", gettext_lazy("政治面貌"), "COALESCE(s.political_status, '') = ''"),
    ("id_number", gettext_lazy("身份证号"), "COALESCE(s.id_number, '') = ''"),
    ("exam_number", gettext_lazy("考生号（高考准考证号）"), "COALESCE(s.exam_number, '') = ''"),
    ("student_number", gettext_lazy("学号"), "COALESCE(s.student_number, '') = ''"),
    ("major", gettext_lazy("专业"), "COALESCE(mj.code, '') = '' OR COALESCE(mj.name, '') = ''"),
    ("level", gettext_lazy("层次"), "COALESCE(s.level, '') = ''"),
    ("program_years", gettext_lazy("学制"), "s.program_years IS NULL OR s.program_years <= 0"),
    ("study_mode", gettext_lazy("学习形式"), "COALESCE(s.study_mode, '') = ''"),
    ("entry_date", gettext_lazy("入学日期"), "s.entry_date IS NULL"),
    ("graduation_date", gettext_lazy("毕业日期"), "g.graduation_date IS NULL"),
    ("school_name", gettext_lazy("学校名称"), "COALESCE(sc.name, '') = ''"),
    ("president_name", gettext_lazy("校(院)长姓名"), "COALESCE(sc.president_name, '') = ''"),
    ("school_type", gettext_lazy("学历类别（办学类型）"), "COALESCE(sc.school_type, '') = ''"),
)
FIELD_LABELS = {key: label for key, label, _sql in FIELDS}
# DIP-4: what must equal the admission data.
ADMISSION_FIELDS: tuple[tuple[str, Any], ...] = (
    ("name", gettext_lazy("姓名")),
    ("gender", gettext_lazy("性别")),
    ("birth_date", gettext_lazy("出生日期")),
    ("ethnicity", gettext_lazy("民族")),
    ("id_number", gettext_lazy("身份证号")),
)


class ProblemKind:
    """The kinds of problem, in the order the report lists them; each names its rule."""

    STATUS = "status"
    ANNUAL = "annual"
    FIELDS = "fields"
    ADMISSION = "admission"
    PHOTO = "photo"
    REGISTERED = "registered"
    OUTCOME = "outcome"

    LABELS = {
        STATUS: gettext_lazy("无本校学籍（DIP-2）"),
        ANNUAL: gettext_lazy("学年未注册（ANN-9）"),
        FIELDS: gettext_lazy("注册信息不全（DIP-3）"),
        ADMISSION: gettext_lazy("与录取数据不一致（DIP-4）"),
        PHOTO: gettext_lazy("无校对通过的照片（DIP-9）"),
        REGISTERED: gettext_lazy("已有注册的学历证书（DIP-2）"),
        OUTCOME: gettext_lazy("毕(结)业结论缺失或为肄业（DIP-1）"),
    }


@dataclass(frozen=True)
class Problem:
    kind: str
    detail: str
    # DIP-4: (field, the student's value, the admission data's value)
    differences: tuple[tuple[str, str, str], ...] = ()

    @property
    def label(self) -> str:
        return str(ProblemKind.LABELS[self.kind])


@dataclass
class GraduateCheck:
    """One expected graduate and every problem the pre-check found (none: ready for registration)."""

    graduate_id: int
    student_id: int
    name: str
    student_number: str
    college_id: int
    college: str
    major: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class CollegeSummary:
    college: str
    graduates: int = 0
    passed: int = 0
    kinds: Counter = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return self.graduates - self.passed

    @property
    def by_kind(self) -> list[int]:
        """How many graduates have each kind of problem, in the report's order."""
        return [self.kinds.get(kind, 0) for kind in ProblemKind.LABELS]


@dataclass
class PrecheckReport:
    """The pre-check of one graduation year as the reader may see it: per graduate, per college, for the school."""

    year: int
    checks: list[GraduateCheck]
    colleges: list[CollegeSummary]

    @property
    def passed_ids(self) -> list[int]:
        """The graduates with no problem: what the registrar's pre-check passes on (DIP-10)."""
        return [c.graduate_id for c in self.checks if c.passed]

    @property
    def failing(self) -> list[GraduateCheck]:
        return [c for c in self.checks if not c.passed]

    @property
    def total(self) -> CollegeSummary:
        school = CollegeSummary(_("全校"))
        for summary in self.colleges:
            school.graduates += summary.graduates
            school.passed += summary.passed
            school.kinds.update(summary.kinds)
        return school


# ---------------------------------------------------------------- the statement


def _dialect() -> dict[str, str]:
    """The few spellings PostgreSQL and SQLite differ in: a date's year and month, text aggregation."""
    if connection.vendor == "postgresql":
        return {
            "year": "CAST(EXTRACT(YEAR FROM {0}) AS integer)",
            "month": "CAST(EXTRACT(MONTH FROM {0}) AS integer)",
            "agg": "string_agg(CAST({0} AS text), ',' ORDER BY {0})",
            "ids": "= ANY(%s)",
        }
    return {
        "year": "CAST(strftime('%%Y', {0}) AS integer)",
        "month": "CAST(strftime('%%m', {0}) AS integer)",
        "agg": "group_concat({0}, ',')",
        "ids": "IN ({marks})",
    }


def _academic_year(column: str, sql: dict[str, str]) -> str:
    """The start year of the academic year a date falls in: September on (August counts with it)."""
    return f"({sql['year'].format(column)} - CASE WHEN {sql['month'].format(column)} < 8 THEN 1 ELSE 0 END)"


def _in(column: str, ids: Sequence[int], sql: dict[str, str]) -> tuple[str, list[Any]]:
    """``column`` is one of ``ids``: one array parameter on PostgreSQL, a list of them on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} {sql['ids']}", [list(ids)]
    marks = ", ".join(["%s"] * len(ids)) or "NULL"
    return f"{column} {sql['ids'].format(marks=marks)}", list(ids)


def _statement(
    college_ids: Sequence[int] | None, *, graduate_ids: Sequence[int] | None = None
) -> tuple[str, list[Any]]:
    """The pre-check's one statement: a graduation year's cohort (the caller puts the year first among the
    parameters), of ``college_ids`` if given; with ``graduate_ids``, these graduates whatever their year and
    no year parameter (the service's own check, DIP-10)."""
    sql = _dialect()
    t = {
        "g": ExpectedGraduate._meta.db_table,
        "s": Student._meta.db_table,
        "mj": Major._meta.db_table,
        "co": College._meta.db_table,
        "sc": School._meta.db_table,
        "a": AdmissionRecord._meta.db_table,
        "p": PhotoCapture._meta.db_table,
        "ar": AnnualRegistration._meta.db_table,
        "ay": AcademicYear._meta.db_table,
        "c": Certificate._meta.db_table,
    }
    if graduate_ids is None:
        where, params = "g.graduation_year = %s", []
    else:
        where, params = _in("g.id", graduate_ids, sql)
    if college_ids is not None:
        scope, scope_params = _in("g.college_id", college_ids, sql)
        where, params = f"{where} AND {scope}", [*params, *scope_params]
    missing_fields = " || ".join(
        f"(CASE WHEN {test} THEN '{key},' ELSE '' END)" for key, _label, test in FIELDS
    )
    covered = ", ".join(f"'{state}'" for state in YEAR_COVERED)
    first_year = _academic_year("s.entry_date", sql)
    last_year = _academic_year("g.graduation_date", sql)
    statement = f"""
WITH cohort AS (
    SELECT g.id AS gid, g.student_id AS sid, {first_year} AS first_year, {last_year} AS last_year
    FROM {t["g"]} g JOIN {t["s"]} s ON s.id = g.student_id
    WHERE {where}
),
years AS (
    SELECT ay.id AS yid, ay.start_year AS y FROM {t["ay"]} ay
    WHERE EXISTS (SELECT 1 FROM {t["ar"]} ar WHERE ar.academic_year_id = ay.id)
),
unregistered AS (
    SELECT cohort.gid, {sql["agg"].format("years.y")} AS years
    FROM cohort JOIN years ON years.y > cohort.first_year AND years.y <= cohort.last_year
    WHERE NOT EXISTS (
        SELECT 1 FROM {t["ar"]} ar
        WHERE ar.student_id = cohort.sid AND ar.academic_year_id = years.yid AND ar.state IN ({covered})
    )
    GROUP BY cohort.gid
)
SELECT g.id, s.id, s.name, COALESCE(s.student_number, ''), g.college_id, co.name, COALESCE(mj.name, ''),
    s.student_status, g.outcome, u.years, {missing_fields},
    a.id IS NOT NULL, a.name, a.gender, a.birth_date, a.ethnicity, a.id_number,
    s.gender, s.birth_date, s.ethnicity, s.id_number,
    p.id IS NOT NULL, COALESCE(p.image, ''), p.check_state,
    EXISTS (SELECT 1 FROM {t["c"]} c WHERE c.student_id = s.id AND c.level = s.level AND c.state = %s)
FROM cohort
JOIN {t["g"]} g ON g.id = cohort.gid
JOIN {t["s"]} s ON s.id = g.student_id
JOIN {t["co"]} co ON co.id = g.college_id
LEFT JOIN {t["mj"]} mj ON mj.id = s.major_id
LEFT JOIN {t["sc"]} sc ON sc.id = (SELECT MIN(id) FROM {t["sc"]})
LEFT JOIN unregistered u ON u.gid = g.id
LEFT JOIN {t["a"]} a ON a.student_id = s.id
LEFT JOIN {t["p"]} p ON p.student_id = s.id
ORDER BY co.name, s.student_number, g.id
"""
    # By year, the graduation year comes first: ``precheck_report`` puts it before these.
    return statement, [*params, CertificateState.REGISTERED.value]


# ---------------------------------------------------------------- rows → problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _shown(key: str, value: Any, full_id_number: bool) -> str:
    """A value as the report shows it: codes by their names (性别 男, 民族 汉族), id numbers masked but
    for the registrar office (SEC-2)."""
    text = _text(value)
    if key == "id_number" and not full_id_number:
        return mask(text)
    if key == "gender":
        return str(dict(codes.Gender.choices).get(text, text))
    if key == "ethnicity":
        return str(dict(codes.Ethnicity.choices).get(text, text))
    return text


def _problems(row: Sequence[Any], full_id_number: bool) -> list[Problem]:
    (status, outcome, years, missing, has_admission) = row[7:12]
    admission, student = row[12:17], row[17:21]
    has_photo, image, check_state, registered = row[21:25]
    problems: list[Problem] = []
    if status not in HOLDS:
        shown = dict(codes.StudentStatus.choices).get(status, status)
        problems.append(Problem(ProblemKind.STATUS, _("学籍状态为“%(status)s”") % {"status": shown}))
    if years:
        listed = "、".join(f"{y}-{int(y) + 1}" for y in sorted(str(years).split(",")))
        problems.append(Problem(ProblemKind.ANNUAL, _("%(years)s学年未注册") % {"years": listed}))
    if missing:
        labels = "、".join(str(FIELD_LABELS[key]) for key in missing.strip(",").split(","))
        problems.append(Problem(ProblemKind.FIELDS, _("缺少：%(fields)s") % {"fields": labels}))
    problems.extend(_admission_problems(has_admission, admission, (row[2], *student), full_id_number))
    photo = _photo_problem(has_photo, image, check_state)
    if photo:
        problems.append(Problem(ProblemKind.PHOTO, photo))
    if registered:
        problems.append(Problem(ProblemKind.REGISTERED, _("该学生在此层次已有注册的学历证书")))
    if outcome not in CERTIFIED:
        shown = dict(GraduationOutcome.choices).get(outcome, outcome)
        problems.append(Problem(ProblemKind.OUTCOME, _("毕(结)业结论为“%(outcome)s”") % {"outcome": shown}))
    return problems


def _admission_problems(
    has_admission: Any, admission: Sequence[Any], student: Sequence[Any], full_id_number: bool
) -> list[Problem]:
    if not has_admission:  # entered before this system held admission data: nothing to compare with
        return []
    if tuple(admission) == tuple(student):  # the usual case, in one comparison
        return []
    differences = tuple(
        (str(label), _shown(key, mine, full_id_number), _shown(key, theirs, full_id_number))
        for (key, label), mine, theirs in zip(ADMISSION_FIELDS, student, admission, strict=True)
        if _text(mine) != _text(theirs)
    )
    if not differences:
        return []
    detail = "；".join(
        _("%(field)s：学籍为“%(mine)s”，录取数据为“%(theirs)s”") % {"field": f, "mine": m, "theirs": t}
        for f, m, t in differences
    )
    return [Problem(ProblemKind.ADMISSION, detail, differences)]


def _photo_problem(has_photo: Any, image: str, check_state: str | None) -> str:
    if check_state == CONFIRMED and image:  # the usual case
        return ""
    if not has_photo:
        return _("没有图像采集记录，须登记补拍")
    if not image:
        return _("照片尚未导入")
    if check_state == CheckState.DISPUTED:
        return _("学生校对时报告有误")
    if check_state != CheckState.CONFIRMED:
        return _("学生尚未校对确认")
    return ""


# ---------------------------------------------------------------- the report


def _college_scope(user) -> list[int] | None:
    """None: every college (registrar, admin, auditor); else the staff member's colleges; [] for anyone else."""
    role = role_of(user)
    if role in SCHOOL_WIDE_ROLES:
        return None
    if role == Role.COLLEGE_STAFF:
        return list(user.colleges.values_list("pk", flat=True))
    return []


def _checks(statement: str, params: list[Any], full_id_number: bool) -> list[GraduateCheck]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    return [
        GraduateCheck(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _problems(r, full_id_number)) for r in rows
    ]


def graduates_checked(graduate_ids: Iterable[int]) -> list[GraduateCheck]:
    """预审 (DIP-10) of these graduates, whatever their year or college: the report's one statement restricted
    to them, for the service that pre-checks certificates to refuse whom the report would not pass."""
    ids = sorted(set(graduate_ids))
    if not ids:
        return []
    statement, params = _statement(None, graduate_ids=ids)
    return _checks(statement, params, full_id_number=False)


def precheck_report(user, year: int, *, college_ids: Iterable[int] | None = None) -> PrecheckReport:
    """预审 (DIP-10) of ``year``'s expected graduates as ``user`` may see them, optionally of some colleges only."""
    scope = _college_scope(user)
    if college_ids is not None:
        wanted = set(college_ids)
        scope = sorted(wanted if scope is None else wanted & set(scope))
    if scope == []:
        return PrecheckReport(year, [], [])
    statement, params = _statement(scope)
    checks = _checks(statement, [year, *params], sees_full_id_numbers(user))
    summaries: dict[int, CollegeSummary] = {}
    for check in checks:
        summary = summaries.setdefault(check.college_id, CollegeSummary(check.college))
        summary.graduates += 1
        summary.passed += check.passed
        summary.kinds.update({p.kind for p in check.problems})
    return PrecheckReport(year, checks, list(summaries.values()))


def precheck_rows(report: PrecheckReport) -> tuple[list[str], list[list[Any]]]:
    """The report as one sheet: one line per problem, every problem of every graduate (the xlsx)."""
    header = [
        _("院系"),
        _("学号"),
        _("姓名"),
        _("专业"),
        _("问题类别"),
        _("问题说明"),
        _("学籍信息"),
        _("录取数据"),
    ]
    rows = []
    for check in report.failing:
        for problem in check.problems:
            mine = "；".join(f"{f}：{m}" for f, m, _t in problem.differences)
            theirs = "；".join(f"{f}：{t}" for f, _m, t in problem.differences)
            rows.append(
                [
                    check.college,
                    check.student_number,
                    check.name,
                    check.major,
                    problem.label,
                    problem.detail,
                    mine,
                    theirs,
                ]
            )
    return header, rows
