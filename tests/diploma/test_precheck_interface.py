"""The pre-check's interface: drafts created where missing and moved to prechecked, one event each (DIP-10);
only for graduates the pre-check report passes."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from diploma.models import Certificate, CertificateState
from diploma.services.certificates import certificates_precheck
from registrar.errors import DomainError
from tests.diploma.builders import cohort, graduating, photo_confirmed
from tests.diploma.precheck_builders import admission_of

pytestmark = pytest.mark.django_db


def named(graduate, *labels: str) -> str:
    """The refusal's words for ``graduate``: name, 学号 and the labels of its problems."""
    student = graduate.student
    return re.escape(f"{student.name}（{student.student_number}）未通过预审：{'、'.join(labels)}")


@pytest.mark.rule("DIP-10")
def test_precheck_drafts_and_prechecks_each_graduate_once(registrar, school, major_a):
    graduates = cohort(registrar, graduating(major_a, 3), ready=True)
    assert certificates_precheck(registrar, [g.pk for g in graduates]) == 3
    assert certificates_precheck(registrar, [g.pk for g in graduates]) == 0
    assert set(Certificate.objects.values_list("state", flat=True)) == {CertificateState.PRECHECKED}
    assert AuditEvent.objects.filter(action="diploma.certificate.precheck").count() == 3


@pytest.mark.rule("DIP-1")
def test_a_completion_outcome_gets_a_completion_certificate_and_attended_none(registrar, school, major_a):
    completed = cohort(registrar, graduating(major_a, 1), outcome="completed", ready=True)
    attended = cohort(registrar, graduating(major_a, 1), outcome="attended")
    certificates_precheck(registrar, [completed[0].pk])
    assert Certificate.objects.get().kind == "completion"
    with pytest.raises(DomainError, match="肄业"):
        certificates_precheck(registrar, [attended[0].pk])
    assert attended[0].student.certificates_issued.get().get_kind_display() == "肄业证书"


def test_college_staff_cannot_precheck(registrar, college_a_staff, school, major_a):
    graduates = cohort(registrar, graduating(major_a, 1))
    with pytest.raises(PermissionDenied):
        certificates_precheck(college_a_staff, [graduates[0].pk])


@pytest.mark.rule("DIP-10")
@pytest.mark.rule("DIP-9")
def test_a_graduate_without_a_verified_photo_is_refused_and_nothing_is_written(registrar, school, major_a):
    graduate = cohort(registrar, graduating(major_a, 1))[0]
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=named(graduate, "无校对通过的照片（DIP-9）")):
        certificates_precheck(registrar, [graduate.pk])
    assert not Certificate.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.rule("DIP-10")
@pytest.mark.rule("DIP-4")
def test_one_flagged_graduate_among_clean_ones_refuses_them_all(registrar, school, major_a):
    clean = cohort(registrar, graduating(major_a, 2), ready=True)
    student = graduating(major_a, 1)[0]
    admission_of(student, name="王小明")
    photo_confirmed(registrar, [student])
    flagged = cohort(registrar, [student])[0]
    with pytest.raises(DomainError, match=named(flagged, "与录取数据不一致（DIP-4）")) as refusal:
        certificates_precheck(registrar, [g.pk for g in [*clean, flagged]])
    assert not any(g.student.student_number in str(refusal.value) for g in clean)
    assert not Certificate.objects.exists()
    assert certificates_precheck(registrar, [g.pk for g in clean]) == 2


@pytest.mark.rule("DIP-10")
def test_the_refusal_names_the_first_20_graduates_and_then_stops(registrar, school, major_a):
    graduates = cohort(registrar, graduating(major_a, 21))
    with pytest.raises(DomainError) as refusal:
        certificates_precheck(registrar, [g.pk for g in graduates])
    message = str(refusal.value)
    assert message.count("未通过预审") == 20 and message.endswith("……")
