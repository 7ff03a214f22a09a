"""The API of 学籍记载, identity changes, the statistics table and the archive: same rules as the pages (SEC-1, SEC-2)."""

from __future__ import annotations

import pytest

from annual_registration.models import Award, IdentityChangeRequest
from annual_registration.services.records import award_record
from registrar.idcard import mask
from registrar.models import User
from tests.annual_registration.record_builders import EARLY, TODAY, award_input, proof, punished, year_decided

pytestmark = pytest.mark.django_db
AWARD = {
    "name": "国家励志奖学金",
    "level": "provincial",
    "awarded_on": "2026-11-10",
    "granting_body": "省教育厅",
}


@pytest.fixture(autouse=True)
def media_apart(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def account(student) -> User:
    return User.objects.get(student=student)


@pytest.mark.rule("ANN-7")
def test_the_registrar_records_an_award_and_the_college_reads_it(
    students_a, registrar, college_a_staff, client
):
    client.force_login(registrar)
    response = client.post(
        "/api/annual/awards/", {**AWARD, "student": students_a[0].pk}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["level_display"] == "省部级"
    client.force_login(college_a_staff)
    assert [a["name"] for a in client.get("/api/annual/awards/").json()["results"]] == ["国家励志奖学金"]


@pytest.mark.rule("SEC-1")
def test_college_staff_do_not_record_and_students_do_not_list(students_a, college_a_staff, client):
    client.force_login(college_a_staff)
    response = client.post(
        "/api/annual/awards/", {**AWARD, "student": students_a[0].pk}, content_type="application/json"
    )
    assert response.status_code == 403 and "教务处" in response.json()["detail"]
    client.force_login(account(students_a[0]))
    assert client.get("/api/annual/awards/").status_code == 403


@pytest.mark.rule("SEC-2")
def test_another_colleges_records_are_not_found(students_a, students_b, registrar, college_a_staff, client):
    award = award_record(actor=registrar, student_id=students_b[0].pk, data=award_input())
    punishment = punished(registrar, students_b[0], months=6)
    client.force_login(college_a_staff)
    assert client.get("/api/annual/awards/").json()["results"] == []
    assert client.get(f"/api/annual/awards/{award.pk}/").status_code == 404
    response = client.post(
        f"/api/annual/punishments/{punishment.pk}/lift/", {}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.rule("ANN-7")
def test_a_punishment_is_lifted_through_the_api(students_a, registrar, client):
    punishment = punished(registrar, students_a[0], months=1, decided_on=EARLY)
    client.force_login(registrar)
    body = {"lifted_on": TODAY.isoformat(), "document_number": "校发〔2026〕40号"}
    response = client.post(
        f"/api/annual/punishments/{punishment.pk}/lift/", body, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state_display"] == "已解除"
    again = client.post(
        f"/api/annual/punishments/{punishment.pk}/lift/", body, content_type="application/json"
    )
    assert again.status_code == 400 and "已解除" in again.json()["detail"]


@pytest.mark.rule("ANN-7")
def test_a_certificate_gets_its_number_through_the_api(students_a, registrar, client):
    client.force_login(registrar)
    body = {"student": students_a[0].pk, "kind": "study", "issued_on": TODAY.isoformat()}
    response = client.post("/api/annual/certificates/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["number"] == f"10999{TODAY.year}X00001"


@pytest.mark.rule("ANN-8")
def test_a_student_files_their_own_identity_change_and_the_registrar_applies_it(
    students_a, registrar, client
):
    student = students_a[0]
    client.force_login(account(student))
    body = {"student": student.pk, "name": "甲新名", "reason": "户籍更名", "proofs": [proof()]}
    response = client.post("/api/annual/identity-changes/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["changes"] == [{"field": "姓名", "before": "新生1", "after": "甲新名"}]
    client.force_login(registrar)
    decided = client.post(
        f"/api/annual/identity-changes/{response.json()['id']}/decide/",
        {"transition": "approve", "document_number": "教学〔2026〕9号"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "applied"


@pytest.mark.rule("ANN-8")
def test_a_hostile_proof_is_refused_in_chinese_by_the_api(students_a, client, settings):
    settings.IDENTITY_PROOF_MAX_BYTES = 16
    student = students_a[0]
    client.force_login(account(student))
    body = {"student": student.pk, "name": "甲新名", "reason": "户籍更名", "proofs": [proof()]}
    response = client.post("/api/annual/identity-changes/", body)
    assert response.status_code == 400 and "超过上限" in response.json()["detail"]
    settings.IDENTITY_PROOF_MAX_BYTES = 1024
    body["proofs"] = [proof("证明.pdf", b"<script>alert(1)</script>")]
    response = client.post("/api/annual/identity-changes/", body)
    assert response.status_code == 400 and "只接受" in response.json()["detail"]
    assert not IdentityChangeRequest.objects.exists()


@pytest.mark.rule("SEC-2")
def test_another_student_and_another_college_are_refused_on_identity_changes(
    students_a, students_b, college_a_staff, college_b_staff, registrar, client
):
    client.force_login(account(students_b[0]))
    body = {"student": students_a[0].pk, "name": "冒名", "reason": "x", "proofs": [proof()]}
    assert client.post("/api/annual/identity-changes/", body).status_code == 404
    client.force_login(college_a_staff)
    filed = client.post("/api/annual/identity-changes/", {**body, "name": "甲新名", "proofs": [proof()]})
    assert filed.status_code == 201
    change = filed.json()["id"]
    client.force_login(account(students_b[0]))
    assert client.get(f"/api/annual/identity-changes/{change}/").status_code == 404
    client.force_login(college_b_staff)
    decide = {"transition": "approve"}
    assert (
        client.post(
            f"/api/annual/identity-changes/{change}/decide/", decide, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(college_a_staff)
    assert (
        client.post(
            f"/api/annual/identity-changes/{change}/decide/", decide, content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.rule("SEC-2")
def test_id_numbers_in_the_api_are_full_for_the_registrar_only(
    students_a, registrar, college_a_staff, client
):
    import datetime

    from registrar.idcard import make_id_number

    number = make_id_number("110101", datetime.date(2007, 5, 1), 66, "1")
    client.force_login(college_a_staff)
    body = {"student": students_a[0].pk, "id_number": number, "reason": "证号有误", "proofs": [proof()]}
    change = client.post("/api/annual/identity-changes/", body).json()
    assert change["changes"][0]["after"] == mask(number)
    client.force_login(registrar)
    assert client.get(f"/api/annual/identity-changes/{change['id']}/").json()["changes"][0]["after"] == number


@pytest.mark.rule("ANN-12")
def test_statistics_and_their_report_through_the_api(
    students_a, registrar, college_a_staff, college_a, year_2027, term_2027, client
):
    year_decided(registrar, college_a_staff, college_a, year_2027, term_2027, students_a)
    client.force_login(registrar)
    table = client.get("/api/annual/statistics/?academic_year=2027").json()
    assert (table["total"]["on_roll"], table["total"]["in_school"]) == (5, 4)
    body = {"academic_year": 2027, "sent_on": TODAY.isoformat(), "recipient": "省教育厅"}
    assert (
        client.post("/api/annual/statistics-reports/", body, content_type="application/json").status_code
        == 201
    )
    again = client.post("/api/annual/statistics-reports/", body, content_type="application/json")
    assert again.status_code == 400 and "只报送一次" in again.json()["detail"]
    client.force_login(college_a_staff)
    assert client.get("/api/annual/statistics-reports/").json()["results"] == []


@pytest.mark.rule("QRY-1")
@pytest.mark.rule("ANN-11")
def test_the_archive_is_the_students_own_and_their_colleges(students_a, students_b, college_b_staff, client):
    student = students_a[0]
    client.force_login(account(student))
    archive = client.get(f"/api/annual/archives/{student.pk}/").json()
    assert archive["id_number"] == mask(student.id_number) and archive["timeline"][0]["title"] == "入学"
    assert client.get(f"/api/annual/archives/{students_a[1].pk}/").status_code == 404
    client.force_login(college_b_staff)
    assert client.get(f"/api/annual/archives/{student.pk}/").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client_for, registrar):
    paths = set(client_for(registrar).get("/api/schema/?format=json").json()["paths"])
    assert {
        "/api/annual/awards/",
        "/api/annual/punishments/{id}/lift/",
        "/api/annual/certificates/",
        "/api/annual/identity-changes/",
        "/api/annual/identity-changes/{id}/decide/",
        "/api/annual/statistics/",
        "/api/annual/statistics-reports/",
        "/api/annual/archives/{id}/",
    } <= paths
    assert Award.objects.count() == 0
