"""The staff pages: register, decisions on a certificate, corrections, the list build; refusals (SEC-1, SEC-2)."""

import pytest

from diploma.models import Certificate, CertificateCorrection
from registrar import codes

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DIP-10")
def test_the_registrar_registers_the_prechecked_certificates_on_the_page(
    registrar, prechecked, major_a, client_for
):
    prechecked(major_a, 2)
    client = client_for(registrar)
    assert "预审通过" in client.get("/admin/diploma/certificate/register/").content.decode()
    response = client.post("/admin/diploma/certificate/register/", {"order": "student_number"}, follow=True)
    assert "已注册2份学历证书" in response.content.decode()
    assert Certificate.objects.filter(state="registered").count() == 2


def test_college_staff_cannot_register_nor_decide(college_a_staff, registered_a, client_for):
    client = client_for(college_a_staff)
    assert client.post("/admin/diploma/certificate/register/", {"order": "college"}).status_code == 403
    url = f"/admin/diploma/certificate/{registered_a.pk}/revoke/"
    assert client.post(url, {"day": "2026-07-05", "reason": "x", "document_number": "y"}).status_code == 403


def test_another_colleges_staff_find_no_such_certificate(college_b_staff, registered_a, client_for):
    client = client_for(college_b_staff)
    assert client.get(f"/admin/diploma/certificate/{registered_a.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/diploma/certificate/{registered_a.pk}/attest/").status_code == 404


@pytest.mark.rule("DIP-6")
def test_a_correction_goes_through_its_pages_to_a_new_version(registrar, registered_a, client_for):
    client = client_for(registrar)
    client.post(
        f"/admin/diploma/certificate/{registered_a.pk}/correct/",
        {"field": "ethnicity", "value": "03", "reason": "民族录入错误", "evidence_note": "户口簿"},
    )
    correction = CertificateCorrection.objects.get()
    response = client.post(
        f"/admin/diploma/certificatecorrection/{correction.pk}/decide/",
        {
            "decision": "approve",
            "authority": "省教育厅",
            "document_number": "省教〔2026〕5号",
            "day": "2026-07-05",
        },
        follow=True,
    )
    assert "审批结果已登记" in response.content.decode()
    assert (
        Certificate.objects.get(student=registered_a.student, state="registered").ethnicity
        == codes.Ethnicity.HUI
    )


def test_a_revocation_without_a_document_number_is_refused_in_chinese(registrar, registered_a, client_for):
    response = client_for(registrar).post(
        f"/admin/diploma/certificate/{registered_a.pk}/revoke/",
        {"day": "2026-07-05", "reason": "违规录取", "document_number": ""},
        follow=True,
    )
    assert "请填写注销文号" in response.content.decode()


def test_the_registrar_builds_the_list_and_staff_read_the_statistics(
    registrar, college_a_staff, prechecked, major_a, client_for
):
    prechecked(major_a, 1)
    response = client_for(registrar).post(
        "/admin/diploma/expectedgraduate/build/", {"year": "2026"}, follow=True
    )
    assert "已列入0名预计毕业生" in response.content.decode()
    page = client_for(college_a_staff).get("/admin/diploma/expectedgraduate/statistics/?year=2026")
    assert "计算机科学与技术" in page.content.decode()
    assert (
        client_for(college_a_staff)
        .post("/admin/diploma/expectedgraduate/build/", {"year": "2026"})
        .status_code
        == 403
    )


@pytest.mark.rule("DIP-7")
def test_the_certificate_page_shows_its_notes_and_masks_the_id_number(
    registrar, college_a_staff, registered_a, client_for
):
    import datetime

    from diploma.services.annotations import attestation_issue

    attestation_issue(
        actor=registrar, certificate_id=registered_a.pk, issued_on=datetime.date(2026, 7, 5), reason="遗失"
    )
    page = (
        client_for(college_a_staff)
        .get(f"/admin/diploma/certificate/{registered_a.pk}/change/")
        .content.decode()
    )
    assert f"{registered_a.certificate_number}Z01" in page
    assert registered_a.id_number not in page
