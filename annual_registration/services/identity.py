"""学籍信息变更 (ANN-8): filing a request with proof, the decisions of its approval chain, and applying it.

The student, their college's staff or the registrar files; the registrar office
records every decision (SEC-1), including the provincial authority's or the
生源地 admissions office's. The last approval applies the values to the student
through the history-keeping path (``Student.history`` keeps the value before,
N19), with an audit event. Id numbers are checked by ``registrar.idcard`` and
shown masked to everyone but the registrar office (SEC-2).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.models import IdentityChangeRequest, IdentityChangeSettings, IdentityProof
from annual_registration.models.identity import (
    OPEN_IDENTITY_STATES,
    ApprovalChain,
    IdentityField,
    IdentityState,
    RefusalGround,
    validate_field_groups,
)
from annual_registration.services.decisions import fire
from audit.services import audit_record
from enrollment.models import AdmissionRecord
from registrar import codes
from registrar.errors import DomainError
from registrar.idcard import IdNumberError, clean_id_number, consistency_errors, mask
from registrar.models import School, Student, User
from registrar.proofs import ProofFile, proof_save, read_proofs
from registrar.roles import Role, can_write, is_registrar, role_of
from registrar.sheets.cells import parse_date

# The request's values as the student row stores them, and as pages show them.
FIELD_LABELS = dict(IdentityField.choices)


def stored_value(student: Student | AdmissionRecord, field: str) -> str:
    """A student's (or their admission record's) identity field as requests keep it: text, an ISO date, a code."""
    value = getattr(student, field)
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def shown_value(field: str, value: str, *, full_id_number: bool = False) -> str:
    """A stored value as people read it: the ethnicity's name, the id number masked unless ``full_id_number``."""
    if field == IdentityField.ETHNICITY:
        return codes.label_of(codes.Ethnicity, value)
    if field == IdentityField.ID_NUMBER and not full_id_number:
        return mask(value)
    return value


def shown_changes(
    request: IdentityChangeRequest, *, full_id_number: bool = False
) -> list[tuple[str, str, str]]:
    """(field, before, after) of a request, for a page or the API (SEC-2: masked id numbers)."""
    return [
        (
            str(FIELD_LABELS.get(field, field)),
            shown_value(field, request.previous.get(field, ""), full_id_number=full_id_number),
            shown_value(field, value, full_id_number=full_id_number),
        )
        for field, value in request.requested.items()
    ]


# ---------------------------------------------------------------- the school's setting


def settings_for_school() -> IdentityChangeSettings:
    """The installation's school setting (or its default); ``DomainError`` before the school is entered."""
    school = School.current()
    if school is None:
        raise DomainError(_("请先登记学校信息"))
    return IdentityChangeSettings.for_school(school)


@transaction.atomic
def identity_settings_save(
    *, actor: User, chain: str, field_groups: list[list[str]]
) -> IdentityChangeSettings:
    """学籍信息变更设置 (ANN-8): the approval chain and which fields may change together; the registrar's."""
    if not is_registrar(actor):
        raise PermissionDenied(_("只有教务处可以修改学籍信息变更设置"))
    if chain not in ApprovalChain.values:
        raise DomainError(_("请选择审批流程"))
    try:
        validate_field_groups(field_groups)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages)) from exc
    current = settings_for_school()
    before = {"chain": current.chain, "field_groups": current.field_groups} if current.pk else {}
    current.chain, current.field_groups = chain, field_groups
    current.save()
    audit_record(
        actor=actor,
        action="annual_registration.identity_settings.update",
        subject=current,
        before=before,
        after={"chain": chain, "field_groups": field_groups},
    )
    return current


# ---------------------------------------------------------------- filing


def _clean_value(student: Student, field: str, value: Any) -> str:
    """One new value in its stored form, or ``DomainError`` (ANN-8)."""
    label = FIELD_LABELS[field]
    text = str(value if value is not None else "").strip()
    if not text:
        raise DomainError(_("%(field)s不能为空") % {"field": label})
    if field == IdentityField.NAME:
        if len(text) > Student._meta.get_field("name").max_length or not text.isprintable():
            raise DomainError(_("姓名应为不超过50个字符的文字"))
        return text
    if field == IdentityField.ETHNICITY:
        code = codes.code_of(codes.Ethnicity, text)
        if code is None:
            raise DomainError(_("民族“%(value)s”无效") % {"value": text[:20]})
        return code
    if field == IdentityField.BIRTH_DATE:
        try:
            return parse_date(text).isoformat()
        except ValueError as exc:
            raise DomainError(_("出生日期：%(reason)s") % {"reason": exc}) from exc
    try:
        return clean_id_number(student.id_type, text)
    except IdNumberError as exc:
        raise DomainError(_("身份证号：%(reason)s") % {"reason": exc}) from exc


