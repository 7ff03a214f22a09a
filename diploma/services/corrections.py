"""注销 and 更正 of registered certificates (SEC-4, DIP-6): decisions with their 文号, never edits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from annual_registration.services.decisions import fire
from audit.services import audit_record
from diploma.models import AnnotationKind, Certificate, CertificateCorrection, CorrectionState
from diploma.services.certificates import CERTIFICATES, registrar_only
from diploma.services.versions import registered_for_update, version_supersede
from registrar import codes
from registrar.errors import DomainError
from registrar.idcard import IdNumberError, clean_id_number, mask
from registrar.inputs import clean_text, past_date
from registrar.models import User
from registrar.transitions import Move, apply_moves

# ---------------------------------------------------------------- 注销


@transaction.atomic
def certificate_revoke(
    *, actor: User, certificate_id: int, decided_on: datetime.date | None, reason: str, document_number: str
) -> Certificate:
    """注销学历证书 (SEC-4): e.g. a student admitted against the rules; the decision's date, reason and 文号."""
    registrar_only(actor, _("注销学历证书"))
    certificate = registered_for_update(actor, certificate_id)
    decided_on = past_date(decided_on, _("注销日期"))
    reason = clean_text(reason, _("注销原因"), 500)
    document_number = clean_text(document_number, _("注销文号"), 100)
    apply_moves(
        CERTIFICATES,
        [Move(certificate, "revoke", reason=reason, date=decided_on)],
        actor=actor,
        document_number=document_number,
    )
    return certificate


# ---------------------------------------------------------------- 更正


def _choice(choices: type, label: str):
    def clean(value: Any) -> str:
        if value not in choices.values:
            raise DomainError(_("%(field)s的取值不正确") % {"field": label})
        return value

    return clean


def _date(label: str):
    def clean(value: Any) -> str:
        day = value if isinstance(value, datetime.date) else parse_date(str(value or ""))
        if day is None:
            raise DomainError(_("%(field)s应为日期（YYYY-MM-DD）") % {"field": label})
        return day.isoformat()

    return clean


def _plain(label: str, limit: int):
    return lambda value: clean_text(str(value or ""), label, limit)


# The fields a correction may change (DIP-3's data of the person and the study), each with its check.
CORRECTABLE = {
    "name": (_("姓名"), _plain("姓名", 50)),
    "gender": (_("性别"), _choice(codes.Gender, "性别")),
    "birth_date": (_("出生日期"), _date("出生日期")),
    "ethnicity": (_("民族"), _choice(codes.Ethnicity, "民族")),
    "political_status": (_("政治面貌"), _choice(codes.PoliticalStatus, "政治面貌")),
    "id_number": (_("证件号码"), None),
    "exam_number": (_("考生号"), _plain("考生号", 20)),
    "major_name": (_("专业名称"), _plain("专业名称", 100)),
    "entry_date": (_("入学日期"), _date("入学日期")),
    "study_mode": (_("学习形式"), _choice(codes.StudyMode, "学习形式")),
}


def clean_changes(certificate: Certificate, changes: dict[str, Any]) -> dict[str, Any]:
    """The corrected fields as stored, or ``DomainError`` naming the first that is wrong."""
    if not changes:
        raise DomainError(_("请填写要更正的内容"))
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise DomainError(_("不能更正的字段：%(fields)s") % {"fields": "、".join(unknown)})
    clean = {}
    for name, value in changes.items():
        label, check = CORRECTABLE[name]
        if name == "id_number":
            try:
                clean[name] = clean_id_number(certificate.id_type, str(value or ""))
            except IdNumberError as error:
                raise DomainError(str(error)) from error
        else:
            clean[name] = check(value)
        current = getattr(certificate, name)
        if str(current.isoformat() if isinstance(current, datetime.date) else current) == clean[name]:
            raise DomainError(_("%(field)s与已注册的内容相同") % {"field": label})
    return clean


def shown_value(name: str, value: Any) -> str:
    """A field's value as people read it: a code by its name (回族, not 03), a date as YYYY-MM-DD."""
    field = Certificate._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name == "id_number":
        return mask(str(value))
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


@dataclass(frozen=True)
class CorrectionInput:
    changes: dict[str, Any]
    reason: str
    evidence_note: str = ""
    evidence: UploadedFile | None = None


