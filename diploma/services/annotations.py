"""What is said of a registered certificate later: 证明书 (DIP-7), 辅修 (DIP-8), 结业换毕业 (DIP-11)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from diploma.models import (
    AnnotationKind,
    Certificate,
    CertificateAnnotation,
    CertificateKind,
    ExpectedGraduate,
    GraduationOutcome,
    ReplacementAttestation,
)
from diploma.services.certificates import registrar_only
from diploma.services.outcomes import GRADUATES
from diploma.services.versions import annotation_add, registered_for_update, version_supersede
from registrar import codes
from registrar.errors import DomainError
from registrar.inputs import clean_text, past_date
from registrar.models import User
from registrar.services import STUDENT_STATUS
from registrar.transitions import Move, apply_moves, lock_rows


@transaction.atomic
def attestation_issue(
    *,
    actor: User,
    certificate_id: int,
    issued_on: datetime.date | None,
    reason: str,
    document_number: str = "",
) -> ReplacementAttestation:
    """出具证明书 for a lost certificate, annotated on its record (DIP-7).

    Numbered after the certificate: its 18 digits, Z and the count of 证明书 issued for it.
    """
    registrar_only(actor, _("出具证明书"))
    certificate = registered_for_update(actor, certificate_id)
    issued_on = past_date(issued_on, _("出具日期"))
    reason = clean_text(reason, _("遗失说明"), 500)
    document_number = clean_text(document_number, _("文号"), 100, required=False)
    count = ReplacementAttestation.objects.filter(
        certificate__certificate_number=certificate.certificate_number
    ).count()
    attestation = ReplacementAttestation.objects.create(
        certificate=certificate,
        number=f"{certificate.certificate_number}Z{count + 1:02d}",
        issued_on=issued_on,
        reason=reason,
        document_number=document_number,
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action="diploma.attestation.issue",
        subject=attestation,
        after={
            "certificate": certificate.pk,
            "number": attestation.number,
            "issued_on": issued_on.isoformat(),
        },
        reason=reason,
        document_number=document_number,
    )
    annotation_add(
        actor=actor,
        certificate=certificate,
        kind=AnnotationKind.LOST,
        text=_("证书遗失，出具证明书（编号%(number)s）") % {"number": attestation.number},
        document_number=document_number,
        annotated_on=issued_on,
    )
    return attestation


@transaction.atomic
def minor_annotate(
    *,
    actor: User,
    certificate_id: int,
    minor_major: str,
    annotated_on: datetime.date | None,
    document_number: str = "",
    note: str = "",
) -> CertificateAnnotation:
    """辅修: annotated on the main certificate's registration (DIP-8)."""
    registrar_only(actor, _("登记辅修"))
    certificate = registered_for_update(actor, certificate_id)
    if certificate.kind != CertificateKind.GRADUATION:
        raise DomainError(_("辅修只能备注在毕业证书上"))
    minor_major = clean_text(minor_major, _("辅修专业"), 100)
    note = clean_text(note, _("说明"), 200, required=False)
    text = _("辅修%(major)s专业") % {"major": minor_major} + (f"（{note}）" if note else "")
    return annotation_add(
        actor=actor,
        certificate=certificate,
        kind=AnnotationKind.MINOR,
        text=text,
        document_number=clean_text(document_number, _("文号"), 100, required=False),
        annotated_on=past_date(annotated_on, _("备注日期")),
    )


@transaction.atomic
def exchange_approve(*, actor: User, graduate_id: int, document_number: str, reason: str = "") -> int:
    """批准结业换毕业 (DIP-11): the 结业 graduate now meets the requirements; the 毕业 certificate follows.

    SH registers it by the end of October (the ``completion_exchange`` deadline watches it).
    """
    registrar_only(actor, _("批准结业换发毕业证书"))
    if not ExpectedGraduate.objects.for_user(actor).filter(pk=graduate_id).exists():
        raise ExpectedGraduate.DoesNotExist(_("预计毕业生不存在"))
    document_number = clean_text(document_number, _("文号"), 100)
    reason = clean_text(reason, _("说明"), 500, required=False) or _("结业后达到毕业要求")
    graduate = lock_rows(GRADUATES, [graduate_id])[graduate_id]
    apply_moves(
        GRADUATES, [Move(graduate, "exchange", reason=reason)], actor=actor, document_number=document_number
    )
    return graduate_id


@transaction.atomic
def completion_exchange(
    *,
    actor: User,
    certificate_id: int,
    decided_on: datetime.date | None,
    document_number: str,
    reason: str = "",
) -> Certificate:
    """结业换发毕业证书 (DIP-11): a new 毕业 version with the same number, annotated; the outcome and 学籍状态 follow.

    The new version's 毕业日期 and 发证日期 are the exchange's date (DIP-5); SH
    registers exchanges at the end of October (the ``completion_exchange`` deadline).
    """
    registrar_only(actor, _("办理结业换发毕业证书"))
    old = registered_for_update(actor, certificate_id)
    if old.kind != CertificateKind.COMPLETION:
        raise DomainError(_("只有结业证书可以换发毕业证书"))
    decided_on = past_date(decided_on, _("换发日期"))
    document_number = clean_text(document_number, _("文号"), 100)
    reason = clean_text(reason, _("说明"), 500, required=False) or _("结业后达到毕业要求")
    graduate = lock_rows(GRADUATES, [old.graduate_id])[old.graduate_id]
    if graduate.outcome != GraduationOutcome.GRADUATED:  # approved here and now, unless approved before
        apply_moves(
            GRADUATES,
            [Move(graduate, "exchange", reason=reason)],
            actor=actor,
            document_number=document_number,
        )
    new = version_supersede(
        actor=actor,
        old=old,
        changes={"kind": CertificateKind.GRADUATION, "graduation_date": decided_on},
        reason=reason,
        document_number=document_number,
        annotation=(
            AnnotationKind.EXCHANGE,
            _("结业换发毕业证书，证书编号不变"),
        ),
        annotated_on=decided_on,
    )
    students = lock_rows(STUDENT_STATUS, [old.student_id])
    student = students[old.student_id]
    if student.student_status == codes.StudentStatus.COMPLETED:
        apply_moves(
            STUDENT_STATUS,
            [Move(student, "exchange_completion", reason=reason)],
            actor=actor,
            document_number=document_number,
        )
    return new
