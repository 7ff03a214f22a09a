"""What a status change may ask (ANN-4, ANN-5): the kinds a school uses, the statuses each allows, the values.

Pure checks over data the caller has read: a single filing and a college's
list of fifty run the same ``change_problems``, each problem in Chinese.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.models import ChangeKindSetting, StatusChange
from annual_registration.models.changes import OPEN_STATES, PLACEMENT_FIELDS
from registrar import codes
from registrar.models import Batch, College, Major, School, Student
from registrar.transitions import transition_sources, transition_target

Kind = codes.StatusChangeKind
Status = codes.StudentStatus


def kind_label(kind: str) -> str:
    return codes.label_of(Kind, kind)


def student_label(student: Student) -> str:
    return f"{student.name}（{student.student_number or student.exam_number}）"


# ---------------------------------------------------------------- which kinds a school uses (ANN-4)


def kind_settings() -> dict[str, ChangeKindSetting]:
    return {setting.kind: setting for setting in ChangeKindSetting.objects.all()}


def kind_unavailable(setting: ChangeKindSetting | None, school: School | None) -> str | None:
    """Why a kind cannot be filed at this school, or None: disabled, or 留/降/跳级 under 学分制 (ANN-4)."""
    if setting is None or not setting.enabled:
        return _("异动类别未启用")
    if school is not None and school.credit_system and setting.hidden_under_credit_system:
        return _("实行学分制的学校无需标注%(kind)s（可在异动类别设置中启用）") % {
            "kind": setting.get_kind_display()
        }
    return None


def kinds_available(school: School | None = None) -> list[ChangeKindSetting]:
    """The kinds this school files, in code order: the forms' and the API's choices (ANN-4)."""
    school = school if school is not None else School.current()
    return [s for s in ChangeKindSetting.objects.order_by("kind") if kind_unavailable(s, school) is None]


def status_allows(setting: ChangeKindSetting, status: str) -> bool:
    """Whether a student of ``status`` may take this kind: its transition's declared sources, else 在籍 only."""
    if setting.transition:
        return status in transition_sources(Student, setting.transition, "student_status")
    return status == Status.IN_SCHOOL


def resulting_status(setting: ChangeKindSetting) -> str | None:
    """The 学籍状态 approval leaves the student in: the target of the kind's transition."""
    return transition_target(Student, setting.transition, "student_status") if setting.transition else None


# ---------------------------------------------------------------- what a change asks for


@dataclass(frozen=True)
class ChangeInput:
    """One change as a college gives it, from the page, the API or a list's sheet.

    ``values`` holds the placement fields it asks for by their names in
    ``PLACEMENT_FIELDS``: college and major as ids, grade as a year, program
    years as a decimal, the expected graduation date as a date.
    """

    kind: str
    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    other_school: str = ""


def placement_of(student: Student) -> dict[str, Any]:
    """The student's placement and status as a case stores them (JSON: ids, ISO dates, decimals as text)."""
    return {
        "college": student.college_id,
        "major": student.major_id,
        "grade": student.grade,
        "expected_graduation_date": iso_date(student.expected_graduation_date),
        "program_years": _decimal_text(student.program_years),
        "student_status": student.student_status,
    }


def iso_date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.1")))


TRANSFER_IN_ELSEWHERE = gettext_lazy(
    "转学（转入）的学生尚无本校学籍：请用“转学（转入）”登记其身份信息和原学校，批准后建立学籍"
)

FIELD_LABELS = {
    "college": gettext_lazy("院系"),
    "major": gettext_lazy("专业"),
    "grade": gettext_lazy("年级"),
    "expected_graduation_date": gettext_lazy("预计毕业日期"),
    "program_years": gettext_lazy("学制"),
    "student_status": gettext_lazy("学籍状态"),
}


def _clean_value(name: str, value: Any) -> Any:
    """One requested placement value in its stored form; ``ValueError`` with a Chinese reason."""
    if name in ("college", "major"):
        return int(value.pk if hasattr(value, "pk") else value)
    if name == "grade":
        grade = int(value)
        if not 1950 <= grade <= 2100:
            raise ValueError(_("年级应为四位年份，如2027"))
        return grade
    if name == "expected_graduation_date":
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        return day.isoformat()
    if name == "program_years":
        try:
            years = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(_("学制应为数字，如4或2.5")) from exc
        if not Decimal("1") <= years <= Decimal("10"):
            raise ValueError(_("学制应在1至10年之间"))
        return _decimal_text(years)
    raise ValueError(name)


