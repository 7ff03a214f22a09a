"""Deadlines (DIP-5, DIP-11) on the auditor's engine, and the certificate in the student's own record (QRY-1)."""

import datetime

import pytest

from deadlines.models import DeadlineRule, DeadlineViolation
from deadlines.scan import deadline_scan
from diploma.models import Certificate
from diploma.services.annotations import completion_exchange, exchange_approve, minor_annotate
from diploma.services.certificates import certificates_register
from registrar.models import DeadlinePolicy

pytestmark = pytest.mark.django_db


def violations(code: str):
    return DeadlineViolation.objects.filter(rule__code=code, state="open")


@pytest.mark.rule("DIP-5")
def test_a_certificate_not_registered_by_the_graduation_date_is_late_until_registered(
    registrar, prechecked, major_a
):
    prechecked(major_a, 2)
    deadline_scan(as_of=datetime.date(2026, 7, 6))
    assert violations("diploma_registration").count() == 2
    certificates_register(actor=registrar)
    deadline_scan(as_of=datetime.date(2026, 7, 7))
    assert violations("diploma_registration").count() == 0


@pytest.mark.rule("DIP-11")
def test_an_approved_exchange_not_registered_by_the_end_of_october_is_late_under_sh(
    registrar, school, prechecked, major_a, clock
):
    school.deadline_policy = DeadlinePolicy.SH
    school.save()
    graduates = prechecked(major_a, 1, outcome="completed")
    certificates_register(actor=registrar)
    exchange_approve(actor=registrar, graduate_id=graduates[0].pk, document_number="教〔2026〕40号")
    deadline_scan(as_of=datetime.date(2026, 11, 2))
    assert violations("completion_exchange").count() == 1
    clock.set(datetime.date(2026, 11, 3))
    completion_exchange(
        actor=registrar,
        certificate_id=Certificate.objects.get().pk,
        decided_on=datetime.date(2026, 11, 3),
        document_number="教〔2026〕41号",
    )
    deadline_scan(as_of=datetime.date(2026, 11, 4))
    assert violations("completion_exchange").count() == 0


def test_both_diploma_rules_are_monitored(db):
    from deadlines.registry import get_kind

    for code in ("diploma_registration", "completion_exchange"):
        assert get_kind(DeadlineRule.objects.get(code=code).kind) is not None


@pytest.mark.rule("QRY-1")
def test_the_student_sees_the_certificate_with_its_number_date_and_notes_on_their_own_pages(
    registrar, registered_a, student_a, client_for
):
    minor_annotate(
        actor=registrar,
        certificate_id=registered_a.pk,
        minor_major="金融学",
        annotated_on=datetime.date(2026, 7, 5),
    )
    client = client_for(student_a)
    timeline = client.get("/annual/me/").content.decode()
    assert registered_a.certificate_number in timeline and "辅修金融学专业" in timeline
    page = client.get("/diploma/me/").content.decode()
    assert registered_a.certificate_number in page and "2026-06-30" in page and "毕业证书" in page


def test_another_student_sees_none_of_it(registered_a, student_b, client_for):
    client = client_for(student_b)
    assert registered_a.certificate_number not in client.get("/diploma/me/").content.decode()
    assert registered_a.certificate_number not in client.get("/annual/me/").content.decode()
