"""The freshman's side (ENR-11): confirmation, error reports and their answer, first passwords; the 学籍
of a freshman back from a deferral taken after registration (ENR-5)."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from enrollment.models import (
    AdmissionRecord,
    CorrectionState,
    DataReport,
)
from registrar.models import Batch, User
from registrar.roles import acts_for_college, is_college_staff, is_registrar
from registrar.services import DomainError, student_change_status_many

# ---------------------------------------------------------------- the student (ENR-11)


def own_record(user: User) -> AdmissionRecord:
    record = AdmissionRecord.objects.for_user(user).filter(student_id=user.student_id).first()
    if user.student_id is None or record is None:
        raise AdmissionRecord.DoesNotExist(_("没有与该账号关联的录取数据"))
    return record


@transaction.atomic
def admission_confirm(*, user: User) -> AdmissionRecord:
    """学生核对并确认本人注册信息 (ENR-11); refused while the student's own error report is open."""
    record = own_record(user)
    if DataReport.objects.filter(record=record, resolved_at__isnull=True).exists():
        raise DomainError(_("你报告的信息错误还在核实处理中，处理完毕后再确认信息无误"))
    now = timezone.now()
    AdmissionRecord.objects.filter(pk=record.pk).update(confirmed_at=now)
    record.confirmed_at = now
    audit_record(
        actor=user, action="enrollment.admission.confirm", subject=record, after={"confirmed_at": now}
    )
    return record


@transaction.atomic
def admission_report_error(*, user: User, description: str) -> DataReport:
    """学生报告注册信息有误 (ENR-11); the college answers it."""
    description = description.strip()
    if not description:
        raise DomainError(_("请说明哪项信息有误"))
    if len(description) > 1000:
        raise DomainError(_("说明不能超过%(limit)s字") % {"limit": 1000})
    record = own_record(user)
    report = DataReport.objects.create(record=record, description=description)
    audit_record(
        actor=user,
        action="enrollment.admission.report_error",
        subject=report,
        after={"description": description},
        college_id=record.college_id,
        student_id=record.student_id,
    )
    return report


# ---------------------------------------------------------------- first passwords

# Initial passwords are random (≈ 60 bits) and hashed with fewer PBKDF2 rounds so that a college's
# sheet is quick to make; Django re-hashes them at full strength on the first sign-in.
INITIAL_PASSWORD_ITERATIONS = 20_000
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


@transaction.atomic
def student_passwords_issue(*, actor: User, batch_id: int) -> list[tuple[str, str, str]]:
    """初始密码单: new random first passwords for the students this list registered who never signed in.

    Returns (学号, 姓名, 初始密码) for the college to hand out; every sheet
    replaces the passwords of the sheet before. Never derived from the id number.
    """
    batch = Batch.objects.for_user(actor).filter(pk=batch_id).first()
    if batch is None:
        raise Batch.DoesNotExist(_("批次不存在"))
    if not acts_for_college(actor, batch.college_id):
        raise PermissionDenied(_("无权生成初始密码"))
    users = list(
        User.objects.select_for_update()
        .filter(student__admission_record__review_items__batch=batch, last_login__isnull=True)
        .select_related("student")
        .order_by("username")
    )
    hasher = PBKDF2PasswordHasher()
    sheet = []
    for user in users:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(10))
        user.password = hasher.encode(password, hasher.salt(), iterations=INITIAL_PASSWORD_ITERATIONS)
        sheet.append((user.username, user.student.name, password))
    User.objects.bulk_update(users, ["password"], batch_size=1000)
    audit_record(
        actor=actor,
        action="enrollment.student.passwords_issue",
        subject=batch,
        after={"accounts": [u.username for u in users]},
    )
    return sheet


@transaction.atomic
def data_report_resolve(*, actor: User, report_id: int, note: str = "") -> DataReport:
    """学生报告的信息错误已处理 (ENR-11): the college answers for the completeness of the data.

    Corrected when a correction of the record was applied since the report (ENR-8);
    otherwise the student is told why not, so ``note`` is then required.
    """
    if not (is_registrar(actor) or is_college_staff(actor)):
        raise PermissionDenied(_("无权处理"))
    report = DataReport.objects.for_user(actor).select_for_update().filter(pk=report_id).first()
    if report is None:
        raise DataReport.DoesNotExist(_("报告不存在"))
    if report.resolved_at is not None:
        raise DomainError(_("该报告已处理"))
    note = note.strip()
    report.corrected = report.record.corrections.filter(
        state=CorrectionState.APPLIED, applied_at__gte=report.created_at
    ).exists()
    if not report.corrected and not note:
        raise DomainError(_("信息未更正，请说明原因（学生将看到这一说明）"))
    report.resolved_at = timezone.now()
    report.answer = note[:1000]
    report.save(update_fields=["resolved_at", "corrected", "answer"])
    audit_record(
        actor=actor,
        action="enrollment.report.resolve",
        subject=report,
        after={"resolved_at": report.resolved_at, "corrected": report.corrected, "answer": report.answer},
        reason=note,
        college_id=report.record.college_id,
        student_id=report.record.student_id,
    )
    return report


# ---------------------------------------------------------------- back from 保留入学资格 (ENR-4, ENR-5)

REREGISTER_REASON = "保留入学资格后申请入学，复查合格，重新注册学籍"


def students_reregister(*, actor: User | None, student_ids: list[int], document_number: str = "") -> int:
    """重新注册学籍 (ENR-4, ENR-5): freshmen who took 保留入学资格 after registration and were registered again.

    Their Student rows (same 学号, same account) go back in school, set-based, one audit event each;
    one who meanwhile holds another active 学籍 refuses the whole call (ENR-6). Returns how many.
    """
    try:
        with transaction.atomic():
            return student_change_status_many(
                actor=actor,
                student_ids=student_ids,
                transition="reregister",
                reason=REREGISTER_REASON,
                document_number=document_number,
            )
    except IntegrityError as exc:
        raise DomainError(_("有学生的证件号码已有在籍学籍，不能重新注册学籍（ENR-6），请核对后重试")) from exc
