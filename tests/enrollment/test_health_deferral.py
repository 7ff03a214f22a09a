"""保留入学资格 after registration, for health reasons (ENR-5): the admission stays, the 学籍 ends (ENR-4).

A registered freshman whom the 复查 finds unfit to study, diagnosed by a
grade-2A or higher hospital, may take 保留入学资格: the record is deferred,
the student's 学籍状态 becomes 保留入学资格（不具有学籍）. Back, they pass the 复查
again from the term they enter and are registered again on their own Student row.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import student_history
from enrollment.models import AdmissionRecord
from enrollment.services import admission_rereview, admission_transition, outcome_sources, path_to
from registrar import codes
from registrar.models import Student
from registrar.services import DomainError
from tests.enrollment.builders import registered_through_a_list

pytestmark = [pytest.mark.django_db, pytest.mark.rule("ENR-5")]

DIAGNOSIS = "沈医诊〔2026〕118号"
LATER = timezone.localdate() + datetime.timedelta(days=365)


@pytest.fixture
def registered(freshmen_a, college_a_staff, registrar, college_a, term):
    return registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )


def defer_for_health(registrar, record, **overrides):
    arguments = {
        "transition": "defer_for_health",
        "reason": "复查：经二级甲等以上医院诊断，需在家休养",
        "document_number": DIAGNOSIS,
        "deferral_end": LATER,
    }
    return admission_transition(actor=registrar, record_id=record.pk, **{**arguments, **overrides})


def test_a_registered_freshman_unfit_for_health_reasons_defers_and_holds_no_student_status(
    registrar, registered
):
    defer_for_health(registrar, registered)
    record = AdmissionRecord.objects.select_related("student").get(pk=registered.pk)
    assert (record.state, record.deferral_end) == ("deferred", LATER)
    assert record.student.student_status == codes.StudentStatus.ADMISSION_DEFERRED
    assert record.student.student_status not in codes.ACTIVE_STUDENT_STATUSES


def test_the_deferral_and_the_end_of_the_student_status_carry_the_diagnosis(registrar, registered):
    defer_for_health(registrar, registered)
    found = AuditEvent.objects.filter(document_number=DIAGNOSIS).values_list("action", "reason")
    assert sorted(action for action, _reason in found) == [
        "enrollment.admission.defer_for_health",
        "registrar.student.defer_admission",
    ]
    assert {reason for _action, reason in found} == {"复查：经二级甲等以上医院诊断，需在家休养"}


def test_the_students_history_reads_the_health_deferral_in_chinese(registrar, college_a_staff, registered):
    defer_for_health(registrar, registered)
    labels = [e.label for e in student_history(college_a_staff, registered.student_id)][-2:]
    assert labels == ["因病保留入学资格", "保留入学资格（不具有学籍）"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"document_number": ""}, "诊断证明"), ({"deferral_end": None}, "截止日期"), ({"reason": " "}, "原因")],
)
def test_a_health_deferral_needs_its_diagnosis_end_date_and_reason(registrar, registered, overrides, message):
    with pytest.raises(DomainError, match=message):
        defer_for_health(registrar, registered, **overrides)
    assert AdmissionRecord.objects.get(pk=registered.pk).state == "registered"
    assert Student.objects.get(pk=registered.student_id).student_status == codes.StudentStatus.IN_SCHOOL


def test_a_deferral_after_registration_for_another_reason_is_refused(registrar, registered):
    with pytest.raises(DomainError, match=r"已注册学籍：注册后只有.*因病保留入学资格"):
        admission_transition(
            actor=registrar,
            record_id=registered.pk,
            transition="defer",
            reason="入伍",
            deferral_end=LATER,
        )
    assert not AuditEvent.objects.filter(action__contains="defer").exists()


def test_before_registration_a_health_deferral_is_not_the_way(registrar, freshmen_a):
    """Before registration the ordinary 保留入学资格 applies; the health deferral is for a registered 学籍."""
    with pytest.raises(DomainError, match="不能因病保留入学资格"):
        defer_for_health(registrar, freshmen_a[0])


def test_no_review_list_outcome_reaches_a_registered_freshman_through_a_health_deferral():
    assert path_to("forfeit", "registered") is None and path_to("cancel", "registered") is None
    assert "registered" not in outcome_sources("forfeited") | outcome_sources("cancelled")


def test_back_from_the_deferral_the_rereview_starts_again_from_the_term_they_enter(registrar, registered):
    admission_rereview(actor=registrar, record_id=registered.pk, passed=True, reason="复查合格")
    defer_for_health(registrar, registered)
    admission_transition(
        actor=registrar, record_id=registered.pk, transition="readmit", reason="康复，申请入学"
    )
    record = AdmissionRecord.objects.get(pk=registered.pk)
    assert (record.state, record.rereview_passed_on) == ("admitted", None)
    assert record.entered_term_start is not None


def test_registered_again_the_freshman_keeps_their_student_row_and_number(
    registrar, college_a_staff, college_a, term, registered
):
    student = Student.objects.get(pk=registered.student_id)
    defer_for_health(registrar, registered)
    admission_transition(
        actor=registrar, record_id=registered.pk, transition="readmit", reason="康复，申请入学"
    )
    again = registered_through_a_list(
        registered, staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    assert (again.state, again.student_id) == ("registered", student.pk)
    back = Student.objects.get(pk=student.pk)
    assert (back.student_status, back.student_number) == (
        codes.StudentStatus.IN_SCHOOL,
        student.student_number,
    )
    assert Student.objects.count() == 1


def test_the_record_page_offers_the_health_deferral_to_the_registrar_only(
    client_for, registrar, college_a_staff, registered
):
    url = reverse("admin:enrollment_admissionrecord_detail", args=[registered.pk])
    assert 'id="transition-defer_for_health"' in client_for(registrar).get(url).content.decode()
    assert 'id="transition-defer_for_health"' not in client_for(college_a_staff).get(url).content.decode()


def test_the_registrar_defers_for_health_on_the_record_page(client_for, registrar, registered):
    url = reverse("admin:enrollment_admissionrecord_detail", args=[registered.pk])
    client_for(registrar).post(
        url,
        {
            "action": "transition",
            "transition": "defer_for_health",
            "reason": "复查：经二级甲等以上医院诊断，需在家休养",
            "document_number": DIAGNOSIS,
            "deferral_end": LATER.isoformat(),
        },
    )
    record = AdmissionRecord.objects.select_related("student").get(pk=registered.pk)
    assert (record.state, record.student.student_status) == (
        "deferred",
        codes.StudentStatus.ADMISSION_DEFERRED,
    )


def test_the_api_refuses_a_health_deferral_without_the_diagnosis(client_for, registrar, registered):
    response = client_for(registrar).post(
        f"/api/enrollment/records/{registered.pk}/transition/",
        {"transition": "defer_for_health", "reason": "身体原因", "deferral_end": LATER.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and "诊断证明" in response.content.decode()
    assert AdmissionRecord.objects.get(pk=registered.pk).state == "registered"
