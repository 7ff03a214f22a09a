"""The admin's object history reads through the same scope as the change page, and is a record only (SEC-1, SEC-2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-2")]


def history_item_url(student) -> str:
    version = student.history.latest("history_date")
    return reverse("admin:registrar_student_simple_history", args=[student.pk, version.history_id])


def test_college_staff_cannot_read_another_colleges_history_item(
    client_for, college_a_staff, student_b_record
):
    response = client_for(college_a_staff).get(history_item_url(student_b_record))
    assert response.status_code == 404
    assert "乙同学" not in response.content.decode()


def test_college_staff_cannot_read_another_colleges_history_list(
    client_for, college_a_staff, student_b_record
):
    response = client_for(college_a_staff).get(
        reverse("admin:registrar_student_history", args=[student_b_record.pk])
    )
    assert response.status_code == 404


def test_a_history_item_of_another_student_is_not_found_under_this_students_id(
    client_for, registrar, student_a_record, student_b_record
):
    """A version id of B's history does not open under A's id (no mixing of rows)."""
    version = student_b_record.history.latest("history_date")
    url = reverse("admin:registrar_student_simple_history", args=[student_a_record.pk, version.history_id])
    assert client_for(registrar).get(url).status_code == 404


def test_college_staff_read_their_own_colleges_history_item(client_for, college_a_staff, student_a_record):
    response = client_for(college_a_staff).get(history_item_url(student_a_record))
    assert response.status_code == 200
    assert "甲同学" in response.content.decode()


def test_the_history_item_page_does_not_show_the_full_id_number(client_for, registrar, student_a_record):
    html = client_for(registrar).get(history_item_url(student_a_record)).content.decode()
    assert student_a_record.id_number not in html


@pytest.mark.rule("SEC-1")
@pytest.mark.parametrize("who", ["registrar", "admin_user", "college_a_staff"])
def test_posting_the_history_item_form_reverts_nothing_and_is_refused(
    request, client_for, who, student_a_record
):
    """History is a record: reverting through the admin would bypass the services, so nobody may."""
    user = request.getfixturevalue(who)
    response = client_for(user).post(history_item_url(student_a_record), {"name": "改过的名字"})
    student_a_record.refresh_from_db()
    assert response.status_code == 403
    assert student_a_record.name == "甲同学"


def test_the_history_item_page_offers_no_revert_button(client_for, registrar, student_a_record):
    response = client_for(registrar).get(history_item_url(student_a_record))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
