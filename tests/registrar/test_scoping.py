"""Scoped reads (SEC-2): staff see their colleges only; a student sees only themself."""

import pytest

from registrar.models import Student

pytestmark = pytest.mark.django_db


def test_college_b_staff_see_none_of_college_a_students(college_a_staff, college_b_staff, student_a_record):
    assert list(Student.objects.for_user(college_a_staff)) == [student_a_record]
    assert not Student.objects.for_user(college_b_staff).exists()


def test_a_student_sees_only_themself(student_a, student_b):
    assert list(Student.objects.for_user(student_b)) == [student_b.student]


def test_registrar_and_auditor_see_every_college(registrar, auditor, student_a_record, student_b_record):
    assert Student.objects.for_user(registrar).count() == 2
    assert Student.objects.for_user(auditor).count() == 2


def test_an_anonymous_visitor_sees_nothing(student_a_record):
    from django.contrib.auth.models import AnonymousUser

    assert not Student.objects.for_user(AnonymousUser()).exists()


def test_admin_student_list_of_college_b_staff_omits_college_a(client_for, college_b_staff, student_a_record):
    response = client_for(college_b_staff).get("/admin/registrar/student/")
    assert response.status_code == 200
    assert student_a_record.name not in response.text


def test_admin_student_page_of_another_college_is_not_found(client_for, college_b_staff, student_a_record):
    client = client_for(college_b_staff)
    assert client.get(f"/admin/registrar/student/{student_a_record.pk}/change/").status_code == 302
    assert client.get(f"/admin/registrar/student/{student_a_record.pk}/history/").status_code == 404


def test_college_a_staff_read_their_student_but_cannot_edit_it(client_for, college_a_staff, student_a_record):
    client = client_for(college_a_staff)
    page = client.get(f"/admin/registrar/student/{student_a_record.pk}/change/")
    assert page.status_code == 200
    response = client.post(f"/admin/registrar/student/{student_a_record.pk}/change/", {"name": "篡改"})
    assert response.status_code == 403
    student_a_record.refresh_from_db()
    assert student_a_record.name == "甲同学"


def test_admin_hides_the_full_id_number(client_for, registrar, student_a_record):
    response = client_for(registrar).get(f"/admin/registrar/student/{student_a_record.pk}/change/")
    assert student_a_record.id_number not in response.text


def test_api_students_of_college_b_staff_omit_college_a(
    client_for, college_b_staff, student_a_record, student_b_record
):
    response = client_for(college_b_staff).get("/api/students/")
    assert [row["name"] for row in response.json()["results"]] == ["乙同学"]
    assert client_for(college_b_staff).get(f"/api/students/{student_a_record.pk}/").status_code == 404


def test_api_gives_a_student_only_their_own_record(client_for, student_a, student_b):
    client = client_for(student_a)
    assert [row["id"] for row in client.get("/api/students/").json()["results"]] == [student_a.student_id]
    assert client.get(f"/api/students/{student_b.student_id}/").status_code == 404


def test_api_refuses_anonymous_callers(client, student_a_record):
    assert client.get("/api/students/").status_code == 403


def test_api_colleges_and_majors_are_scoped(client_for, college_b_staff, major_a, major_b):
    client = client_for(college_b_staff)
    assert [c["name"] for c in client.get("/api/colleges/").json()["results"]] == ["外国语学院"]
    assert [m["name"] for m in client.get("/api/majors/").json()["results"]] == ["英语"]


def test_student_page_shows_only_the_signed_in_student_with_a_masked_number(client_for, student_a, student_b):
    response = client_for(student_a).get("/me/")
    assert "甲同学" in response.text and "乙同学" not in response.text
    assert student_a.student.id_number not in response.text


def test_students_cannot_enter_the_staff_pages(client_for, student_a):
    response = client_for(student_a).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_auditor_reads_the_staff_pages_but_cannot_change_reference_data(client_for, auditor, college_a):
    client = client_for(auditor)
    assert client.get("/admin/registrar/college/").status_code == 200
    response = client.post(f"/admin/registrar/college/{college_a.pk}/change/", {"code": "X", "name": "改名"})
    assert response.status_code == 403


def test_only_admins_manage_accounts(client_for, registrar, admin_user):
    assert client_for(registrar).get("/admin/registrar/user/").status_code == 403
    assert client_for(admin_user).get("/admin/registrar/user/").status_code == 200
