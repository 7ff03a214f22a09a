"""录取数据更正申请 to the provincial admissions office (ENR-8): draft → sent → answered → applied."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from enrollment.models import (
    AdmissionRecord,
    CorrectionRequest,
)
from enrollment.services.records import record_for_update
from enrollment.services.transitions import lock_records
from registrar import codes
from registrar.idcard import IdNumberError, clean_id_number, consistency_errors, mask, normalize
from registrar.models import Student, User
from registrar.roles import is_college_staff, is_registrar
from registrar.services import DomainError
from registrar.transitions import may_fire

# ---------------------------------------------------------------- corrections (ENR-8)

# Field → its name, lazy: pages and messages read it in the active language.
CORRECTABLE = {
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "birth_date": gettext_lazy("出生日期"),
    "ethnicity": gettext_lazy("民族"),
    "id_type": gettext_lazy("证件类型"),
    "id_number": gettext_lazy("证件号码"),
    "political_status": gettext_lazy("政治面貌"),
}


def masked_values(values: dict[str, Any]) -> dict[str, str]:
    """Requested or answered values as shown to staff: the id number masked (SEC-2), the rest as text."""
    return {key: mask(value) if key == "id_number" else str(value) for key, value in values.items()}


def shown_values(values: dict[str, Any]) -> str:
    """The values of a correction as one line for a page: 字段：值、…, the id number masked."""
    return "、".join(f"{CORRECTABLE.get(key, key)}：{value}" for key, value in masked_values(values).items())


def _checked_id_number(id_type: str, number: str) -> str:
    """The corrected id number in its stored form (ENR-6): a look-alike digit is refused, not stored."""
    try:
        return clean_id_number(id_type, number)
    except IdNumberError as exc:
        raise DomainError(str(exc)) from exc


def _clean_correction(record: AdmissionRecord, values: dict[str, Any]) -> dict[str, Any]:
    from enrollment.imports import parse_date

    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise DomainError(_("不能更正的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
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
            raise DomainError(_("%(field)s不能为空") % {"field": CORRECTABLE[key]})
        if key in tables:
            code = codes.code_of(tables[key], text)
            if code is None:
                raise DomainError(_("%(field)s“%(value)s”无效") % {"field": CORRECTABLE[key], "value": text})
            clean[key] = code
        elif key == "birth_date":
            try:
                clean[key] = parse_date(value).isoformat()
            except ValueError as exc:
                raise DomainError(_("出生日期：%(reason)s") % {"reason": exc}) from exc
        elif key == "id_number":
            clean[key] = normalize(text)  # checked below, with the id type it belongs to
        else:
            clean[key] = text
        limit = AdmissionRecord._meta.get_field(key).max_length
        if limit and len(clean[key]) > limit:
            raise DomainError(
                _("%(field)s不能超过%(limit)d个字符") % {"field": CORRECTABLE[key], "limit": limit}
            )
    merged_type = clean.get("id_type", record.id_type)
    if "id_number" in clean or "id_type" in clean:
        number = _checked_id_number(merged_type, clean.get("id_number", record.id_number))
        if "id_number" in clean:
            clean["id_number"] = number
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
        raise PermissionDenied(_("无权申请更正"))
    if not reason.strip():
        raise DomainError(_("请填写原因"))
    record = record_for_update(actor, record_id)
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


def _correction_for_update(actor: User, request_id: int, transition: str) -> CorrectionRequest:
    if not may_fire(actor, CorrectionRequest(), transition):
        raise PermissionDenied(_("只有教务处可以向省招生部门报送和登记答复"))
    if not CorrectionRequest.objects.for_user(actor).filter(pk=request_id).exists():
        raise CorrectionRequest.DoesNotExist(_("更正申请不存在"))
    return CorrectionRequest.objects.select_for_update().select_related("record").get(pk=request_id)


def _move_correction(
    actor: User,
    request: CorrectionRequest,
    name: str,
    document_number: str = "",
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    from django_fsm import can_proceed

    method = getattr(request, name)
    if not can_proceed(method):
        raise DomainError(_("更正申请当前为“%(state)s”，不能办理") % {"state": request.get_state_display()})
    before = request.state
    method(by=actor, at=timezone.now(), reason=reason, document_number=document_number, details=details or {})
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
    request = _correction_for_update(actor, request_id, "send")
    _move_correction(actor, request, "send", document_number)
    return request


@transaction.atomic
def correction_answer(
    *, actor: User, request_id: int, answer: dict[str, Any], note: str = "", document_number: str = ""
) -> CorrectionRequest:
    """登记省招生部门的答复 (ENR-8): the values it confirmed (possibly none)."""
    request = _correction_for_update(actor, request_id, "record_answer")
    clean = _clean_correction(request.record, answer) if answer else {}
    _move_correction(actor, request, "record_answer", document_number, reason=note, details=clean)
    return request


@transaction.atomic
def correction_apply(*, actor: User, request_id: int) -> CorrectionRequest:
    """按答复更正 (ENR-8, ANN-8): identity fields change through the history-keeping path, old values stay."""
    request = _correction_for_update(actor, request_id, "apply")
    record = lock_records([request.record_id], full=True)[request.record_id]
    answer = dict(request.answer)
    if "id_number" in answer or "id_type" in answer:
        # An answer recorded before id numbers were normalised is checked again, not trusted (ENR-6).
        number = _checked_id_number(
            answer.get("id_type", record.id_type), answer.get("id_number", record.id_number)
        )
        if "id_number" in answer:
            answer["id_number"] = number
    before = {k: getattr(record, k) for k in answer}
    if answer:
        if not record.history.exists():
            AdmissionRecord.history.bulk_history_create([record])
        for key, value in answer.items():
            setattr(record, key, datetime.date.fromisoformat(value) if key == "birth_date" else value)
        record._change_reason = f"录取数据更正：{request.document_number}"
        try:
            with transaction.atomic():
                record.save(update_fields=[*answer.keys(), "updated_at"])
                if record.student_id:
                    student = Student.objects.select_for_update().get(pk=record.student_id)
                    for key in answer:
                        setattr(student, key, getattr(record, key))
                    student._change_reason = f"录取数据更正：{request.document_number}"
                    student.save(update_fields=list(answer.keys()))
        except IntegrityError as exc:
            # Another record of the year, or another active 学籍, holds the corrected id number (ENR-6).
            raise DomainError(_("更正后的证件号码已被本年度其他录取数据或其他在籍学籍使用，未更正")) from exc
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
