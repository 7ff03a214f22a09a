"""学年电子注册情况统计表 (ANN-12): one academic year by college × grade × level × registration state.

The grade is the student's 年级: the year of entry, or where a 留级, 降级 or 跳级 moved them.

One GROUP BY over the year's registrations, whatever their number. Only a
registered student counts as in school (ANN-9): 在校生数 is those registered
(注册学籍) who still hold their 学籍 in school. Reads are scoped: college staff
get their colleges' rows and their total; the table that goes to the province
is the registrar office's, for the whole school.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from annual_registration.models import AnnualRegistration, AnnualState
from registrar import codes
from registrar.models import AcademicYear
from registrar.roles import SCHOOL_WIDE_ROLES, role_of

# The registration states in the table's order: each a column of its own.
STATE_COLUMNS: tuple[AnnualState, ...] = (
    AnnualState.REGISTERED,
    AnnualState.DEFERRED,
    AnnualState.PENDING,
    AnnualState.SUSPENDED,
    AnnualState.RETAINED,
)


@dataclass(frozen=True)
class StatisticsRow:
    """One college, grade and level (or a total, ``grade`` None): the roll, each state, those in school."""

    college_code: str
    college: str
    grade: int | None
    level: str
    on_roll: int
    states: dict[str, int]
    in_school: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "college_code": self.college_code,
            "college": self.college,
            "grade": self.grade,
            "level": self.level,
            "on_roll": self.on_roll,
            "states": dict(self.states),
            "in_school": self.in_school,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatisticsRow:
        return cls(**{**data, "states": dict(data["states"])})


@dataclass(frozen=True)
class Statistics:
    academic_year: int  # its first calendar year
    rows: list[StatisticsRow]
    total: StatisticsRow
    whole_school: bool = True

    def as_figures(self) -> dict[str, Any]:
        """The table as stored with a report sent to the province (``StatisticsReport.figures``)."""
        return {
            "academic_year": self.academic_year,
            "rows": [row.as_dict() for row in self.rows],
            "total": self.total.as_dict(),
        }

    @classmethod
    def from_figures(cls, figures: dict[str, Any]) -> Statistics:
        return cls(
            academic_year=figures["academic_year"],
            rows=[StatisticsRow.from_dict(row) for row in figures["rows"]],
            total=StatisticsRow.from_dict(figures["total"]),
        )


def header() -> list[str]:
    """The table's columns, in the active language."""
    states = dict(AnnualState.choices)
    return [
        _("院系代码"),
        _("院系"),
        _("年级"),
        _("层次"),
        _("应注册人数"),
        *[str(states[state]) for state in STATE_COLUMNS],
        _("在校生数（已注册学籍）"),
    ]


COLUMN_WIDTHS = (10, 24, 8, 12, 12, 10, 10, 10, 10, 10, 20)


def cells(row: StatisticsRow) -> list[Any]:
    """One row of the sheet: names for codes; the total row says so in its college column."""
    return [
        row.college_code,
        row.college,
        row.grade if row.grade is not None else "",
        codes.label_of(codes.Level, row.level) if row.level else "",
        row.on_roll,
        *[row.states.get(state, 0) for state in STATE_COLUMNS],
        row.in_school,
    ]


def _total(rows: Iterable[StatisticsRow], label: str) -> StatisticsRow:
    rows = list(rows)
    return StatisticsRow(
        college_code="",
        college=label,
        grade=None,
        level="",
        on_roll=sum(r.on_roll for r in rows),
        states={s.value: sum(r.states.get(s, 0) for r in rows) for s in STATE_COLUMNS},
        in_school=sum(r.in_school for r in rows),
    )


def annual_statistics(user: Any, academic_year: AcademicYear) -> Statistics:
    """学年电子注册情况统计表 of ``academic_year`` as ``user`` may see it (ANN-12, ANN-9): one query."""
    counts = {f"n_{state.value}": Count("pk", filter=Q(state=state)) for state in STATE_COLUMNS}
    grouped = (
        AnnualRegistration.objects.for_user(user)
        .filter(academic_year=academic_year)
        .values("college__code", "college__name", "student__level")
        .annotate(
            grade=Coalesce("student__grade_year", ExtractYear("student__entry_date")),
            on_roll=Count("pk"),
            in_school=Count(
                "pk",
                filter=Q(state=AnnualState.REGISTERED, student__student_status=codes.StudentStatus.IN_SCHOOL),
            ),
            **counts,
        )
        .order_by("college__code", "grade", "student__level")
    )
    rows = [
        StatisticsRow(
            college_code=g["college__code"],
            college=g["college__name"],
            grade=g["grade"],
            level=g["student__level"],
            on_roll=g["on_roll"],
            states={state.value: g[f"n_{state.value}"] for state in STATE_COLUMNS},
            in_school=g["in_school"],
        )
        for g in grouped
    ]
    whole_school = role_of(user) in SCHOOL_WIDE_ROLES
    total = _total(rows, _("全校合计") if whole_school else _("合计"))
    return Statistics(academic_year.start_year, rows, total, whole_school)