def change_problems(
    setting: ChangeKindSetting,
    student: Student,
    given: ChangeInput,
    *,
    majors: Mapping[int, Major],
    colleges: Mapping[int, College],
) -> tuple[list[str], dict[str, Any]]:
    """Every problem of one change for one student, and the values it will leave (ANN-4, ANN-5).

    The student's status must allow the kind (复学 only from 休学: the declared
    sources of the kind's transition); a period kind needs its dates, a transfer
    the other school; only the placement fields the kind changes may be given,
    and a placement kind without a status change (转专业, 留级 …) must change one.
    ``majors`` and ``colleges`` hold every id the input names (one query for a whole list).
    """
    label = setting.get_kind_display()
    if setting.kind == Kind.TRANSFER_IN:  # names someone with no 学籍 here yet: ``transfer_in`` files it
        return [str(TRANSFER_IN_ELSEWHERE)], {}
    problems: list[str] = []
    if not given.reason.strip():
        problems.append(_("请填写异动原因"))
    if not status_allows(setting, student.student_status):
        problems.append(
            _("当前学籍状态为“%(status)s”，不能办理%(kind)s")
            % {"status": student.get_student_status_display(), "kind": label}
        )
    if setting.needs_period:
        if given.period_start is None or given.period_end is None:
            problems.append(_("%(kind)s须填写起止日期") % {"kind": label})
        elif given.period_end <= given.period_start:
            problems.append(_("截止日期应晚于起始日期"))
    elif given.period_start or given.period_end:
        problems.append(_("%(kind)s无须填写起止日期") % {"kind": label})
    if setting.needs_other_school and not given.other_school.strip():
        problems.append(_("%(kind)s须填写去向学校") % {"kind": label})
    before = placement_of(student)
    after: dict[str, Any] = {}
    allowed = setting.placement_fields()
    for name, value in given.values.items():
        if value in (None, ""):
            continue
        if name not in PLACEMENT_FIELDS:
            problems.append(_("未知的字段：%(field)s") % {"field": name})
            continue
        if name not in allowed:
            problems.append(_("%(kind)s不变更%(field)s") % {"kind": label, "field": FIELD_LABELS[name]})
            continue
        try:
            after[name] = _clean_value(name, value)
        except (TypeError, ValueError) as exc:
            problems.append(f"{FIELD_LABELS[name]}：{exc}")
    if "college" in after and after["college"] not in colleges:
        problems.append(_("院系不存在"))
    elif (
        "college" in after
        and "major" not in after
        and majors[student.major_id].college_id != after["college"]
    ):
        problems.append(_("变更院系须同时填写新院系的专业"))
    if "major" in after:
        major = majors.get(after["major"])
        if major is None:
            problems.append(_("专业不存在"))
        else:
            if "college" in allowed:
                after.setdefault("college", major.college_id)
            if major.college_id != after.get("college", student.college_id):
                problems.append(_("专业“%(major)s”不属于所选院系") % {"major": major.name})
    after = {name: value for name, value in after.items() if value != before[name]}
    if allowed and not setting.transition and not setting.needs_other_school and not after:
        fields = "、".join(str(FIELD_LABELS[name]) for name in allowed)
        problems.append(_("请填写%(kind)s后的%(fields)s") % {"kind": label, "fields": fields})
    target = resulting_status(setting)
    if target is not None:
        after["student_status"] = target
    return problems, after


def lookups_for(inputs: Iterable[ChangeInput], students: Iterable[Student]) -> tuple[dict, dict]:
    """The majors and colleges the inputs name, and the students' own majors: two queries."""
    major_ids, college_ids = set(), set()
    for given in inputs:
        for name, ids in (("major", major_ids), ("college", college_ids)):
            value = given.values.get(name)
            if value not in (None, ""):
                with contextlib.suppress(TypeError, ValueError):
                    ids.add(int(value.pk if hasattr(value, "pk") else value))
    major_ids.update(s.major_id for s in students)
    majors = {m.pk: m for m in Major.objects.filter(pk__in=major_ids)}
    colleges = {c.pk: c for c in College.objects.filter(pk__in=college_ids)}
    return majors, colleges


def open_change_of(student_ids: Iterable[int], *, batch: Batch | None = None) -> dict[int, StatusChange]:
    """Each student's open change (draft, submitted, returned), leaving out those of ``batch``."""
    found = StatusChange.objects.filter(student_id__in=list(student_ids), state__in=OPEN_STATES)
    if batch is not None:
        found = found.exclude(batch=batch)
    return {change.student_id: change for change in found}


def open_change_refusal(change: StatusChange) -> str:
    return _("已有一项未办结的学籍异动（%(kind)s，%(state)s），办结或撤回后才能再提出") % {
        "kind": change.get_kind_display(),
        "state": change.get_state_display(),
    }
