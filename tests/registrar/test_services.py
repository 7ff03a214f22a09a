import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from registrar.models import College
from registrar.services import DomainError, student_change_status
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_an_id_number_holds_one_active_status_at_a_time(student_a_record, major_b):
    # rule ENR-6: the database itself refuses a second active 学籍 for the same number
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentFactory(id_number=student_a_record.id_number, major=major_b)


def test_a_deregistered_person_may_hold_a_new_status(registrar, student_a_record, major_b):
    # rule ENR-6: only active statuses count
    student_change_status(
        actor=registrar, student_id=student_a_record.pk, transition="deregister", reason="退学"
    )
    assert StudentFactory(id_number=student_a_record.id_number, major=major_b).pk


def test_a_transition_from_the_wrong_status_is_refused_in_chinese(registrar, student_a_record):
    with pytest.raises(DomainError, match="不能办理复学"):
        student_change_status(actor=registrar, student_id=student_a_record.pk, transition="resume", reason="")


def test_college_staff_cannot_change_a_status(college_a_staff, student_a_record):
    with pytest.raises(PermissionDenied):
        student_change_status(
            actor=college_a_staff, student_id=student_a_record.pk, transition="suspend", reason=""
        )


def test_the_registrar_edits_reference_data_in_the_admin_with_an_audit_event(
    client_for, registrar, college_a
):
    response = client_for(registrar).post(
        f"/admin/registrar/college/{college_a.pk}/change/", {"code": "A01", "name": "计算机与人工智能学院"}
    )
    assert response.status_code == 302
    assert College.objects.get(pk=college_a.pk).name == "计算机与人工智能学院"
    event = AuditEvent.objects.get(action="registrar.college.update")
    assert (event.before, event.after) == ({"name": "计算机学院"}, {"name": "计算机与人工智能学院"})
