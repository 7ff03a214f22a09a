"""After registration: 注销, 更正 as a case, 证明书, 辅修, 结业换毕业 — new versions, never edits (DIP-6 to DIP-8, DIP-11, SEC-4)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from diploma.models import Certificate, CertificateState, CorrectionState
from diploma.services.annotations import attestation_issue, completion_exchange, minor_annotate
from diploma.services.certificates import certificates_register
from diploma.services.corrections import (
    CorrectionInput,
    certificate_revoke,
    correction_approve,
    correction_reject,
    correction_request,
)
from registrar import codes
from registrar.errors import DomainError

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 7, 5)


def request_name_fix(registrar, certificate):
    return correction_request(
        actor=registrar,
        certificate_id=certificate.pk,
        data=CorrectionInput(changes={"name": "甲同學"}, reason="姓名录入错误", evidence_note="户口簿复印件"),
    )


@pytest.mark.rule("SEC-4")
def test_revocation_needs_a_reason_and_a_document_number(registrar, registered_a):
    with pytest.raises(DomainError, match="注销文号"):
        certificate_revoke(
            actor=registrar,
            certificate_id=registered_a.pk,
            decided_on=DAY,
            reason="违规录取",
            document_number="",
        )
    certificate_revoke(
        actor=registrar,
        certificate_id=registered_a.pk,
        decided_on=DAY,
        reason="违规录取",
        document_number="教〔2026〕7号",
    )
    registered_a.refresh_from_db()
    assert (registered_a.state, registered_a.revocation_document_number) == ("revoked", "教〔2026〕7号")


@pytest.mark.rule("DIP-6")
def test_a_correction_waits_for_the_province_and_then_supersedes_with_the_same_number(
    registrar, registered_a
):
    correction = request_name_fix(registrar, registered_a)
    registered_a.refresh_from_db()
    assert registered_a.name == "甲同学"  # nothing changes while the case waits
    correction_approve(
        actor=registrar,
        correction_id=correction.pk,
        authority="省教育厅",
        document_number="省教〔2026〕12号",
        approved_on=DAY,
    )
    old, new = Certificate.objects.filter(certificate_number=registered_a.certificate_number).order_by(
        "version"
    )
    assert (old.state, old.name) == (CertificateState.SUPERSEDED, "甲同学")
    assert (new.state, new.name, new.version, new.supersedes_id) == ("registered", "甲同學", 2, old.pk)
    assert "省教育厅" in new.annotations.get().text


@pytest.mark.rule("DIP-6")
def test_a_refused_correction_leaves_the_certificate_and_needs_a_note(registrar, registered_a):
    correction = request_name_fix(registrar, registered_a)
    correction_reject(
        actor=registrar, correction_id=correction.pk, document_number="", decided_on=DAY, note="证明材料不足"
    )
    correction.refresh_from_db()
    assert correction.state == CorrectionState.REJECTED
    assert Certificate.objects.filter(certificate_number=registered_a.certificate_number).count() == 1


def test_a_correction_of_a_field_not_on_the_list_is_refused(registrar, registered_a):
    with pytest.raises(DomainError, match="不能更正的字段"):
        correction_request(
            actor=registrar,
            certificate_id=registered_a.pk,
            data=CorrectionInput(changes={"certificate_number": "1"}, reason="x", evidence_note="y"),
        )


@pytest.mark.rule("DIP-7")
def test_a_lost_certificate_gets_a_numbered_attestation_and_an_annotation(registrar, registered_a):
    attestation = attestation_issue(
        actor=registrar, certificate_id=registered_a.pk, issued_on=DAY, reason="搬家遗失"
    )
    assert attestation.number == f"{registered_a.certificate_number}Z01"
    assert registered_a.annotations.get().kind == "lost"


@pytest.mark.rule("DIP-8")
def test_a_minor_is_annotated_on_the_main_certificate(registrar, registered_a):
    note = minor_annotate(
        actor=registrar, certificate_id=registered_a.pk, minor_major="金融学", annotated_on=DAY
    )
    assert note.text == "辅修金融学专业"


@pytest.mark.rule("DIP-11")
def test_a_completion_certificate_exchanged_keeps_its_number_and_is_annotated(
    registrar, prechecked, major_a, clock
):
    prechecked(major_a, 1, outcome="completed")
    certificates_register(actor=registrar)
    old = Certificate.objects.get()
    clock.set(datetime.date(2026, 10, 30))
    new = completion_exchange(
        actor=registrar,
        certificate_id=old.pk,
        decided_on=datetime.date(2026, 10, 30),
        document_number="教〔2026〕30号",
    )
    assert (new.kind, new.certificate_number, new.issued_on) == (
        "graduation",
        old.certificate_number,
        datetime.date(2026, 10, 30),
    )
    assert new.annotations.get().kind == "exchange"
    assert new.student.student_status == codes.StudentStatus.GRADUATED
    assert new.graduate.outcome == "graduated"


def test_only_the_registrar_revokes_and_other_colleges_certificates_do_not_exist(
    college_a_staff, college_b_staff, registered_a
):
    with pytest.raises(PermissionDenied):
        certificate_revoke(
            actor=college_a_staff,
            certificate_id=registered_a.pk,
            decided_on=DAY,
            reason="x",
            document_number="y",
        )
    with pytest.raises(PermissionDenied):
        attestation_issue(actor=college_b_staff, certificate_id=registered_a.pk, issued_on=DAY, reason="x")