@transaction.atomic
def correction_request(*, actor: User, certificate_id: int, data: CorrectionInput) -> CertificateCorrection:
    """提出学历证书更正 (DIP-6): what is wrong, why and the evidence; nothing changes until the province approves."""
    registrar_only(actor, _("提出学历证书更正"))
    certificate = registered_for_update(actor, certificate_id)
    if certificate.corrections.filter(state=CorrectionState.REQUESTED).exists():
        raise DomainError(_("该证书已有待审批的更正申请"))
    changes = clean_changes(certificate, data.changes)
    reason = clean_text(data.reason, _("更正原因"), 500)
    evidence_note = clean_text(data.evidence_note, _("证明材料说明"), 200, required=data.evidence is None)
    correction = CertificateCorrection.objects.create(
        certificate=certificate,
        changes=changes,
        reason=reason,
        evidence_note=evidence_note,
        requested_by=actor,
    )
    if data.evidence is not None:
        correction.evidence.save(data.evidence.name, data.evidence, save=False)
        CertificateCorrection.objects.filter(pk=correction.pk).update(evidence=correction.evidence.name)
    audit_record(
        actor=actor,
        action="diploma.correction.request",
        subject=correction,
        before={name: str(getattr(certificate, name)) for name in changes},
        after={**changes, "state": correction.state},
        reason=reason,
    )
    return correction


def _correction_for_update(actor: User, correction_id: int) -> CertificateCorrection:
    if not CertificateCorrection.objects.for_user(actor).filter(pk=correction_id).exists():
        raise CertificateCorrection.DoesNotExist(_("更正申请不存在"))
    return CertificateCorrection.objects.select_for_update().get(pk=correction_id)


@transaction.atomic
def correction_approve(
    *,
    actor: User,
    correction_id: int,
    authority: str,
    document_number: str,
    approved_on: datetime.date | None,
    note: str = "",
) -> CertificateCorrection:
    """登记省级教育行政部门的批准并更正 (DIP-6): a new version with the same number supersedes the old one."""
    registrar_only(actor, _("办理学历证书更正"))
    correction = _correction_for_update(actor, correction_id)
    authority = clean_text(authority, _("审批机关"), 100)
    document_number = clean_text(document_number, _("批准文号"), 100)
    approved_on = past_date(approved_on, _("批准日期"))
    before = fire(
        correction, "approve", actor=actor, date=approved_on, reason=note, document_number=document_number
    )
    old = registered_for_update(actor, correction.certificate_id)
    changes = clean_changes(old, correction.changes)
    values = {k: parse_date(v) if k in ("birth_date", "entry_date") else v for k, v in changes.items()}
    described = "；".join(
        f"{CORRECTABLE[k][0]}：{shown_value(k, getattr(old, k))} → {shown_value(k, v)}"
        for k, v in changes.items()
    )
    new = version_supersede(
        actor=actor,
        old=old,
        changes=values,
        reason=correction.reason,
        document_number=document_number,
        annotation=(
            AnnotationKind.CORRECTION,
            _("经%(authority)s批准更正（%(what)s）") % {"authority": authority, "what": described},
        ),
        annotated_on=approved_on,
    )
    correction.authority, correction.new_certificate = authority, new
    correction.save(
        update_fields=[
            "state",
            "authority",
            "authority_document_number",
            "decided_on",
            "decided_by",
            "decision_note",
            "new_certificate",
        ]
    )
    audit_record(
        actor=actor,
        action="diploma.correction.approve",
        subject=correction,
        before={"state": before},
        after={"state": correction.state, "new_certificate": new.pk, "authority": authority},
        reason=note,
        document_number=document_number,
    )
    return correction


@transaction.atomic
def correction_reject(
    *, actor: User, correction_id: int, document_number: str, decided_on: datetime.date | None, note: str
) -> CertificateCorrection:
    """登记未获批准: the province refused; the certificate stays as it is (DIP-6)."""
    registrar_only(actor, _("办理学历证书更正"))
    correction = _correction_for_update(actor, correction_id)
    note = clean_text(note, _("说明"), 500)
    decided_on = past_date(decided_on, _("日期"))
    before = fire(
        correction, "reject", actor=actor, date=decided_on, reason=note, document_number=document_number
    )
    correction.save(
        update_fields=["state", "authority_document_number", "decided_on", "decided_by", "decision_note"]
    )
    audit_record(
        actor=actor,
        action="diploma.correction.reject",
        subject=correction,
        before={"state": before},
        after={"state": correction.state},
        reason=note,
        document_number=document_number,
    )
    return correction
