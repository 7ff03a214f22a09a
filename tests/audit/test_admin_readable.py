"""The audit admin pages as people read them (issue 10, item 4): Chinese actions, named subjects,
before/after as the fields that changed, never raw JSON; id numbers masked (SEC-2, SEC-3)."""

import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.models import AdmissionRecord
from enrollment.services import correction_answer, correction_apply, correction_create, correction_send
from registrar.idcard import make_id_number, mask
from tests.enrollment.builders import registered_through_a_list

pytestmark = pytest.mark.django_db

NEW_NUMBER = make_id_number("110101", datetime.date(2007, 5, 1), 321, "1")


@pytest.fixture
def registration(freshmen_a, college_a_staff, registrar, college_a, term):
    record = registered_through_a_list(
        freshmen_a[0], staff=college_a_staff, registrar=registrar, college=college_a, term=term
    )
    return AuditEvent.objects.get(action="enrollment.review.register", subject_id=str(record.pk))


@pytest.mark.rule("SEC-3")
def test_the_audit_list_names_the_action_in_chinese_and_the_subject_by_name(
    registration, registrar, client_for
):
    page = client_for(registrar).get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "教务处审批通过名单：注册学籍" in page
    record = AdmissionRecord.objects.get(pk=registration.subject_id)
    assert f"{record.name}（{record.exam_number}）" in page


@pytest.mark.rule("SEC-3")
def test_an_audit_event_shows_its_changes_as_old_and_new_values_not_json(registration, registrar, client_for):
    url = reverse("admin:audit_auditevent_change", args=[registration.pk])
    page = client_for(registrar).get(url).content.decode()
    assert "教务处审批通过名单：注册学籍" in page
    assert "<th>录取状态</th><td>" in page and "<td>→</td><td>已注册学籍</td>" in page
    assert '{"state"' not in page and "&quot;state&quot;" not in page


@pytest.mark.rule("SEC-2")
def test_a_corrected_id_number_is_masked_in_the_readable_changes(
    registration, college_a_staff, registrar, client_for
):
    record = AdmissionRecord.objects.get(pk=registration.subject_id)
    request = correction_create(
        actor=college_a_staff, record_id=record.pk, requested={"id_number": NEW_NUMBER}, reason="证件号码有误"
    )
    correction_send(actor=registrar, request_id=request.pk, document_number="招函〔2026〕3号")
    correction_answer(actor=registrar, request_id=request.pk, answer={"id_number": NEW_NUMBER}, note="同意")
    correction_apply(actor=registrar, request_id=request.pk)
    event = AuditEvent.objects.get(action="enrollment.admission.correct")
    page = (
        client_for(registrar).get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    )
    assert f"<td>{mask(record.id_number)}</td><td>→</td><td>{mask(NEW_NUMBER)}</td>" in page
    assert NEW_NUMBER not in page and record.id_number not in page


def test_the_subject_type_filter_offers_names_not_codes(registration, registrar, client_for):
    page = client_for(registrar).get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "?subject_type=enrollment.admissionrecord" in page
    assert re.search(r">\s*录取数据\s*</a>", page)  # the theme puts spaces around a filter's label
