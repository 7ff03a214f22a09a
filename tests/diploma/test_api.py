"""The diploma API: the same services and refusals as the pages (SEC-1, SEC-2)."""

import pytest

from diploma.models import Certificate, CertificateCorrection, ExpectedGraduate

pytestmark = pytest.mark.django_db
API = "/api/diploma"


def test_staff_read_their_colleges_certificates_with_masked_numbers_and_others_get_404(
    registered_a, college_a_staff, college_b_staff, client_for
):
    body = client_for(college_a_staff).get(f"{API}/certificates/{registered_a.pk}/").json()
    assert body["certificate_number"] == registered_a.certificate_number
    assert body["id_number"] != registered_a.id_number and body["id_number"].endswith(
        registered_a.id_number[-4:]
    )
    assert client_for(college_b_staff).get(f"{API}/certificates/{registered_a.pk}/").status_code == 404
    assert client_for(college_b_staff).get(f"{API}/certificates/").json()["count"] == 0


def test_students_have_no_access_not_even_to_their_own(registered_a, student_a, student_b, client_for):
    assert client_for(student_a).get(f"{API}/certificates/{registered_a.pk}/").status_code == 403
    assert client_for(student_b).get(f"{API}/graduates/").status_code == 403


@pytest.mark.rule("SEC-4")
def test_only_the_registrar_revokes_through_the_api(registered_a, registrar, college_a_staff, client_for):
    decision = {"day": "2026-07-05", "reason": "违规录取", "document_number": "教〔2026〕7号"}
    url = f"{API}/certificates/{registered_a.pk}/revoke/"
    assert client_for(college_a_staff).post(url, decision, content_type="application/json").status_code == 403
    response = client_for(registrar).post(url, decision, content_type="application/json")
    assert (response.status_code, response.json()["state"]) == (200, "revoked")
    again = client_for(registrar).post(url, decision, content_type="application/json")
    assert again.status_code == 400 and "只能对已注册的证书办理" in again.json()["detail"]


@pytest.mark.rule("DIP-10")
def test_the_registrar_registers_through_the_api_and_staff_may_not(
    registrar, college_a_staff, prechecked, major_a, client_for
):
    prechecked(major_a, 2)
    url = f"{API}/certificates/register/"
    assert client_for(college_a_staff).post(url, {}, content_type="application/json").status_code == 403
    response = client_for(registrar).post(url, {"order": "major"}, content_type="application/json")
    assert response.json() == {"registered": 2}


@pytest.mark.rule("DIP-6")
def test_a_correction_is_requested_and_decided_through_the_api(
    registered_a, registrar, college_b_staff, client_for
):
    client = client_for(registrar)
    response = client.post(
        f"{API}/certificates/{registered_a.pk}/correction/",
        {"changes": {"name": "甲同學"}, "reason": "姓名录错", "evidence_note": "户口簿"},
        content_type="application/json",
    )
    assert response.status_code == 201
    correction = CertificateCorrection.objects.get()
    url = f"{API}/corrections/{correction.pk}/decide/"
    decision = {
        "approved": True,
        "authority": "省教育厅",
        "document_number": "省教〔2026〕9号",
        "day": "2026-07-05",
    }
    assert client_for(college_b_staff).post(url, decision, content_type="application/json").status_code == 404
    answer = client_for(registrar).post(url, decision, content_type="application/json").json()
    assert answer.get("state") == "approved", answer
    assert Certificate.objects.get(student=registered_a.student, state="registered").name == "甲同學"


def test_the_registrar_builds_the_graduate_list_and_college_staff_may_not(
    registrar, college_a_staff, school, major_a, client_for
):
    from tests.diploma.builders import graduating

    graduating(major_a, 2)
    url = f"{API}/graduates/build/"
    assert (
        client_for(college_a_staff)
        .post(url, {"graduation_year": 2026}, content_type="application/json")
        .status_code
        == 403
    )
    assert client_for(registrar).post(
        url, {"graduation_year": 2026}, content_type="application/json"
    ).json() == {"added": 2}
    assert ExpectedGraduate.objects.count() == 2