def clean_request(
    student: Student, requested: dict[str, Any], rules: IdentityChangeSettings | None
) -> dict[str, str]:
    """The requested values in stored form, checked one by one and together (ANN-8).

    Refused: an unknown field, a value equal to the current one, fields the school does
    not let change together (``rules``; None once the request was filed under them),
    and a 居民身份证号码 that would disagree with the birth date or the gender (the
    birth date is part of the number).
    """
    if not requested:
        raise DomainError(_("请选择要变更的信息并填写新的内容"))
    unknown = set(requested) - set(IdentityField.values)
    if unknown:
        raise DomainError(_("不能变更的信息：%(fields)s") % {"fields": "、".join(sorted(map(str, unknown)))})
    if rules is not None and not rules.may_change_together(set(requested)):
        names = "、".join(str(FIELD_LABELS[f]) for f in requested)
        raise DomainError(_("本校规定%(fields)s不能在同一申请中一并变更，请分别申请") % {"fields": names})
    clean = {field: _clean_value(student, field, value) for field, value in requested.items()}
    for field, value in clean.items():
        if value == stored_value(student, field):
            raise DomainError(_("%(field)s与现有信息相同，无需变更") % {"field": FIELD_LABELS[field]})
    if student.id_type == codes.IdType.RESIDENT_ID:
        number = clean.get(IdentityField.ID_NUMBER, student.id_number)
        birth = datetime.date.fromisoformat(
            clean.get(IdentityField.BIRTH_DATE, student.birth_date.isoformat())
        )
        problems = consistency_errors(number, birth, student.gender)
        if problems:
            hint = ""
            together = {IdentityField.ID_NUMBER.value, IdentityField.BIRTH_DATE.value}
            if rules is not None and len(clean) == 1 and rules.may_change_together(together):
                hint = _("（如身份证号与出生日期都有误，请在同一申请中一并变更）")
            raise DomainError("；".join(problems) + hint)
    return clean


def _may_file(actor: User, student: Student) -> None:
    """The student themself, their college's staff or the registrar; only while the student holds a 学籍."""
    role = role_of(actor)
    if role == Role.STUDENT:
        if actor.student_id != student.pk:
            raise Student.DoesNotExist
    elif not can_write(actor):
        raise PermissionDenied(_("无权申请学籍信息变更"))
    if student.student_status not in codes.ACTIVE_STUDENT_STATUSES:
        raise DomainError(
            _("学籍状态为“%(status)s”，不再受理学籍信息变更；本人学籍档案仍可查看")
            % {"status": student.get_student_status_display()}
        )


def _store_proofs(request: IdentityChangeRequest, proofs: Sequence[ProofFile], actor: User) -> None:
    for proof in proofs:
        proof_save(IdentityProof, proof, request=request, uploaded_by=actor)


@transaction.atomic
def identity_change_file(
    *,
    actor: User,
    student_id: int,
    requested: dict[str, Any],
    reason: str,
    proofs: Sequence[IO[bytes]],
    gaokao_data_error: bool = False,
) -> IdentityChangeRequest:
    """学籍信息变更申请 (ANN-8): the new values, a reason and legal proof; the school's chain applies.

    Refused with a reason: no proof, a proof too large or not a PDF/JPEG/PNG, a second
    request while one is under way, a student who no longer holds a 学籍, and (where
    the school only corrects 高考 data, SH) a request that is not about a 高考 data error.
    """
    student = Student.objects.for_user(actor).select_for_update().get(pk=student_id)
    _may_file(actor, student)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写变更原因"))
    if len(reason) > 500:
        raise DomainError(_("变更原因不能超过500个字符"))
    rules = settings_for_school()
    if rules.chain == ApprovalChain.ADMISSIONS_OFFICE and not gaokao_data_error:
        raise DomainError(
            _("本校在校期间只受理高考信息采集错误的变更：请先向生源地省级招生部门申请修改，再由学校确认")
        )
    clean = clean_request(student, requested, rules)
    checked = read_proofs(list(proofs))
    if IdentityChangeRequest.objects.filter(student=student, state__in=OPEN_IDENTITY_STATES).exists():
        raise DomainError(_("%(name)s已有办理中的信息变更申请，请等待办结后再申请") % {"name": student.name})
    try:
        with transaction.atomic():
            request = IdentityChangeRequest.objects.create(
                student=student,
                requested=clean,
                previous={field: stored_value(student, field) for field in clean},
                reason=reason,
                gaokao_data_error=gaokao_data_error,
                chain=rules.chain,
                filed_by=actor,
            )
    except IntegrityError as exc:  # another request was filed meanwhile (one open per student)
        raise DomainError(
            _("%(name)s已有办理中的信息变更申请，请等待办结后再申请") % {"name": student.name}
        ) from exc
    _store_proofs(request, checked, actor)
    audit_record(
        actor=actor,
        action="annual_registration.identity.file",
        subject=request,
        before=request.previous,
        after={**clean, "chain": rules.chain, "proofs": [p.name for p in checked]},
        reason=reason,
    )
    return request


# ---------------------------------------------------------------- decisions


# Decisions that need a 文号 (the other authority's, or the school's own refusal has its reason instead).
NEEDS_DOCUMENT = {"confirm_admissions", "approve_province"}


