"""Annual registration's staff pages and API: what each role may do, and the refusals (SEC-1, SEC-2)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annual_registration.models import AnnualRegistration, FeeRecord
from registrar import batches
from registrar.batch_kinds import ItemInput
from registrar.models import BatchKind, Student
from tests.annual_registration.builders import fees_imported, fees_sheet, roll_opened

pytestmark = pytest.mark.django_db
KIND = BatchKind.ANNUAL_REGISTRATION


@pytest.mark.rule("ANN-1")
def test_the_registrar_opens_the_year_on_its_page_and_sees_the_blockers(
    students_a, registrar, client_for, year_2027
):
    client = client_for(registrar)
    response = client.post(
        "/admin/annual_registration/annualregistration/open/", {"academic_year": year_2027.pk}
    )
    assert response.status_code == 302
    assert AnnualRegistration.objects.count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "未缴费" in page and students_a[0].student_number in page


@pytest.mark.rule("ANN-10")
def test_a_fee_sheet_with_errors_is_shown_row_by_row_and_nothing_is_written(
    students_a, registrar, client_for, year_2027
):
    content = fees_sheet([(students_a[0].student_number, "已缴费"), (students_a[1].student_number, "交了")])
    upload = SimpleUploadedFile("jf.xlsx", content)
    page = client_for(registrar).post(
        "/admin/annual_registration/annualregistration/fees/", {"academic_year": year_2027.pk, "file": upload}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "第3行" in html and "“交了”不是有效的缴费情况代码或名称" in html
    assert not FeeRecord.objects.exists()


@pytest.mark.rule("SEC-1")
def test_college_staff_neither_open_a_year_nor_import_fees(
    students_a, college_a_staff, client_for, year_2027
):
    client = client_for(college_a_staff)
    assert (
        client.post(
            "/admin/annual_registration/annualregistration/open/", {"academic_year": year_2027.pk}
        ).status_code
        == 403
    )
    upload = SimpleUploadedFile("jf.xlsx", fees_sheet([(students_a[0].student_number, "已缴费")]))
    assert client.post("/api/annual/fees/", {"academic_year": 2027, "file": upload}).status_code == 403
    assert client.post("/api/annual/registrations/open/", {"academic_year": 2027}).status_code == 403
    assert not AnnualRegistration.objects.exists()


@pytest.mark.rule("SEC-2")
def test_staff_see_only_their_college_s_roll_and_students_see_none(
    students_a, students_b, registrar, college_a_staff, college_a, student_a, client_for, year_2027
):
    roll_opened(registrar, year_2027)
    rows = client_for(college_a_staff).get("/api/annual/registrations/?academic_year=2027").json()["results"]
    college_a_numbers = set(
        Student.objects.filter(college=college_a).values_list("student_number", flat=True)
    )
    assert {r["student_number"] for r in rows} == college_a_numbers
    assert not college_a_numbers & {s.student_number for s in students_b}
    assert client_for(student_a).get("/api/annual/registrations/").status_code == 403
    other = AnnualRegistration.objects.get(student=students_b[0])
    assert client_for(college_a_staff).get(f"/api/annual/registrations/{other.pk}/").status_code == 404
    page = client_for(college_a_staff).get(
        f"/admin/annual_registration/annualregistration/{other.pk}/change/"
    )
    assert page.status_code in (302, 404)


@pytest.mark.rule("ANN-2")
def test_a_college_submits_its_list_through_the_api_and_the_registrar_approves_it(
    students_a, registrar, college_a_staff, college_a, client_for, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    fees_imported(registrar, year_2027, [(s.student_number, "已缴费") for s in students_a])
    client = client_for(college_a_staff)
    created = client.post("/api/annual/lists/", {"college": college_a.pk, "term": term_2027.pk})
    assert created.status_code == 201, created.content
    batch_id = created.json()["id"]
    items = [{"student_number": s.student_number, "outcome": "register"} for s in students_a]
    assert (
        client.post(
            f"/api/annual/lists/{batch_id}/items/", {"items": items}, content_type="application/json"
        ).status_code
        == 200
    )
    assert client.post(f"/api/annual/lists/{batch_id}/submit/").json()["state"] == "submitted"
    approved = client_for(registrar).post(
        f"/api/annual/lists/{batch_id}/approve/", {"document_number": "教学〔2027〕5号"}
    )
    assert approved.json()["state"] == "approved"
    assert set(AnnualRegistration.objects.values_list("state", flat=True)) == {"registered"}


@pytest.mark.rule("SEC-2")
def test_another_college_s_list_is_not_found_in_the_api(
    students_a, registrar, college_a_staff, college_b_staff, college_a, client_for, year_2027, term_2027
):
    roll_opened(registrar, year_2027)
    batch = batches.batch_create(actor=college_a_staff, kind=KIND, college=college_a, term=term_2027)
    batches.batch_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        kind=KIND,
        items=[ItemInput(key=students_a[0].student_number, outcome="register")],
    )
    client = client_for(college_b_staff)
    assert client.get(f"/api/annual/lists/{batch.pk}/").status_code == 404
    assert client.get(f"/api/annual/lists/{batch.pk}/items/").status_code == 404
    assert client.get(f"/admin/annual_registration/annuallist/{batch.pk}/review/").status_code == 404
