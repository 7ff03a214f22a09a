"""转学（转入） (ANN-4): a student of another school gets a 学籍 here once the registrar approves.

Until then the person is no student of this school: the case (code 22) names them
in ``StatusChange.incoming`` (identity as their id document says, the 学号 and
major the college gives them, their entry date), with the school they come from,
which is required. Approval (``change_approval.changes_approve``) creates the
student through the core's ``student_create`` (在籍, the first history row, an
account) and the case then names them, like every other case.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.models import ChangeKindSetting, ChangeState, StatusChange
from annual_registration.models.changes import OPEN_STATES
from annual_registration.services.change_rules import ChangeInput, iso_date, kind_unavailable
from audit.services import audit_record
from registrar import codes
from registrar.errors import DomainError
from registrar.idcard import IdNumberError, clean_id_number, consistency_errors, mask
from registrar.models import Major, School, Student, User
from registrar.roles import acts_for_college, can_write
from registrar.services import student_create
from registrar.sheets.cells import student_number

Kind = codes.StatusChangeKind


@dataclass(frozen=True)
class IncomingStudent:
    """The person transferring in, as the college files them: identity, and their place here."""

    student_number: str
    name: str
    gender: str
    ethnicity: str
    birth_date: datetime.date
    id_type: str
    id_number: str
    major_id: int
    entry_date: datetime.date
    exam_number: str = ""
    grade: int | None = None
    expected_graduation_date: datetime.date | None = None
    program_years: Decimal | None = None


def incoming_from(data: Mapping[str, Any]) -> tuple[IncomingStudent, ChangeInput]:
    """The person and the case as a form or the API gives them (``major`` a Major or its id)."""
    major = data["major"]
    person = IncomingStudent(
        student_number=data["student_number"].strip(),
        name=data["name"].strip(),
        gender=data["gender"],
        ethnicity=data["ethnicity"],
        birth_date=data["birth_date"],
        id_type=data["id_type"],
        id_number=data["id_number"],
        major_id=getattr(major, "pk", major),
        entry_date=data["entry_date"],
        exam_number=data.get("exam_number") or "",
        grade=data.get("grade"),
        expected_graduation_date=data.get("expected_graduation_date"),
        program_years=data.get("program_years"),
    )
    given = ChangeInput(kind=Kind.TRANSFER_IN, reason=data["reason"], other_school=data["other_school"])
    return person, given


def _identity_problems(person: IncomingStudent) -> tuple[list[str], str]:
    """What is wrong with the person's identity, and the id number as it is stored (ENR-6)."""
    problems = []
    if not person.name.strip() or len(person.name) > 50 or not person.name.isprintable():
        problems.append(_("姓名应为不超过50个字符的文字"))
    if person.gender not in codes.Gender.values:
        problems.append(_("性别无效"))
    if person.ethnicity not in codes.Ethnicity.values:
        problems.append(_("民族无效"))
    if person.id_type not in codes.IdType.values:
        problems.append(_("证件类型无效"))
    if person.birth_date > timezone.localdate():
        problems.append(_("出生日期不能晚于今天"))
    number = ""
    try:
        number = clean_id_number(person.id_type, person.id_number)
    except IdNumberError as exc:
        problems.append(_("证件号码：%(reason)s") % {"reason": exc})
    if number and person.id_type == codes.IdType.RESIDENT_ID:
        problems.extend(consistency_errors(number, person.birth_date, person.gender))
    return problems, number


def _place_problems(actor: User, person: IncomingStudent) -> tuple[list[str], Major | None]:
    major = Major.objects.filter(pk=person.major_id).first()
    problems = []
    if major is None:
        problems.append(_("专业不存在"))
    elif not acts_for_college(actor, major.college_id):
        problems.append(_("只能转入本学院的专业"))
    try:
        student_number(person.student_number or "", None)
    except ValueError as exc:
        problems.append(str(exc))
    else:
        if Student.objects.filter(student_number=person.student_number).exists():
            problems.append(_("学号%(number)s已被使用") % {"number": person.student_number})
    if person.entry_date > timezone.localdate():
        problems.append(_("入学日期不能晚于今天"))
    if person.grade is not None and not 1950 <= person.grade <= 2100:
        problems.append(_("年级应为四位年份，如2027"))
    if person.program_years is not None and not Decimal("1") <= person.program_years <= Decimal("10"):
        problems.append(_("学制应在1至10年之间"))
    return problems, major


