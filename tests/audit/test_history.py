"""The subject's and the student's history as a shared read: Chinese labels, readable changes, scoped (QRY-1, SEC-2)."""

import datetime
import re

import pytest
from django.db import models, transaction
from django.test.utils import isolate_apps
from django.urls import reverse

from audit.selectors import Change, student_history, subject_history
from audit.services import audit_record
from enrollment.models import AdmissionRecord
from enrollment.services import (
    admission_transition,
    correction_answer,
    correction_apply,
    correction_create,
    correction_send,
)
from registrar.idcard import make_id_number, mask
from registrar.models import Student
from registrar.scoping import scoped_queryset
from tests.enrollment.builders import registered_through_a_list

pytestmark = pytest.mark.django_db

NEW_NUMBER = make_id_number("110101", datetime.date(2007, 5, 1), 321, "1")


@pytest.fixture
def freshman(freshmen_a, college_a_staff, registrar, college_a, term):
    record = registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    return AdmissionRecord.objects.select_related("student").get(pk=record.pk)


@pytest.fixture
def corrected(freshman, college_a_staff, registrar):
    """The freshman's id number corrected on the province's answer (ENR-8)."""
    request = correction_create(
        actor=college_a_staff,
        record_id=freshman.pk,
        requested={"id_number": NEW_NUMBER},
        reason="证件号码有误",
    )
    correction_send(actor=registrar, request_id=request.pk, document_number="招函〔2026〕3号")
    correction_answer(actor=registrar, request_id=request.pk, answer={"id_number": NEW_NUMBER}, note="同意")
    correction_apply(actor=registrar, request_id=request.pk)
    return freshman


def test_the_students_history_names_each_action_in_chinese_with_the_document_number(
    freshman, college_a_staff
):
    [entry] = [
        e for e in student_history(college_a_staff, freshman.student) if e.action.startswith("enrollment.")
    ]
    assert entry.label == "教务处审批通过名单：注册学籍"
    assert entry.document_number == "教学〔2026〕3号" and entry.actor == "registrar"


def test_a_state_change_reads_as_the_field_and_its_two_states(freshman, college_a_staff):
    [entry] = [
        e for e in student_history(college_a_staff, freshman.student) if e.action.startswith("enrollment.")
    ]
    assert Change("录取状态", "已录取", "已注册学籍") in entry.changes
    assert Change("学生", "—", str(freshman.student)) in entry.changes


def test_the_history_holds_the_records_events_from_before_it_had_a_student(
    freshmen_a, college_a_staff, registrar, college_a, term
):
    admission_transition(actor=registrar, record_id=freshmen_a[0].pk, transition="admit", reason="报到")
    record = registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    labels = [e.label for e in student_history(college_a_staff, record.student_id)]
    assert labels.index("报到入学") < labels.index("教务处审批通过名单：注册学籍")


@pytest.mark.rule("SEC-2")
def test_another_colleges_staff_get_nothing_of_the_student(freshman, college_b_staff):
    assert student_history(college_b_staff, freshman.student) == []
    assert subject_history(freshman, reader=college_b_staff) == []


@pytest.mark.rule("SEC-2")
def test_a_student_reads_their_own_history_and_nobody_elses(freshman, student_b):
    own = Student.objects.get(pk=freshman.student_id)
    account = own.account
    assert [e.label for e in student_history(account, own)][-1] == "教务处审批通过名单：注册学籍"
    assert student_history(student_b, own) == []


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("role", ["college_a_staff", "auditor"])
def test_an_id_number_in_a_change_is_masked_for_all_but_the_registrar_office(corrected, request, role):
    entries = student_history(request.getfixturevalue(role), corrected.student)
    [change] = [c for e in entries if e.action == "enrollment.admission.correct" for c in e.changes]
    assert change.field == "证件号码" and change.after == mask(NEW_NUMBER)
    assert corrected.id_number not in change.before


@pytest.mark.rule("SEC-2")
def test_the_registrar_office_reads_the_corrected_number_in_full(corrected, registrar):
    entries = subject_history(corrected, reader=registrar)
    [change] = [c for e in entries if e.action == "enrollment.admission.correct" for c in e.changes]
    assert (change.before, change.after) == (corrected.id_number, NEW_NUMBER)


@isolate_apps("tests")
def test_a_subject_that_reaches_its_college_through_its_student_is_in_that_students_history(
    student_a_record, college_a_staff, college_b_staff, student_a
):
    """Like an annual registration: ``student__college``; the event is placed by that declared scope."""

    class YearRegistration(models.Model):
        student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
        objects = scoped_queryset(college="student__college", student="student").as_manager()

        class Meta:
            app_label = "tests"

        def __str__(self) -> str:
            return f"{self.student}"

    subject = YearRegistration(pk=1, student=student_a_record)
    with transaction.atomic():
        event = audit_record(actor=None, action="tests.yearregistration.register", subject=subject)
    assert (event.student_id, event.college_id) == (student_a_record.pk, student_a_record.college_id)
    [entry] = [e for e in student_history(college_a_staff, student_a_record) if e.action.startswith("tests.")]
    assert entry.label == "其他操作（tests.yearregistration.register）"
    assert student_history(college_b_staff, student_a_record) == []


def test_the_students_page_shows_the_shared_history(freshman, client_for):
    account = Student.objects.get(pk=freshman.student_id).account
    page = client_for(account).get(reverse("enrollment:me")).content.decode()
    assert "教务处审批通过名单：注册学籍" in page and "已注册学籍" in page
    assert "enrollment.review.register" not in page


def test_the_record_page_shows_the_label_with_its_code_as_detail(freshman, client_for, college_a_staff):
    url = reverse("admin:enrollment_admissionrecord_detail", args=[freshman.pk])
    page = client_for(college_a_staff).get(url).content.decode()
    assert "教务处审批通过名单：注册学籍" in page and "<code>enrollment.review.register</code>" in page


def test_the_audit_list_shows_chinese_labels_and_filters_by_code(freshman, client_for, auditor):
    url = reverse("admin:audit_auditevent_changelist")
    response = client_for(auditor).get(url, {"action": "enrollment.review.register"})
    assert {e.action for e in response.context["cl"].result_list} == {"enrollment.review.register"}
    page = response.content.decode()
    assert "教务处审批通过名单：注册学籍" in page
    # The filter's link (the staff pages' theme adds attributes and spaces around the label).
    assert re.search(r'<a href="\?action=registrar\.batch\.approve"[^>]*>\s*名单：审批通过\s*</a>', page)
