"""Staff pages of status changes and the archive of a student who left (issue 11, items 3-5; ANN-11)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annual_registration.models import ChangeKindSetting, ChangeState, StatusChange
from registrar import codes
from tests.annual_registration.change_builders import PDF, approved, filed, submitted

Kind = codes.StatusChangeKind
BASE = "/admin/annual_registration/statuschange/"


def case_page(change: StatusChange) -> str:
    return f"{BASE}{change.pk}/case/"


@pytest.mark.rule("ANN-4")
def test_college_staff_file_a_suspension_on_the_page(client_for, college_a_staff, second_years, clock):
    form = {
        "student_number": second_years[0].student_number,
        "kind": Kind.SUSPENSION,
        "reason": "病休",
        "period_start": "2026-10-12",
        "period_end": "2027-07-15",
    }
    response = client_for(college_a_staff).post(f"{BASE}file/", form)
    change = StatusChange.objects.get(student=second_years[0])
    assert response.status_code == 302 and response["Location"] == case_page(change)
    assert (change.kind, change.period_end) == (Kind.SUSPENSION, datetime.date(2027, 7, 15))


def test_a_refused_filing_shows_its_reason_on_the_page(client_for, college_a_staff, second_years, clock):
    form = {"student_number": second_years[0].student_number, "kind": Kind.RESUMPTION, "reason": "复学"}
    response = client_for(college_a_staff).post(f"{BASE}file/", form, follow=True)
    assert "不能办理复学" in response.content.decode()
    assert not StatusChange.objects.exists()


def test_college_staff_cannot_file_for_another_colleges_student_on_the_page(
    client_for, college_b_staff, second_years, clock
):
    form = {"student_number": second_years[0].student_number, "kind": Kind.WITHDRAWAL, "reason": "退学"}
    response = client_for(college_b_staff).post(f"{BASE}file/", form)
    assert "本人权限范围内没有该学号的学生" in response.content.decode()
    assert not StatusChange.objects.exists()


def test_another_colleges_staff_get_a_404_for_the_case_and_its_document(
    client_for, college_a_staff, college_b_staff, registrar, second_years, clock
):
    change = approved(college_a_staff, registrar, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    client = client_for(college_b_staff)
    assert client.get(case_page(change)).status_code == 404
    assert client.post(case_page(change), {"action": "report"}).status_code == 404
    assert client.get(f"{BASE}{change.pk}/document/").status_code == 404


def test_a_student_does_not_reach_the_staff_pages(
    client_for, college_a_staff, student_a, second_years, clock
):
    change = filed(college_a_staff, second_years[0], Kind.WITHDRAWAL)
    assert client_for(student_a).get(case_page(change)).status_code == 302  # to the staff sign-in


@pytest.mark.rule("ANN-5")
def test_the_registrar_approves_on_the_page_with_the_document(
    client_for, college_a_staff, registrar, second_years, clock
):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    form = {
        "action": "approve",
        "decision_date": "2026-10-12",
        "document_number": "校学〔2026〕12号",
        "document": SimpleUploadedFile("决定.pdf", PDF, content_type="application/pdf"),
    }
    client = client_for(registrar)
    client.post(case_page(change), form)
    assert StatusChange.objects.get(pk=change.pk).state == ChangeState.APPROVED
    assert client.get(f"{BASE}{change.pk}/document/").content == PDF


def test_the_college_sees_no_approval_form(client_for, college_a_staff, second_years, clock):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    page = client_for(college_a_staff).get(case_page(change)).content.decode()
    assert 'id="approve-form"' not in page


def test_the_college_cannot_approve_by_posting_the_form(client_for, college_a_staff, second_years, clock):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    form = {
        "action": "approve",
        "decision_date": "2026-10-12",
        "document_number": "1号",
        "document": SimpleUploadedFile("决定.pdf", PDF),
    }
    response = client_for(college_a_staff).post(case_page(change), form, follow=True)
    assert "只有教务处可以审批学籍异动" in response.content.decode()
    assert StatusChange.objects.get(pk=change.pk).state == ChangeState.SUBMITTED


def test_the_registrar_changes_what_a_kind_does_and_the_college_cannot(
    client_for, registrar, college_a_staff, kind_settings
):
    setting = ChangeKindSetting.objects.get(kind=Kind.REPEAT_YEAR)
    url = f"/admin/annual_registration/changekindsetting/{setting.pk}/change/"
    assert client_for(college_a_staff).post(url, {"enabled": ""}).status_code == 403
    form = {
        "transition": "",
        "in_school": "on",
        "changes_grade": "on",
        "changes_expected_graduation_date": "on",
    }
    client_for(registrar).post(url, form)
    setting.refresh_from_db()
    assert (setting.hidden_under_credit_system, setting.enabled) == (False, False)


# ---------------------------------------------------------------- ANN-11: the archive of a student who left


@pytest.fixture
def withdrawn_student_a(college_a_staff, registrar, student_a, clock, kind_settings):
    approved(college_a_staff, registrar, student_a.student, Kind.WITHDRAWAL, reason="本人申请退学")
    return student_a


@pytest.mark.rule("ANN-11")
def test_a_student_who_left_still_reads_their_own_record(client_for, withdrawn_student_a):
    response = client_for(withdrawn_student_a).get("/me/")
    assert response.status_code == 200
    assert "已注销学籍" in response.content.decode()


@pytest.mark.rule("ANN-11")
def test_a_student_who_left_writes_nothing(client_for, withdrawn_student_a):
    response = client_for(withdrawn_student_a).post("/enrollment/me/report/", {"description": "信息有误"})
    assert response.status_code == 403


@pytest.mark.rule("ANN-11")
def test_a_student_who_left_is_refused_writes_in_the_api_too(client_for, withdrawn_student_a):
    response = client_for(withdrawn_student_a).post(
        "/api/annual/changes/", {}, content_type="application/json"
    )
    assert (response.status_code, response.json()["detail"]) == (403, "学籍已注销，账号只能查看本人学籍档案")


@pytest.mark.rule("ANN-11")
def test_a_student_who_left_can_still_sign_out(client_for, withdrawn_student_a):
    assert client_for(withdrawn_student_a).post("/accounts/logout/").status_code == 302
