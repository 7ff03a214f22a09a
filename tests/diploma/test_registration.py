"""Registration: 18-digit numbers, one sequence per key, 发证日期 = 毕业日期, frozen afterwards (DIP-5, DIP-6, DIP-10)."""

import datetime

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from diploma.models import Certificate
from diploma.services.certificates import certificates_register
from diploma.services.numbers import NumberOrder
from registrar import codes
from registrar.errors import DomainError
from tests.factories import MajorFactory

pytestmark = pytest.mark.django_db


def numbers():
    return list(Certificate.objects.order_by("sequence").values_list("certificate_number", flat=True))


@pytest.mark.rule("DIP-5")
def test_registration_numbers_each_certificate_with_18_digits_and_the_graduation_date(
    registrar, prechecked, major_a
):
    prechecked(major_a, 3)
    assert certificates_register(actor=registrar) == 3
    certificate = Certificate.objects.order_by("sequence").first()
    assert certificate.certificate_number == "109991202605000001"
    assert certificate.issued_on == certificate.graduation_date == datetime.date(2026, 6, 30)
    assert numbers() == [f"1099912026050000{n:02d}" for n in (1, 2, 3)]


def test_graduation_and_completion_share_one_sequence_and_every_step_is_audited(
    registrar, prechecked, major_a
):
    prechecked(major_a, 2)
    prechecked(major_a, 2, outcome="completed")
    certificates_register(actor=registrar)
    assert [n[-6:] for n in numbers()] == ["000001", "000002", "000003", "000004"]
    assert AuditEvent.objects.filter(action="diploma.certificate.register").count() == 4
    assert set(Certificate.objects.values_list("student__student_status", flat=True)) == {
        codes.StudentStatus.GRADUATED,
        codes.StudentStatus.COMPLETED,
    }


def test_spring_and_autumn_graduates_share_the_sequence_and_levels_have_their_own(
    registrar, prechecked, major_a, college_a
):
    junior = MajorFactory(college=college_a, level=codes.Level.JUNIOR_COLLEGE)
    prechecked(major_a, 1)
    prechecked(major_a, 1, date=datetime.date(2026, 1, 10))
    prechecked(junior, 1)
    certificates_register(actor=registrar)
    assert sorted(numbers()) == ["109991202605000001", "109991202605000002", "109991202606000001"]


def test_the_numbering_order_is_the_registrars_choice(registrar, prechecked, college_a):
    second, first = (
        MajorFactory(college=college_a, code="090000"),
        MajorFactory(college=college_a, code="010000"),
    )
    prechecked(second, 1)
    prechecked(first, 1)
    certificates_register(actor=registrar, order=NumberOrder.MAJOR)
    assert Certificate.objects.get(sequence=1).major_code == "010000"


def test_a_rolled_back_registration_gives_its_numbers_back(registrar, prechecked, major_a):
    prechecked(major_a, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        certificates_register(actor=registrar)
        raise RuntimeError("the registrar's session ended")
    certificates_register(actor=registrar)
    assert [n[-6:] for n in numbers()] == ["000001", "000002"]


@pytest.mark.rule("DIP-10")
def test_only_prechecked_certificates_are_registered(registrar, school, major_a):
    from diploma.services.certificates import _draft_missing
    from tests.diploma.builders import cohort, graduating

    graduates = cohort(registrar, graduating(major_a, 1))
    _draft_missing([graduates[0].pk], school)
    draft = Certificate.objects.get()
    with pytest.raises(DomainError, match="只有预审通过的证书才能注册"):
        certificates_register(actor=registrar, certificate_ids=[draft.pk])


@pytest.mark.rule("DIP-5")
def test_a_certificate_is_not_registered_before_its_graduation_date(registrar, prechecked, major_a):
    prechecked(major_a, 1, date=datetime.date(2026, 12, 20))
    certificate = Certificate.objects.get()
    with pytest.raises(DomainError, match="毕业日期前不能注册"):
        certificates_register(actor=registrar, certificate_ids=[certificate.pk])
    assert certificates_register(actor=registrar) == 0


@pytest.mark.postgres
@pytest.mark.rule("DIP-6")
def test_the_database_refuses_to_change_or_delete_a_registered_certificate(registered_a):
    for statement in (
        "UPDATE diploma_certificate SET name = '改名' WHERE id = %s",
        "UPDATE diploma_certificate SET certificate_number = '109991202605999999' WHERE id = %s",
        "UPDATE diploma_certificate SET state = 'prechecked' WHERE id = %s",
        "DELETE FROM diploma_certificate WHERE id = %s",
    ):
        with pytest.raises(Exception, match="DIP-6"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [registered_a.pk])
    registered_a.refresh_from_db()
    assert registered_a.name == "甲同学"


@pytest.mark.postgres
@pytest.mark.rule("DIP-6")
def test_the_database_lets_a_registered_certificate_only_be_revoked(registered_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE diploma_certificate SET state = 'revoked', revocation_reason = '违规录取' WHERE id = %s",
            [registered_a.pk],
        )
    with pytest.raises(Exception, match="DIP-6"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE diploma_certificate SET revocation_reason = '' WHERE id = %s", [registered_a.pk]
        )


@pytest.mark.rule("DIP-2")
def test_a_second_certificate_for_the_same_student_and_level_is_refused(registrar, prechecked, major_a):
    from diploma.models import ExpectedGraduate
    from diploma.services.certificates import certificates_precheck
    from diploma.services.outcomes import graduate_outcomes_apply

    first = prechecked(major_a, 1)[0]
    again = ExpectedGraduate.objects.create(
        student=first.student,
        graduation_year=2027,
        graduation_date=datetime.date(2026, 7, 1),
        college=first.college,
        major=first.major,
        level=first.level,
    )
    graduate_outcomes_apply(actor=registrar, outcomes={again.pk: "graduated"})
    certificates_precheck(registrar, [again.pk])  # nothing registered yet: the pre-check passes it
    certificates_register(actor=registrar, certificate_ids=[Certificate.objects.get(graduate=first).pk])
    with pytest.raises(DomainError, match="一人一证"):
        certificates_register(actor=registrar)
    with pytest.raises(DomainError, match="已有注册的学历证书（DIP-2）"):  # and the pre-check no longer does
        certificates_precheck(registrar, [again.pk])
    assert Certificate.objects.filter(student=first.student, state="registered").count() == 1
