"""Full id numbers only where they are needed (SEC-2): staff pages, history, audit trail and search."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.services import correction_create
from registrar.idcard import make_id_number, mask
from tests.factories import StudentFactory

NEW_NUMBER = make_id_number("110101", datetime.date(2007, 5, 1), 321, "1")


def found_by_search(client, term: str) -> list[str]:
    response = client.get(reverse("admin:enrollment_admissionrecord_changelist"), {"q": term})
    assert response.status_code == 200
    return [r.exam_number for r in response.context["cl"].result_list]


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("role", ["registrar", "college_a_staff", "auditor"])
def test_a_partial_id_number_finds_nobody(freshmen_a, client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    assert found_by_search(client, freshmen_a[0].id_number[6:14]) == []


@pytest.mark.rule("SEC-2")
def test_the_registrar_finds_a_record_by_its_full_id_number(freshmen_a, client_for, registrar):
    record = freshmen_a[0]
    assert found_by_search(client_for(registrar), record.id_number.lower()) == [record.exam_number]


@pytest.mark.rule("SEC-2")
def test_college_staff_cannot_search_by_a_full_id_number(freshmen_a, client_for, college_a_staff):
    assert found_by_search(client_for(college_a_staff), freshmen_a[0].id_number) == []


@pytest.mark.rule("SEC-2")
def test_search_by_name_and_exam_number_still_works(freshmen_a, client_for, college_a_staff):
    record = freshmen_a[0]
    assert found_by_search(client_for(college_a_staff), record.exam_number) == [record.exam_number]


@pytest.fixture
def correction(freshmen_a, registrar):
    return correction_create(
        actor=registrar, record_id=freshmen_a[0].pk, requested={"id_number": NEW_NUMBER}, reason="核对"
    )


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("role", ["college_a_staff", "auditor"])
def test_the_correction_page_masks_the_requested_number(correction, client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    page = client.get(
        reverse("admin:enrollment_correctionrequest_change", args=[correction.pk])
    ).content.decode()
    assert NEW_NUMBER not in page and mask(NEW_NUMBER) in page


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("role", ["college_a_staff", "auditor", "registrar"])
def test_the_audit_event_page_masks_id_numbers_before_and_after(correction, client_for, request, role):
    event = AuditEvent.objects.get(action="enrollment.correction.create")
    client = client_for(request.getfixturevalue(role))
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    assert NEW_NUMBER not in page and mask(NEW_NUMBER) in page


@pytest.mark.rule("SEC-2")
def test_the_record_page_shows_college_staff_the_masked_number(
    correction, freshmen_a, client_for, college_a_staff
):
    url = reverse("admin:enrollment_admissionrecord_detail", args=[freshmen_a[0].pk])
    page = client_for(college_a_staff).get(url).content.decode()
    assert freshmen_a[0].id_number not in page and NEW_NUMBER not in page


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("role", ["college_a_staff", "auditor"])
def test_a_students_history_page_masks_an_id_number_change(major_a, client_for, request, role):
    student = StudentFactory(major=major_a, birth_date=datetime.date(2007, 5, 1), gender="1")
    old = student.id_number
    student.id_number = NEW_NUMBER
    student.save()
    client = client_for(request.getfixturevalue(role))
    page = client.get(reverse("admin:registrar_student_history", args=[student.pk])).content.decode()
    assert old not in page and NEW_NUMBER not in page and mask(NEW_NUMBER) in page
