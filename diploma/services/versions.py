"""A registered certificate is never edited (DIP-6): a new version supersedes it, and both stay readable.

Used by an approved correction (DIP-6) and by the 结业→毕业 exchange (DIP-11).
The new version keeps the number, sequence and graduation year; it goes
draft → prechecked → registered on the engine right after the old one moves
to superseded, in the same transaction (the database holds one registered
certificate per number and per student and level).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from diploma.models import AnnotationKind, Certificate, CertificateAnnotation, CertificateState
from diploma.services.certificates import CERTIFICATES
from registrar.errors import DomainError
from registrar.models import User
from registrar.transitions import Move, apply_moves, lock_rows

# The fields a new version copies from the old one before its changes (the certificate's data, DIP-3).
COPIED = (
    "graduate_id",
    "student_id",
    "college_id",
    "major_id",
    "kind",
    "school_id",
    "school_name",
    "president_name",
    "school_type",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "id_type",
    "id_number",
    "exam_number",
    "student_number",
    "major_code",
    "major_name",
    "level",
    "program_years",
    "study_mode",
    "entry_date",
    "graduation_date",
    "graduation_year",
)


def registered_for_update(actor: User, certificate_id: int) -> Certificate:
    """The registered certificate, locked; another college's or student's does not exist for ``actor``."""
    if not Certificate.objects.for_user(actor).filter(pk=certificate_id).exists():
        raise Certificate.DoesNotExist(_("学历证书不存在"))
    certificate = lock_rows(CERTIFICATES, [certificate_id], full=True)[certificate_id]
    if certificate.state != CertificateState.REGISTERED:
        raise DomainError(
            _("该学历证书当前为“%(state)s”，只能对已注册的证书办理")
            % {"state": certificate.get_state_display()}
        )
    return certificate


def version_supersede(
    *,
    actor: User,
    old: Certificate,
    changes: dict[str, Any],
    reason: str,
    document_number: str,
    annotation: tuple[str, str],
    annotated_on: datetime.date,
) -> Certificate:
    """Register a new version of ``old`` (locked, registered) with ``changes``; ``old`` becomes superseded.

    ``annotation`` (kind, text) is written on the new version. Two audit events
    for the versions' moves (superseded; draft → registered), one for the note.
    """
    values = {name: getattr(old, name) for name in COPIED}
    values.update(changes)
    new = Certificate.objects.create(
        **values,
        version=old.version + 1,
        supersedes=old,
        certificate_number="",
    )
    apply_moves(
        CERTIFICATES, [Move(old, "supersede", reason=reason)], actor=actor, document_number=document_number
    )
    row = lock_rows(CERTIFICATES, [new.pk])[new.pk]
    row.certificate_number, row.sequence = old.certificate_number, old.sequence
    row.issued_on = values.get("issued_on") or old.issued_on
    if "graduation_date" in changes:
        row.issued_on = changes["graduation_date"]
    apply_moves(
        CERTIFICATES,
        [Move(row, ("precheck", "register"), reason=reason)],
        actor=actor,
        document_number=document_number,
    )
    annotation_add(
        actor=actor,
        certificate=new,
        kind=annotation[0],
        text=annotation[1],
        document_number=document_number,
        annotated_on=annotated_on,
    )
    new.refresh_from_db()
    return new


def annotation_add(
    *,
    actor: User,
    certificate: Certificate,
    kind: str,
    text: str,
    document_number: str,
    annotated_on: datetime.date,
) -> CertificateAnnotation:
    """备注 on a certificate (DIP-7, DIP-8, DIP-11), in the caller's transaction, with its audit event."""
    from audit.services import audit_record

    if kind not in AnnotationKind.values:
        raise DomainError(_("未知的备注种类"))
    note = CertificateAnnotation.objects.create(
        certificate=certificate,
        kind=kind,
        text=text[:500],
        document_number=document_number,
        annotated_on=annotated_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="diploma.annotation.add",
        subject=note,
        after={"certificate": certificate.pk, "kind": kind, "text": note.text},
        document_number=document_number,
    )
    return note