def _elsewhere_problems(person: IncomingStudent, number: str) -> list[str]:
    """Another active 学籍 under the number (ENR-6), or another transfer-in of the same person under way."""
    problems = []
    active = Student.objects.filter(
        id_type=person.id_type, id_number=number, student_status__in=codes.ACTIVE_STUDENT_STATUSES
    )
    if number and active.exists():
        problems.append(_("证件号码%(number)s已有在籍学籍（ENR-6）") % {"number": mask(number)})
    open_cases = StatusChange.objects.filter(
        kind=Kind.TRANSFER_IN, student__isnull=True, state__in=OPEN_STATES
    )
    if number and open_cases.filter(incoming__id_number=number).exists():
        problems.append(_("该学生已有一项未办结的转学（转入）"))
    if open_cases.filter(incoming__student_number=person.student_number).exists():
        problems.append(
            _("学号%(number)s已用于另一项未办结的转学（转入）") % {"number": person.student_number}
        )
    return problems


@transaction.atomic
def transfer_in_file(*, actor: User, person: IncomingStudent, given: ChangeInput) -> StatusChange:
    """提出转学（转入） (ANN-4): a draft naming the person, refused with every reason at once.

    Refused: no source school, no reason, an identity that does not hold together
    (id number against birth date and gender), a 学号 in use, another active 学籍
    under the id number (ENR-6), a major outside the filer's colleges.
    """
    if not can_write(actor):
        raise PermissionDenied(_("无权提出学籍异动"))
    setting = ChangeKindSetting.objects.filter(kind=Kind.TRANSFER_IN).first()
    unavailable = kind_unavailable(setting, School.current())
    if unavailable:
        raise DomainError(unavailable)
    problems = []
    if not given.reason.strip():
        problems.append(_("请填写异动原因"))
    if not given.other_school.strip():
        problems.append(_("转学（转入）须填写原学校"))
    identity, number = _identity_problems(person)
    place, major = _place_problems(actor, person)
    problems += identity + place + _elsewhere_problems(person, number)
    if problems:
        raise DomainError(_("%(who)s：%(problems)s") % {"who": person.name, "problems": "；".join(problems)})
    after: dict[str, Any] = {
        "college": major.college_id,
        "major": major.pk,
        "program_years": str(person.program_years or major.program_years),
    }
    if person.grade:
        after["grade"] = person.grade
    if person.expected_graduation_date:
        after["expected_graduation_date"] = iso_date(person.expected_graduation_date)
    change = StatusChange.objects.create(
        student=None,
        college_id=major.college_id,
        kind=Kind.TRANSFER_IN,
        reason=given.reason.strip(),
        other_school=given.other_school.strip()[:100],
        incoming=_incoming(person, number, major),
        values_before={},
        values_after=after,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="annual_registration.change.file",
        subject=change,
        after={
            "kind": change.kind,
            "incoming": {**change.incoming, "id_number": mask(number)},
            "values_after": after,
            "other_school": change.other_school,
        },
        reason=change.reason,
        college_id=major.college_id,
    )
    return change


def _incoming(person: IncomingStudent, number: str, major: Major) -> dict[str, Any]:
    """The person as the case stores them (JSON), in ``student_create``'s terms."""
    return {
        "student_number": person.student_number,
        "name": person.name.strip(),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth_date.isoformat(),
        "id_type": person.id_type,
        "id_number": number,
        "exam_number": person.exam_number.strip(),
        "level": major.level,
        "entry_date": person.entry_date.isoformat(),
    }


def incoming_students_create(actor: User, changes: list[Any], *, document_number: str) -> dict[int, Student]:
    """At approval: each transfer-in's student, created through the core (在籍, history, account); case id → student.

    The case then names its student (``student_id`` set on the locked case and stored).
    """
    created = {}
    for change in changes:
        incoming, after = change.incoming, change.values_after
        values = {
            **{k: v for k, v in incoming.items() if k not in ("birth_date", "entry_date")},
            "birth_date": datetime.date.fromisoformat(incoming["birth_date"]),
            "entry_date": datetime.date.fromisoformat(incoming["entry_date"]),
            "college_id": after["college"],
            "major_id": after["major"],
            "program_years": Decimal(after["program_years"]),
            "grade_year": after.get("grade"),
            "expected_graduation_date": datetime.date.fromisoformat(after["expected_graduation_date"])
            if after.get("expected_graduation_date")
            else None,
        }
        student = student_create(
            actor=actor,
            values=values,
            reason=f"转学（转入）：自{change.other_school}转入"[:100],
            document_number=document_number,
        )
        change.student_id = student.pk
        StatusChange.objects.filter(pk=change.pk, student__isnull=True).update(student=student)
        created[change.pk] = student
    return created


def is_incoming(change: Any) -> bool:
    """A transfer-in whose student does not exist yet (approval creates them)."""
    return change.kind == Kind.TRANSFER_IN and not change.student_id and change.state != ChangeState.WITHDRAWN
