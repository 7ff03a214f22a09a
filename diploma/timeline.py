"""学历注册 in the student's record (QRY-1): the outcome, each registered certificate, its notes and its end.

Registered with the archive's timeline (``register_entries``) and the student's links when
``DiplomaConfig.ready`` imports this module.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_registration.timeline import TimelineEntry, register_entries
from diploma.models import Certificate, CertificateState, ExpectedGraduate, GraduationOutcome
from diploma.selectors import shown_certificates
from registrar.models import Student
from registrar.student_links import register_student_link


def diploma_entries(reader: Any, student: Student) -> list[TimelineEntry]:
    """毕(结)业结论, 学历证书注册 (kind, number, 发证日期), its annotations, 注销 (QRY-1, DIP-5 to DIP-11)."""
    entries = [
        TimelineEntry(
            timezone.localdate(graduate.outcome_decided_at),
            "diploma",
            _("毕(结)业结论：%(outcome)s") % {"outcome": graduate.get_outcome_display()},
            _("%(year)s届") % {"year": graduate.graduation_year},
            graduate.outcome_document_number,
        )
        for graduate in ExpectedGraduate.objects.filter(student=student).exclude(
            outcome=GraduationOutcome.PENDING
        )
        if graduate.outcome_decided_at
    ]
    for certificate in shown_certificates(Certificate.objects.filter(student=student)):
        version = _("（第%(n)d版）") % {"n": certificate.version} if certificate.version > 1 else ""
        entries.append(
            TimelineEntry(
                certificate.issued_on,
                "diploma",
                _("学历证书注册：%(kind)s%(version)s")
                % {"kind": certificate.get_kind_display(), "version": version},
                _("证书编号 %(number)s，发证日期 %(day)s")
                % {"number": certificate.certificate_number, "day": f"{certificate.issued_on:%Y-%m-%d}"},
            )
        )
        entries += [
            TimelineEntry(
                note.annotated_on,
                "diploma",
                _("学历证书备注：%(kind)s") % {"kind": note.get_kind_display()},
                note.text,
                note.document_number,
            )
            for note in certificate.annotations.all()
        ]
        if certificate.state == CertificateState.REVOKED:
            entries.append(
                TimelineEntry(
                    certificate.revoked_on,
                    "diploma",
                    _("学历证书注销"),
                    certificate.revocation_reason,
                    certificate.revocation_document_number,
                )
            )
    return entries


register_entries(diploma_entries)
register_student_link(
    "diploma:me",
    gettext_lazy("学历证书"),
    shown=lambda student: ExpectedGraduate.objects.filter(student=student).exists(),
    order=40,
)
