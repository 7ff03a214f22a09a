"""学籍记载 (ANN-7): the registrar records rewards and punishments, lifts punishments and issues certificates.

Every write is the registrar office's (SEC-1), runs in one transaction and records
its audit event, placed with the student. The checks of each write are functions
of their own (``clean_award`` …), so that a form can show their reasons next to
its fields before the service runs them again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _

from annual_registration.models import Award, CertificateCounter, IssuedCertificate, Punishment
from annual_registration.models.records import (
    CERTIFICATE_LETTERS,
    AwardLevel,
    CertificateKind,
    PunishmentKind,
)
from annual_registration.services.decisions import fire
from audit.services import audit_record
from registrar import codes
from registrar.errors import DomainError
from registrar.inputs import clean_text as _text
from registrar.inputs import past_date as _past_date
from registrar.models import School, Student, User
from registrar.roles import is_registrar

# Most punishments run 6 to 12 months (教育部令第41号 第五十七条); a school's own rules may differ a little.
PERIOD_MONTHS = range(1, 25)


def _registrar_only(actor: User) -> None:
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以登记学籍记载"))


def _student(actor: User, student_id: int) -> Student:
    """The student, if the actor may see them; another college's is ``DoesNotExist`` (404)."""
    return Student.objects.for_user(actor).get(pk=student_id)


def _during_studies(student: Student, day: datetime.date | None, label: str) -> datetime.date:
    """学籍记载 is of the student's time here: not before they entered, not after today (ANN-7)."""
    day = _past_date(day, label)
    if day < student.entry_date:
        raise DomainError(
            _("%(field)s不能早于入学日期（%(entry)s）")
            % {"field": label, "entry": f"{student.entry_date:%Y-%m-%d}"}
        )
    return day


# ---------------------------------------------------------------- awards


@dataclass(frozen=True)
class AwardInput:
    name: str
    level: str
    awarded_on: datetime.date | None
    granting_body: str
    document_number: str = ""
    note: str = ""


def clean_award(student: Student, data: AwardInput) -> AwardInput:
    """The award's fields as stored, or ``DomainError`` naming the first that is wrong (ANN-7)."""
    if data.level not in AwardLevel.values:
        raise DomainError(_("请选择奖励级别"))
    return AwardInput(
        name=_text(data.name, _("奖励名称"), 100),
        level=data.level,
        awarded_on=_during_studies(student, data.awarded_on, _("获奖日期")),
        granting_body=_text(data.granting_body, _("授予单位"), 100),
        document_number=_text(data.document_number, _("文号"), 100, required=False),
        note=_text(data.note, _("说明"), 200, required=False),
    )


@transaction.atomic
def award_record(*, actor: User, student_id: int, data: AwardInput) -> Award:
    """登记奖励 (ANN-7): name, level, date and granting body; the registrar's (SEC-1)."""
    _registrar_only(actor)
    student = _student(actor, student_id)
    clean = clean_award(student, data)
    award = Award.objects.create(student=student, recorded_by=actor, **clean.__dict__)
    audit_record(
        actor=actor,
        action="annual_registration.award.record",
        subject=award,
        after={
            "name": award.name,
            "level": award.level,
            "awarded_on": award.awarded_on.isoformat(),
            "granting_body": award.granting_body,
        },
        reason=award.note,
        document_number=award.document_number,
    )
    return award


# ---------------------------------------------------------------- punishments


@dataclass(frozen=True)
class PunishmentInput:
    kind: str
    reason: str
    document_number: str
    decided_on: datetime.date | None
    period_months: int | None = None


def clean_punishment(student: Student, data: PunishmentInput) -> PunishmentInput:
    """A punishment's fields as stored (ANN-7): 文号 and reason required; a period except for 开除学籍."""
    if data.kind not in PunishmentKind.values:
        raise DomainError(_("请选择处分种类"))
    if data.kind == PunishmentKind.EXPULSION:
        if data.period_months:
            raise DomainError(_("开除学籍处分不设处分期限"))
    elif data.period_months not in PERIOD_MONTHS:
        raise DomainError(
            _("请填写处分期限（%(low)d至%(high)d个月）")
            % {"low": PERIOD_MONTHS[0], "high": PERIOD_MONTHS[-1]}
        )
    return PunishmentInput(
        kind=data.kind,
        reason=_text(data.reason, _("处分原因"), 500),
        document_number=_text(data.document_number, _("处分文号"), 100),
        decided_on=_during_studies(student, data.decided_on, _("处分日期")),
        period_months=data.period_months if data.kind != PunishmentKind.EXPULSION else None,
    )


@transaction.atomic
def punishment_record(*, actor: User, student_id: int, data: PunishmentInput) -> Punishment:
    """登记处分 (ANN-7): 警告 … 开除学籍, with reason, 文号, date and period.

    A 开除学籍 is recorded here as a punishment; the 学籍 itself ends through its
    deregistration (学籍注销, ANN-5), a status change the registrar decides apart.
    """
    _registrar_only(actor)
    student = _student(actor, student_id)
    clean = clean_punishment(student, data)
    punishment = Punishment.objects.create(student=student, recorded_by=actor, **clean.__dict__)
    audit_record(
        actor=actor,
        action="annual_registration.punishment.record",
        subject=punishment,
        after={
            "kind": punishment.kind,
            "decided_on": punishment.decided_on.isoformat(),
            "period_months": punishment.period_months,
            "state": punishment.state,
        },
        reason=punishment.reason,
        document_number=punishment.document_number,
    )
    return punishment


