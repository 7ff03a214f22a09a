"""Single-record decisions: deferral, 复查, corrections, the student's confirmation, first passwords."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from enrollment.models import (
    AdmissionRecord,
    AdmissionState,
    CorrectionRequest,
    DataReport,
    ReviewItem,
)
from enrollment.services.transitions import Step, admission_apply_steps, lock_records
from registrar import codes
from registrar.idcard import consistency_errors, normalize
from registrar.models import Batch, Student, User
from registrar.roles import is_college_staff, is_registrar
from registrar.services import DomainError, student_change_status

SINGLE_TRANSITIONS = {"admit", "readmit", "register", "forfeit", "defer", "cancel", "pass_rereview"}


def _record_for_update(actor: User | None, record_id: int) -> AdmissionRecord:
    if actor is not None and not AdmissionRecord.objects.for_user(actor).filter(pk=record_id).exists():
        raise AdmissionRecord.DoesNotExist("录取数据不存在")
    return lock_records([record_id], full=True)[record_id]


@transaction.atomic
def admission_transition(
    *,
    actor: User | None,
    record_id: int,
    transition: str,
    reason: str,
    document_number: str = "",
    deferral_end: datetime.date | None = None,
) -> AdmissionRecord:
    """录取状态变更 (ENR-2, ENR-3, ENR-4): one record by one declared transition, by the registrar."""
    if transition not in SINGLE_TRANSITIONS:
        raise DomainError(f"未知的录取状态变更：{transition}")
    if actor is not None and not is_registrar(actor):
        raise PermissionDenied("只有教务处可以变更录取状态")
    if not reason.strip():
        raise DomainError("请填写原因")
    record = _record_for_update(actor, record_id)
    if transition == "defer" and deferral_end is None:
        from enrollment.services.review import default_deferral_end

        deferral_end = default_deferral_end()
    if transition == "register" and record.identity_conflict:
        raise DomainError("重名重号待核查，核清后方可注册（ENR-9）")
    admission_apply_steps(
        actor=actor,
        steps=[
            Step(
                record=record,
                transition=transition,
                reason=reason,
                deferral_end=deferral_end,
                rereview_on=timezone.localdate() if transition == "pass_rereview" else None,
            )
        ],
        document_number=document_number,
    )
    return record


@transaction.atomic
def admission_rereview(
    *, actor: User, record_id: int, passed: bool, reason: str, document_number: str = ""
) -> AdmissionRecord:
    """入学资格复查 (ENR-5): within 3 months of entry; fraud cancels the 学籍 (取消学籍, SEC-4)."""
    if not is_registrar(actor):
        raise PermissionDenied("只有教务处可以登记复查结论")
    if passed:
        return admission_transition(
            actor=actor,
            record_id=record_id,
            transition="pass_rereview",
            reason=reason,
            document_number=document_number,
        )
    if not document_number.strip():
        raise DomainError("取消学籍须有处理决定文号")
    record = _record_for_update(actor, record_id)
    admission_apply_steps(
        actor=actor,
        steps=[Step(record=record, transition="revoke", reason=reason)],
        document_number=document_number,
        action_prefix="enrollment.rereview",
    )
    if record.student_id:
        student_change_status(
            actor=actor,
            student_id=record.student_id,
            transition="deregister",
            reason=f"入学资格复查不合格，取消学籍：{reason}",
            document_number=document_number,
            action="enrollment.rereview.status_cancelled",
        )
    return record


@transaction.atomic
def admission_clear_conflict(*, actor: User, record_id: int, reason: str) -> AdmissionRecord:
    """重名重号核清 (ENR-9): the other school confirmed; the record may now be registered."""
    if not is_registrar(actor):
        raise PermissionDenied("只有教务处可以核清重名重号")
    record = _record_for_update(actor, record_id)
    if not record.identity_conflict:
        raise DomainError("该记录没有重名重号标记")
    AdmissionRecord.objects.filter(pk=record.pk).update(identity_conflict=False)
    record.identity_conflict = False
    audit_record(
        actor=actor,
        action="enrollment.admission.clear_conflict",
        subject=record,
        before={"identity_conflict": True},
        after={"identity_conflict": False},
        reason=reason,
    )
    return record


@transaction.atomic
def admission_expire_deferrals(*, actor: User | None = None, today: datetime.date | None = None) -> int:
    """保留入学资格期满未申请入学 → 放弃入学资格 (ENR-4), set-based; records in an open list wait."""
    today = today or timezone.localdate()
    open_items = ReviewItem.objects.exclude(batch__state__in=["approved"]).values("record")
    ids = list(
        AdmissionRecord.objects.filter(state=AdmissionState.DEFERRED, deferral_end__lt=today)
        .exclude(pk__in=open_items)
        .values_list("pk", flat=True)
    )
    records = lock_records(ids)
    steps = [
        Step(record=records[pk], transition="forfeit", reason="保留入学资格期满未申请入学，视为放弃入学资格")
        for pk in sorted(records)
    ]
    admission_apply_steps(actor=actor, steps=steps, action_prefix="enrollment.deferral")
    return len(steps)


# ---------------------------------------------------------------- corrections (ENR-8)

CORRECTABLE = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "political_status": "政治面貌",
}


def _clean_correction(record: AdmissionRecord, values: dict[str, Any]) -> dict[str, Any]:
    from enrollment.imports import parse_date

    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise DomainError(f"不能更正的字段：{'、'.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    tables = {
        "gender": codes.Gender,
        "ethnicity": codes.Ethnicity,
        "id_type": codes.IdType,
        "political_status": codes.PoliticalStatus,
    }
    for key, value in values.items():
        text = str(value).strip()
        if not text:
            raise DomainError(f"{CORRECTABLE[key]}不能为空")
        if key in tables:
            code = codes.code_of(tables[key], text)
            if code is None:
                raise DomainError(f"{CORRECTABLE[key]}“{text}”无效")
            clean[key] = code
        elif key == "birth_date":
            try:
                clean[key] = parse_date(value).isoformat()
            except ValueError as exc:
                raise DomainError(f"出生日期：{exc}") from exc
        elif key == "id_number":
            clean[key] = normalize(text)
        else:
            clean[key] = text[:50]
    merged_type = clean.get("id_type", record.id_type)
    if merged_type == codes.IdType.RESIDENT_ID:
        birth = clean.get("birth_date", record.birth_date)
        if isinstance(birth, str):
            birth = datetime.date.fromisoformat(birth)
        errors = consistency_errors(
            clean.get("id_number", record.id_number), birth, clean.get("gender", record.gender)
        )
        if errors:
            raise DomainError("；".join(errors))
    return clean


@transaction.atomic
def correction_create(
    *, actor: User, record_id: int, requested: dict[str, Any], reason: str
) -> CorrectionRequest:
    """录取数据更正申请 (ENR-8): the college or registrar drafts it with the values it believes right."""
    if not (is_registrar(actor) or is_college_staff(actor)):
        raise PermissionDenied("无权申请更正")
    if not reason.strip():
        raise DomainError("请填写原因")
    record = _record_for_update(actor, record_id)
    request = CorrectionRequest.objects.create(
        record=record, requested=_clean_correction(record, requested), reason=reason, created_by=actor
    )
    audit_record(
        actor=actor,
        action="enrollment.correction.create",
        subject=request,
        after=request.requested,
        reason=reason,
        college_id=record.college_id,
        student_id=record.student_id,
    )
    return request


def _correction_for_update(actor: User, request_id: int) -> CorrectionRequest:
    if not is_registrar(actor):
        raise PermissionDenied("只有教务处可以向省招生部门报送和登记答复")
    if not CorrectionRequest.objects.for_user(actor).filter(pk=request_id).exists():
        raise CorrectionRequest.DoesNotExist("更正申请不存在")
    return CorrectionRequest.objects.select_for_update().select_related("record").get(pk=request_id)


def _move_correction(
    actor: User, request: CorrectionRequest, name: str, document_number: str = "", **kwargs
) -> None:
    from django_fsm import can_proceed

    method = getattr(request, name)
    if not can_proceed(method):
        raise DomainError(f"更正申请当前为“{request.get_state_display()}”，不能办理")
    before = request.state
    method(at=timezone.now(), **kwargs)
    request.document_number = document_number or request.document_number
    request.save()
    audit_record(
        actor=actor,
        action=f"enrollment.correction.{name}",
        subject=request,
        before={"state": before},
        after={"state": request.state, **({"answer": request.answer} if name == "record_answer" else {})},
        document_number=request.document_number,
        college_id=request.record.college_id,
        student_id=request.record.student_id,
    )


@transaction.atomic
def correction_send(*, actor: User, request_id: int, document_number: str = "") -> CorrectionRequest:
    """报送省招生部门 (ENR-8)."""
    request = _correction_for_update(actor, request_id)
    _move_correction(actor, request, "send", document_number)
    return request


@transaction.atomic
def correction_answer(
    *, actor: User, request_id: int, answer: dict[str, Any], note: str = "", document_number: str = ""
) -> CorrectionRequest:
    """登记省招生部门的答复 (ENR-8): the values it confirmed (possibly none)."""
    request = _correction_for_update(actor, request_id)
    clean = _clean_correction(request.record, answer) if answer else {}
    _move_correction(actor, request, "record_answer", document_number, answer=clean, note=note)
    return request


@transaction.atomic
def correction_apply(*, actor: User, request_id: int) -> CorrectionRequest:
    """按答复更正 (ENR-8, ANN-8): identity fields change through the history-keeping path, old values stay."""
    request = _correction_for_update(actor, request_id)
    record = lock_records([request.record_id], full=True)[request.record_id]
    answer = dict(request.answer)
    before = {k: getattr(record, k) for k in answer}
    if answer:
        if not record.history.exists():
            AdmissionRecord.history.bulk_history_create([record])
        for key, value in answer.items():
            setattr(record, key, datetime.date.fromisoformat(value) if key == "birth_date" else value)
        record._change_reason = f"录取数据更正：{request.document_number}"
        record.save(update_fields=[*answer.keys(), "updated_at"])
        if record.student_id:
            student = Student.objects.select_for_update().get(pk=record.student_id)
            for key in answer:
                setattr(student, key, getattr(record, key))
            student._change_reason = f"录取数据更正：{request.document_number}"
            student.save(update_fields=list(answer.keys()))
    _move_correction(actor, request, "apply", request.document_number)
    audit_record(
        actor=actor,
        action="enrollment.admission.correct",
        subject=record,
        before=before,
        after=answer,
        reason=request.reason,
        document_number=request.document_number,
    )
    return request


# ---------------------------------------------------------------- the student (ENR-11)


def own_record(user: User) -> AdmissionRecord:
    record = AdmissionRecord.objects.for_user(user).filter(student_id=user.student_id).first()
    if user.student_id is None or record is None:
        raise AdmissionRecord.DoesNotExist("没有与该账号关联的录取数据")
    return record


@transaction.atomic
def admission_confirm(*, user: User) -> AdmissionRecord:
    """学生核对并确认本人注册信息 (ENR-11)."""
    record = own_record(user)
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
        raise DomainError("请说明哪项信息有误")
    if len(description) > 1000:
        raise DomainError("说明不能超过1000字")
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
        raise Batch.DoesNotExist("批次不存在")
    if not (
        is_registrar(actor)
        or (is_college_staff(actor) and actor.colleges.filter(pk=batch.college_id).exists())
    ):
        raise PermissionDenied("无权生成初始密码")
    users = list(
        User.objects.select_for_update()
        .filter(student__admission_record__review_items__batch=batch, last_login__isnull=True)
        .select_related("student")
        .order_by("username")
    )
    hasher = PBKDF2PasswordHasher()
    sheet = []
    for user in users:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))
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
def admission_rereview_pass_many(
    *, actor: User, record_ids: list[int], reason: str = "入学资格复查合格"
) -> int:
    """入学资格复查合格（批量） (ENR-5): set-based, one audit event per record."""
    if not is_registrar(actor):
        raise PermissionDenied("只有教务处可以登记复查结论")
    visible = set(
        AdmissionRecord.objects.for_user(actor).filter(pk__in=record_ids).values_list("pk", flat=True)
    )
    records = lock_records(sorted(visible))
    today = timezone.localdate()
    steps = [
        Step(record=records[pk], transition="pass_rereview", reason=reason, rereview_on=today)
        for pk in sorted(records)
    ]
    admission_apply_steps(actor=actor, steps=steps, action_prefix="enrollment.rereview")
    return len(steps)


@transaction.atomic
def data_report_resolve(*, actor: User, report_id: int, note: str = "") -> DataReport:
    """学生报告的信息错误已处理 (ENR-11): the college answers for the completeness of the data."""
    if not (is_registrar(actor) or is_college_staff(actor)):
        raise PermissionDenied("无权处理")
    report = DataReport.objects.for_user(actor).select_for_update().filter(pk=report_id).first()
    if report is None:
        raise DataReport.DoesNotExist("报告不存在")
    if report.resolved_at is not None:
        raise DomainError("该报告已处理")
    report.resolved_at = timezone.now()
    report.save(update_fields=["resolved_at"])
    audit_record(
        actor=actor,
        action="enrollment.report.resolve",
        subject=report,
        after={"resolved_at": report.resolved_at},
        reason=note,
        college_id=report.record.college_id,
        student_id=report.record.student_id,
    )
    return report
