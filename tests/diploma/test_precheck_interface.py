"""The pre-check's interface: drafts created where missing and moved to prechecked, one event each (DIP-10)."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from diploma.models import Certificate, CertificateState
from diploma.services.certificates import certificates_precheck
from registrar.errors import DomainError
from tests.diploma.builders import cohort, graduating

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DIP-10")
def test_precheck_drafts_and_prechecks_each_graduate_once(registrar, school, major_a):
    graduates = cohort(registrar, graduating(major_a, 3))
    assert certificates_precheck(registrar, [g.pk for g in graduates]) == 3
    assert certificates_precheck(registrar, [g.pk for g in graduates]) == 0
    assert set(Certificate.objects.values_list("state", flat=True)) == {CertificateState.PRECHECKED}
    assert AuditEvent.objects.filter(action="diploma.certificate.precheck").count() == 3


@pytest.mark.rule("DIP-1")
def test_a_completion_outcome_gets_a_completion_certificate_and_attended_none(registrar, school, major_a):
    completed = cohort(registrar, graduating(major_a, 1), outcome="completed")
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