@transaction.atomic
def punishment_lift(
    *,
    actor: User,
    punishment_id: int,
    lifted_on: datetime.date | None,
    document_number: str,
    reason: str = "",
) -> Punishment:
    """解除处分 (ANN-7): a decision with its date and 文号, never an edit of the punishment.

    开除学籍 is never lifted. Lifting before the period ends (提前解除) needs a reason.
    """
    if not Punishment.objects.for_user(actor).filter(pk=punishment_id).exists():
        raise Punishment.DoesNotExist(_("处分不存在"))
    _registrar_only(actor)
    punishment = Punishment.objects.select_for_update().get(pk=punishment_id)
    if punishment.kind == PunishmentKind.EXPULSION:
        raise DomainError(_("开除学籍处分不能解除"))
    lifted_on = _past_date(lifted_on, _("解除日期"))
    if lifted_on < punishment.decided_on:
        raise DomainError(_("解除日期不能早于处分日期"))
    document_number = _text(document_number, _("解除文号"), 100)
    reason = _text(reason, _("解除说明"), 500, required=False)
    end = punishment.period_end
    if end is not None and lifted_on < end and not reason:
        raise DomainError(_("处分期至%(end)s，提前解除须说明理由") % {"end": f"{end:%Y-%m-%d}"})
    before = fire(
        punishment, "lift", actor=actor, date=lifted_on, reason=reason, document_number=document_number
    )
    punishment.save(update_fields=["state", "lifted_on", "lift_document_number", "lift_reason"])
    audit_record(
        actor=actor,
        action="annual_registration.punishment.lift",
        subject=punishment,
        before={"state": before},
        after={"state": punishment.state, "lifted_on": lifted_on.isoformat()},
        reason=reason,
        document_number=document_number,
    )
    return punishment


# ---------------------------------------------------------------- other certificates


def _next_sequence(school: School, year: int, kind: str) -> int:
    """The next number of (school, year, kind): one statement that inserts or raises the counter.

    Two issuers at once: PostgreSQL makes the second wait on the first's row (or on its
    insert of a new key) and then hands it the next number; a rolled-back issue gives
    its number back with it.
    """
    table = CertificateCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (school_id, year, kind, last) VALUES (%s, %s, %s, 1)
            ON CONFLICT (school_id, year, kind) DO UPDATE SET last = {table}.last + 1
            RETURNING last
            """,
            [school.pk, year, kind],
        )
        return cursor.fetchone()[0]


def certificate_number(school: School, year: int, kind: str, sequence: int) -> str:
    """学校代码 (5) + year (4) + the kind's letter + a 5-digit sequence, e.g. 100012027Y00001."""
    return f"{school.code}{year}{CERTIFICATE_LETTERS[kind]}{sequence:05d}"


def clean_certificate(
    student: Student, kind: str, issued_on: datetime.date | None, note: str = "", *, attended: bool = False
) -> tuple[str, datetime.date, str]:
    """A certificate's kind, date and note as stored, or ``DomainError`` (ANN-7).

    A 肄业证书 is for a student whose 学籍 has ended (退学 after a year or more of
    study), or whose graduation outcome the registrar approved as 肄业 (``attended``,
    DIP-1: 肄业 is not diploma-registered); a 学习证明 for any student.
    """
    if kind not in CertificateKind.values:
        raise DomainError(_("请选择证书种类"))
    issued_on = _past_date(issued_on, _("发证日期"))
    note = _text(note, _("说明"), 200, required=False)
    if (
        kind == CertificateKind.ATTENDANCE
        and not attended
        and student.student_status != codes.StudentStatus.DEREGISTERED
    ):
        raise DomainError(
            _("%(name)s的学籍状态为“%(status)s”，肄业证书只发给已退学（学籍注销）的学生")
            % {"name": student.name, "status": student.get_student_status_display()}
        )
    return kind, issued_on, note


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    student_id: int,
    kind: str,
    issued_on: datetime.date | None,
    note: str = "",
    attended: bool = False,
) -> IssuedCertificate:
    """发放肄业证书或学习证明 (ANN-7), numbered per school, year and kind without gaps or repeats.

    ``attended``: a 肄业证书 for an approved 肄业 graduation outcome (DIP-1), whatever the 学籍状态.
    """
    _registrar_only(actor)
    student = _student(actor, student_id)
    kind, issued_on, note = clean_certificate(student, kind, issued_on, note, attended=attended)
    school = School.current()
    if school is None:
        raise DomainError(_("请先登记学校信息（学校代码）"))
    sequence = _next_sequence(school, issued_on.year, kind)
    certificate = IssuedCertificate.objects.create(
        student=student,
        school=school,
        kind=kind,
        year=issued_on.year,
        sequence=sequence,
        number=certificate_number(school, issued_on.year, kind, sequence),
        issued_on=issued_on,
        note=note,
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action="annual_registration.certificate.issue",
        subject=certificate,
        after={"kind": kind, "number": certificate.number, "issued_on": issued_on.isoformat()},
        reason=note,
    )
    return certificate
