"""The status-change API (issue 11, items 3-5): the same services, scoped, refused with reasons."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annual_registration.models import ChangeKindSetting, ChangeState, StatusChange
from registrar import codes
from tests.annual_registration.change_builders import PDF, approved, filed, submitted

Kind = codes.StatusChangeKind
CHANGES = "/api/annual/changes/"


def decision(document: bytes = PDF, name: str = "决定.pdf") -> dict:
    return {
        "decision_date": "2026-10-12",
        "document_number": "校学〔2026〕12号",
        "document": SimpleUploadedFile(name, document, content_type="application/pdf"),
    }


@pytest.mark.rule("ANN-4")
def test_college_staff_file_a_change_through_the_api(api, college_a_staff, second_years, clock):
    body = {"student": second_years[0].pk, "kind": Kind.WITHDRAWAL, "reason": "本人申请退学"}
    response = api(college_a_staff).post(CHANGES, body, format="json")
    assert response.status_code == 201
    assert (response.data["state"], response.data["actions"]) == (ChangeState.DRAFT, ["submit", "withdraw"])


@pytest.mark.rule("ANN-4")
def test_a_refusal_through_the_api_is_a_400_with_its_reason(api, college_a_staff, second_years, clock):
    body = {"student": second_years[0].pk, "kind": Kind.RESUMPTION, "reason": "复学"}
    response = api(college_a_staff).post(CHANGES, body, format="json")
    assert response.status_code == 400
    assert "不能办理复学" in response.data["detail"]


def test_another_colleges_staff_cannot_file_for_college_as_student(api, college_b_staff, second_years, clock):
    body = {"student": second_years[0].pk, "kind": Kind.WITHDRAWAL, "reason": "本人申请退学"}
    assert api(college_b_staff).post(CHANGES, body, format="json").status_code == 404


def test_another_colleges_staff_neither_see_nor_move_a_change(
    api, college_a_staff, college_b_staff, second_years, clock
):
    change = filed(college_a_staff, second_years[0], Kind.WITHDRAWAL)
    client = api(college_b_staff)
    assert client.get(f"{CHANGES}{change.pk}/").status_code == 404
    assert client.post(f"{CHANGES}{change.pk}/submit/").status_code == 404
    assert client.get(CHANGES).data["count"] == 0


@pytest.mark.parametrize("who", ["student_a", "student_b"])
def test_students_have_no_access_to_the_cases(api, request, college_a_staff, second_years, clock, who):
    change = filed(college_a_staff, second_years[0], Kind.WITHDRAWAL)
    client = api(request.getfixturevalue(who))
    assert client.get(f"{CHANGES}{change.pk}/").status_code == 403
    assert client.post(f"{CHANGES}{change.pk}/submit/").status_code == 403


@pytest.mark.rule("ANN-5")
def test_the_registrar_approves_with_the_decision_document(
    api, college_a_staff, registrar, second_years, clock
):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    response = api(registrar).post(f"{CHANGES}{change.pk}/approve/", decision(), format="multipart")
    assert response.status_code == 200
    assert (response.data["state"], response.data["document_number"]) == (
        ChangeState.APPROVED,
        "校学〔2026〕12号",
    )
    assert api(registrar).get(f"{CHANGES}{change.pk}/document/").content == PDF


def test_a_decision_document_that_is_not_a_pdf_or_an_image_is_refused(
    api, college_a_staff, registrar, second_years, clock
):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    response = api(registrar).post(
        f"{CHANGES}{change.pk}/approve/", decision(b"MZ\x90\x00not a pdf"), format="multipart"
    )
    assert response.status_code == 400
    # The refusal calls the file what it is: the decision document, not an identity change's proof.
    assert response.data["detail"].startswith("处理决定文件“决定.pdf”不是可接受的文件")
    assert StatusChange.objects.get(pk=change.pk).state == ChangeState.SUBMITTED


def test_a_decision_document_above_the_upload_limit_is_refused(
    api, settings, college_a_staff, registrar, second_years, clock
):
    settings.IDENTITY_PROOF_MAX_BYTES = 1024
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    response = api(registrar).post(
        f"{CHANGES}{change.pk}/approve/", decision(PDF + b"0" * 2048), format="multipart"
    )
    assert response.status_code == 400
    assert response.data["detail"].startswith("处理决定文件“决定.pdf”为2 KB，超过上限1 KB")


def test_the_college_cannot_approve_through_the_api(api, college_a_staff, second_years, clock):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    assert (
        api(college_a_staff)
        .post(f"{CHANGES}{change.pk}/approve/", decision(), format="multipart")
        .status_code
        == 403
    )


def test_another_colleges_staff_cannot_download_the_decision_document(
    api, college_a_staff, college_b_staff, registrar, second_years, clock
):
    change = approved(college_a_staff, registrar, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    assert api(college_b_staff).get(f"{CHANGES}{change.pk}/document/").status_code == 404


def test_a_return_without_a_reason_is_refused(api, college_a_staff, registrar, second_years, clock):
    change = submitted(college_a_staff, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    response = api(registrar).post(f"{CHANGES}{change.pk}/return/", {}, format="json")
    assert (response.status_code, response.data["detail"]) == (400, "退回时请填写意见")


def test_the_registrar_marks_a_change_reported(api, college_a_staff, registrar, second_years, clock):
    change = approved(college_a_staff, registrar, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    response = api(registrar).post(f"{CHANGES}{change.pk}/report/")
    assert (response.status_code, response.data["state"]) == (200, ChangeState.REPORTED)


def test_the_registrar_extends_a_suspension(api, college_a_staff, registrar, second_years, clock):
    period = {"period_start": datetime.date(2026, 10, 12), "period_end": datetime.date(2027, 3, 1)}
    change = approved(college_a_staff, registrar, second_years[0], Kind.SUSPENSION, **period)
    body = {"period_end": "2027-09-01", "reason": "病情未愈，延长休学", "document_number": "校学〔2027〕3号"}
    response = api(registrar).post(f"{CHANGES}{change.pk}/extend/", body, format="json")
    assert (response.status_code, response.data["period_end"]) == (200, "2027-09-01")


# ---------------------------------------------------------------- the kinds (ANN-4, ANN-5)

KINDS = "/api/annual/change-kinds/"


@pytest.mark.rule("ANN-4")
def test_the_registrar_switches_repeat_year_on_for_a_credit_system_school(api, registrar, kind_settings):
    setting = ChangeKindSetting.objects.get(kind=Kind.REPEAT_YEAR)
    response = api(registrar).patch(
        f"{KINDS}{setting.pk}/", {"hidden_under_credit_system": False}, format="json"
    )
    assert response.status_code == 200
    assert not ChangeKindSetting.objects.get(pk=setting.pk).hidden_under_credit_system


@pytest.mark.rule("ANN-5")
def test_a_deregistration_kind_must_deregister(api, registrar, kind_settings):
    setting = ChangeKindSetting.objects.get(kind=Kind.WITHDRAWAL)
    response = api(registrar).patch(f"{KINDS}{setting.pk}/", {"transition": "suspend"}, format="json")
    assert response.status_code == 400
    assert "学籍注销" in response.data["detail"]


def test_college_staff_read_the_kinds_but_do_not_change_them(api, college_a_staff, kind_settings):
    setting = ChangeKindSetting.objects.get(kind=Kind.REPEAT_YEAR)
    client = api(college_a_staff)
    assert client.get(KINDS).status_code == 200
    assert client.patch(f"{KINDS}{setting.pk}/", {"enabled": False}, format="json").status_code == 403


def test_students_do_not_read_the_kinds(api, student_a):
    assert api(student_a).get(KINDS).status_code == 403


# ---------------------------------------------------------------- the lists

LISTS = "/api/annual/change-lists/"


@pytest.mark.rule("ANN-4")
def test_a_major_change_list_goes_through_the_api(
    api, college_a_staff, registrar, college_a, term, second_years, other_major_a, clock
):
    staff = api(college_a_staff)
    batch = staff.post(LISTS, {"college": college_a.pk, "term": term.pk}, format="json").data
    items = [
        {
            "student_number": s.student_number,
            "outcome": Kind.MAJOR_CHANGE,
            "major_code": other_major_a.code,
            "reason": "专业调整",
        }
        for s in second_years
    ]
    assert staff.post(f"{LISTS}{batch['id']}/items/", {"items": items}, format="json").status_code == 200
    assert staff.post(f"{LISTS}{batch['id']}/submit/").status_code == 200
    response = api(registrar).post(
        f"{LISTS}{batch['id']}/approve/", {"document_number": "校教〔2026〕30号"}, format="json"
    )
    assert response.status_code == 200
    assert StatusChange.objects.filter(batch_id=batch["id"], state=ChangeState.APPROVED).count() == 5


def test_another_colleges_staff_cannot_see_a_change_list(
    api, college_a_staff, college_b_staff, college_a, term, clock
):
    batch = api(college_a_staff).post(LISTS, {"college": college_a.pk, "term": term.pk}, format="json").data
    assert api(college_b_staff).get(f"{LISTS}{batch['id']}/items/").status_code == 404


def test_a_returned_change_is_revised_and_submitted_again_through_the_api(
    api, college_a_staff, registrar, second_years, clock
):
    period = {"period_start": datetime.date(2026, 10, 12), "period_end": datetime.date(2027, 3, 1)}
    change = submitted(college_a_staff, second_years[0], Kind.SUSPENSION, reason="病休", **period)
    api(registrar).post(
        f"{CHANGES}{change.pk}/return/", {"comment": "休学期限请按诊断证明填写"}, format="json"
    )
    staff = api(college_a_staff)
    body = {
        "kind": Kind.SUSPENSION,
        "reason": "病休",
        "period_start": "2026-10-12",
        "period_end": "2027-07-15",
    }
    assert staff.post(f"{CHANGES}{change.pk}/revise/", body, format="json").data["period_end"] == "2027-07-15"
    assert staff.post(f"{CHANGES}{change.pk}/submit/").data["state"] == ChangeState.SUBMITTED