@transaction.atomic
def identity_change_decide(
    *,
    actor: User,
    request_id: int,
    transition: str,
    date: datetime.date | None = None,
    document_number: str = "",
    reason: str = "",
    ground: str = "",
) -> IdentityChangeRequest:
    """One decision of the approval chain (ANN-8); the last approval applies the change to the student.

    ``refuse`` needs its ground and reason (证明材料涉嫌弄虚作假 …); the province's approval
    and the admissions office's confirmation need their 文号.
    """
    if not IdentityChangeRequest.objects.for_user(actor).filter(pk=request_id).exists():
        raise IdentityChangeRequest.DoesNotExist(_("信息变更申请不存在"))
    request = IdentityChangeRequest.objects.select_for_update().get(pk=request_id)
    document_number = (document_number or "").strip()[:100]
    reason = (reason or "").strip()
    if transition == "refuse":
        if ground not in RefusalGround.values:
            raise DomainError(_("请选择不予变更的理由"))
        if not reason:
            raise DomainError(_("请说明不予变更的原因"))
    if transition in NEEDS_DOCUMENT and not document_number:
        raise DomainError(_("请填写文号"))
    day = date or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError(_("决定日期不能晚于今天"))
    before = fire(
        request,
        transition,
        actor=actor,
        date=day,
        reason=reason[:500],
        document_number=document_number,
        details={"ground": ground} if ground else {},
    )
    if request.state == IdentityState.APPLIED:
        _apply(request, actor, document_number)
    request.save()
    audit_record(
        actor=actor,
        action=f"annual_registration.identity.{transition}",
        subject=request,
        before={"state": before},
        after={"state": request.state, **({"refusal_ground": ground} if ground else {})},
        reason=reason,
        document_number=document_number,
    )
    return request


def _apply(request: IdentityChangeRequest, actor: User, document_number: str) -> None:
    """Change the student's identity fields through simple-history, the old values kept (N19, ANN-8).

    The values are checked again against the student as they are now: an id number
    that another active 学籍 took meanwhile is refused and nothing changes (ENR-6).
    """
    student = Student.objects.select_for_update().get(pk=request.student_id)
    clean = clean_request(student, request.requested, None)
    request.previous = {field: stored_value(student, field) for field in clean}
    # Stored as written, whatever the page's language (simple-history keeps 100 characters).
    _save_with_history(
        student,
        clean,
        actor=actor,
        reason=f"学籍信息变更：{document_number or request.pk}",
        refusal=_("变更后的身份证号已被其他在籍学籍使用，未变更"),
    )
    audit_record(
        actor=actor,
        action="annual_registration.student.identity_change",
        subject=student,
        before=request.previous,
        after=clean,
        reason=request.reason,
        document_number=document_number,
    )
    if request.gaokao_data_error:
        _admission_record_follows(request, student, clean, actor, document_number)


def _admission_record_follows(
    request: IdentityChangeRequest, student: Student, clean: dict[str, str], actor: User, document_number: str
) -> None:
    """A 高考 data error is the admission data's error too: the student's admission record takes the
    corrected values through its own history, the old values kept readable (ANN-8, SH二(二)2; DIP-4
    compares the diploma's identity with the admission data)."""
    record = AdmissionRecord.objects.select_for_update().filter(student=student).first()
    if record is None:  # a student who did not come through this school's admission data (a transfer-in)
        return
    before = {field: stored_value(record, field) for field in clean}
    changed = {field: value for field, value in clean.items() if before[field] != value}
    if not changed:
        return
    _save_with_history(
        record,
        changed,
        actor=actor,
        reason=f"高考信息采集错误更正：{document_number or request.pk}",
        refusal=_("更正后的证件号码已被同年度其他录取数据使用，未变更"),
        also=("updated_at",),
    )
    audit_record(
        actor=actor,
        action="annual_registration.admission.identity_change",
        subject=record,
        before={field: before[field] for field in changed},
        after=changed,
        reason=request.reason,
        document_number=document_number,
    )


def _save_with_history(
    instance: Student | AdmissionRecord,
    values: dict[str, str],
    *,
    actor: User,
    reason: str,
    refusal: str,
    also: tuple[str, ...] = (),
) -> None:
    """Identity values (as requests keep them) onto a student or their admission record, through
    simple-history: a first history row when there is none (one registered in bulk), so that the value
    before stays readable (N19), then the change with its reason; ``refusal`` if the database refuses."""
    model = type(instance)
    if not model.history.filter(id=instance.pk).exists():
        model.history.bulk_history_create([instance], default_user=actor, default_change_reason="初始记录")
    for field, value in values.items():
        setattr(
            instance,
            field,
            datetime.date.fromisoformat(value) if field == IdentityField.BIRTH_DATE else value,
        )
    instance._change_reason = reason[:100]
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save(update_fields=[*values, *also])
    except IntegrityError as exc:
        raise DomainError(refusal) from exc
