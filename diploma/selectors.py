"""Reads of diploma registration, scoped per user (SEC-2): a student reads only their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from diploma.models import Certificate, CertificateAnnotation, CertificateState, ExpectedGraduate

# What a student and the timeline show: the certificates that were registered, whatever happened since.
SHOWN_STATES = (CertificateState.REGISTERED, CertificateState.REVOKED, CertificateState.SUPERSEDED)


def shown_certificates(queryset: QuerySet) -> QuerySet:
    """Registered certificates and their earlier versions, with their annotations, newest version first."""
    return (
        queryset.filter(state__in=SHOWN_STATES)
        .prefetch_related(
            Prefetch("annotations", CertificateAnnotation.objects.order_by("annotated_on", "pk"))
        )
        .order_by("certificate_number", "-version")
    )


@dataclass(frozen=True)
class StudentDiploma:
    """One student's graduation outcomes and certificates (QRY-1: 学历注册)."""

    graduates: list[ExpectedGraduate]
    certificates: list[Certificate]


def student_diploma(reader: Any, student_id: int) -> StudentDiploma:
    """What ``reader`` may see of a student's diploma registration; nothing of another student's."""
    graduates = (
        ExpectedGraduate.objects.for_user(reader).filter(student_id=student_id).order_by("graduation_year")
    )
    certificates = shown_certificates(Certificate.objects.for_user(reader).filter(student_id=student_id))
    return StudentDiploma(list(graduates), list(certificates))
