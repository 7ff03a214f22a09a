"""Staff pages of 学籍记载, identity changes and the statistics table: Chinese, scoped, writes through services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annual_registration.models import Award, IdentityChangeRequest, IdentityChangeSettings, Punishment
from annual_registration.services.identity import identity_change_file
from audit.models import AuditEvent
from tests.annual_registration.record_builders import EARLY, TODAY, proof, punished, year_decided

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_apart(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


AWARD_FORM = {
    "name": "校级三好学生",
    "level": "school",
    "awarded_on": "2026-11-10",
    "granting_body": "示范大学",
    "document_number": "",
    "note": "",
}


@pytest.mark.rule("ANN-7")
def test_the_registrar_records_an_award_on_the_staff_page(students_a, registrar, client_for):
    client = client_for(registrar)
    response = client.post(
        reverse("admin:annual_registration_award_add"), {**AWARD_FORM, "student": students_a[0].pk}
    )
    assert response.status_code == 302
    assert Award.objects.get().name == "校级三好学生"
    assert AuditEvent.objects.filter(action="annual_registration.award.record").count() == 1


@pytest.mark.rule("ANN-7")
def test_a_refused_value_shows_on_the_form_in_chinese(students_a, registrar, client_for):
    data = {**AWARD_FORM, "student": students_a[0].pk, "awarded_on": "2026-01-10"}
    page = client_for(registrar).post(reverse("admin:annual_registration_award_add"), data).content.decode()
    assert "获奖日期不能早于入学日期（2026-09-07）" in page
    assert not Award.objects.exists()


@pytest.mark.rule("SEC-1")
def test_college_staff_read_their_colleges_records_but_add_none(
    students_a, students_b, registrar, college_a_staff, client_for
):
    punished(registrar, students_a[0], months=6)
    punished(registrar, students_b[0], months=6)
    client = client_for(college_a_staff)
    page = client.get(reverse("admin:annual_registration_punishment_changelist")).content.decode()
    assert students_a[0].name in page and students_b[0].name not in page
    assert client.get(reverse("admin:annual_registration_award_add")).status_code == 403


@pytest.mark.rule("ANN-7")
def test_the_registrar_lifts_a_punishment_on_its_page(students_a, registrar, client_for):
    punishment = punished(registrar, students_a[0], months=1, decided_on=EARLY)
    url = reverse("admin:annual_registration_punishment_lift", args=[punishment.pk])
    client = client_for(registrar)
    assert "解除文号" in client.get(url).content.decode()
    client.post(url, {"lifted_on": TODAY.isoformat(), "document_number": "校发〔2026〕40号", "reason": ""})
    assert Punishment.objects.get().state == "lifted"


@pytest.mark.rule("SEC-2")
def test_another_colleges_staff_cannot_open_a_lift_page(students_b, registrar, college_a_staff, client_for):
    punishment = punished(registrar, students_b[0], months=6)
    url = reverse("admin:annual_registration_punishment_lift", args=[punishment.pk])
    assert client_for(college_a_staff).post(url, {"document_number": "x"}).status_code == 404


@pytest.mark.rule("ANN-7")
def test_a_certificate_of_attendance_for_a_student_in_school_is_refused_on_the_form(
    students_a, registrar, client_for
):
    data = {"student": students_a[0].pk, "kind": "attendance", "issued_on": TODAY.isoformat(), "note": ""}
    page = client_for(registrar).post(reverse("admin:annual_registration_issuedcertificate_add"), data)
    assert "肄业证书只发给已退学" in page.content.decode()


@pytest.mark.rule("ANN-12")
def test_the_statistics_page_shows_the_table_and_the_registrar_records_its_sending(
    students_a, registrar, college_a_staff, college_a, year_2027, term_2027, client_for
):
    year_decided(registrar, college_a_staff, college_a, year_2027, term_2027, students_a)
    url = reverse("admin:annual_registration_statistics_table")
    client = client_for(registrar)
    page = client.get(url).content.decode()
    assert "全校合计" in page and 'id="send-form"' in page
    client.post(f"{url}?year={year_2027.pk}", {"recipient": "省教育厅", "sent_on": TODAY.isoformat()})
    page = client.get(url).content.decode()
    assert 'id="sent"' in page and 'id="send-form"' not in page
    staff_page = client_for(college_a_staff).get(url).content.decode()
    assert "合计" in staff_page and 'id="send-form"' not in staff_page and 'id="sent"' not in staff_page


@pytest.mark.rule("ANN-8")
def test_college_staff_file_a_request_and_the_registrar_decides_on_its_page(
    students_a, college_a_staff, registrar, client_for
):
    data = {
        "student_number": students_a[0].student_number,
        "fields": ["ethnicity"],
        "value_ethnicity": "03",
        "reason": "民族登记有误，附户籍证明",
        "proofs": [proof()],
    }
    client_for(college_a_staff).post(reverse("admin:annual_registration_identitychangerequest_file"), data)
    change = IdentityChangeRequest.objects.get()
    url = reverse("admin:annual_registration_identitychangerequest_detail", args=[change.pk])
    client = client_for(registrar)
    page = client.get(url).content.decode()
    assert 'id="decide-approve"' in page and "户籍证明.pdf" in page
    client.post(
        url, {"transition": "approve", "date": TODAY.isoformat(), "document_number": "教学〔2026〕9号"}
    )
    assert IdentityChangeRequest.objects.get().state == "applied"


@pytest.mark.rule("SEC-2")
def test_another_colleges_staff_cannot_open_a_request_or_its_proof(
    students_b, college_a_staff, registrar, client_for
):
    change = identity_change_file(
        actor=registrar,
        student_id=students_b[0].pk,
        requested={"name": "乙新名"},
        reason="更名",
        proofs=[proof()],
    )
    client = client_for(college_a_staff)
    detail = reverse("admin:annual_registration_identitychangerequest_detail", args=[change.pk])
    download = reverse("admin:annual_registration_identityproof_download", args=[change.proofs.get().pk])
    assert client.get(detail).status_code == 404 and client.get(download).status_code == 404


@pytest.mark.rule("ANN-8")
def test_the_registrar_sets_the_approval_chain(school, registrar, client_for):
    data = {"chain": "school_province", "field_groups": '[["id_number", "birth_date"]]'}
    client_for(registrar).post(reverse("admin:annual_registration_identitychangesettings_add"), data)
    assert IdentityChangeSettings.objects.get().chain == "school_province"
    assert AuditEvent.objects.filter(action="annual_registration.identity_settings.update").count() == 1


@pytest.mark.rule("QRY-1")
@pytest.mark.rule("SEC-2")
def test_staff_read_a_students_archive_of_their_colleges_only(
    students_a, students_b, registrar, college_a_staff, client_for
):
    punished(registrar, students_a[0], months=6)
    client = client_for(college_a_staff)
    url = reverse("admin:annual_registration_studentarchive_change", args=[students_a[0].pk])
    page = client.get(url).content.decode()
    assert "处分：警告" in page and 'id="timeline"' in page
    other = reverse("admin:annual_registration_studentarchive_change", args=[students_b[0].pk])
    assert client.get(other).status_code == 404
