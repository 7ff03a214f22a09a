"""学籍记载 (ANN-7): rewards, punishments and their lifting, and numbered certificates."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from annual_registration.models import IssuedCertificate, Punishment
from annual_registration.models.records import PunishmentState
from annual_registration.services.records import (
    PunishmentInput,
    award_record,
    certificate_issue,
    punishment_lift,
    punishment_record,
)
from audit.models import AuditEvent
from registrar.errors import DomainError
from registrar.services import student_change_status
from tests.annual_registration.record_builders import DECIDED, EARLY, TODAY, award_input, punished

pytestmark = pytest.mark.django_db


@pytest.mark.rule("ANN-7")
def test_an_award_is_recorded_with_its_level_date_and_granting_body(students_a, registrar):
    award = award_record(actor=registrar, student_id=students_a[0].pk, data=award_input())
    assert (award.name, award.level, award.granting_body) == ("国家奖学金", "national", "教育部")
    event = AuditEvent.objects.get(action="annual_registration.award.record")
    assert (event.student_id, event.college_id) == (students_a[0].pk, students_a[0].college_id)


@pytest.mark.rule("ANN-7")
def test_an_award_dated_in_the_future_is_refused(students_a, registrar):
    data = award_input(awarded_on=datetime.date.today() + datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="获奖日期不能晚于今天"):
        award_record(actor=registrar, student_id=students_a[0].pk, data=data)


@pytest.mark.rule("SEC-1")
def test_college_staff_do_not_record_rewards_and_punishments(students_a, college_a_staff):
    with pytest.raises(PermissionDenied):
        award_record(actor=college_a_staff, student_id=students_a[0].pk, data=award_input())


@pytest.mark.rule("ANN-7")
def test_a_punishment_needs_its_document_number_and_a_period(students_a, registrar):
    data = PunishmentInput("warning", "旷课", "", DECIDED, 6)
    with pytest.raises(DomainError, match="处分文号"):
        punishment_record(actor=registrar, student_id=students_a[0].pk, data=data)
    data = PunishmentInput("warning", "旷课", "校发〔2026〕9号", DECIDED, None)
    with pytest.raises(DomainError, match="处分期限"):
        punishment_record(actor=registrar, student_id=students_a[0].pk, data=data)


@pytest.mark.rule("ANN-7")
def test_lifting_a_punishment_is_a_recorded_decision_that_keeps_the_punishment(students_a, registrar):
    punishment = punished(registrar, students_a[0], months=1, decided_on=EARLY)
    punishment_lift(
        actor=registrar, punishment_id=punishment.pk, lifted_on=TODAY, document_number="校发〔2026〕30号"
    )
    punishment.refresh_from_db()
    assert punishment.state == PunishmentState.LIFTED
    assert (punishment.kind, punishment.document_number) == ("warning", "校发〔2026〕8号")
    assert (punishment.lifted_on, punishment.lift_document_number) == (TODAY, "校发〔2026〕30号")
    event = AuditEvent.objects.get(action="annual_registration.punishment.lift")
    assert (event.before, event.document_number) == ({"state": "in_force"}, "校发〔2026〕30号")


@pytest.mark.rule("ANN-7")
def test_lifting_before_the_period_ends_needs_a_reason(students_a, registrar):
    punishment = punished(registrar, students_a[0], months=12)
    with pytest.raises(DomainError, match="提前解除须说明理由"):
        punishment_lift(
            actor=registrar,
            punishment_id=punishment.pk,
            lifted_on=DECIDED,
            document_number="校发〔2026〕31号",
        )
    punishment_lift(
        actor=registrar,
        punishment_id=punishment.pk,
        lifted_on=DECIDED,
        document_number="校发〔2026〕31号",
        reason="见义勇为，提前解除",
    )
    assert Punishment.objects.get(pk=punishment.pk).state == PunishmentState.LIFTED


@pytest.mark.rule("ANN-7")
def test_a_lifted_punishment_is_not_lifted_twice_and_an_expulsion_never(students_a, registrar):
    punishment = punished(registrar, students_a[0], months=1, decided_on=EARLY)
    lift = {"lifted_on": TODAY, "document_number": "校发〔2026〕30号"}
    punishment_lift(actor=registrar, punishment_id=punishment.pk, **lift)
    with pytest.raises(DomainError, match="已解除"):
        punishment_lift(actor=registrar, punishment_id=punishment.pk, **lift)
    expulsion = punishment_record(
        actor=registrar,
        student_id=students_a[1].pk,
        data=PunishmentInput("expulsion", "考试作弊情节严重", "校发〔2026〕12号", DECIDED),
    )
    with pytest.raises(DomainError, match="开除学籍处分不能解除"):
        punishment_lift(actor=registrar, punishment_id=expulsion.pk, **lift)


@pytest.mark.rule("SEC-2")
def test_another_colleges_punishment_is_not_found(students_b, registrar, college_a_staff):
    punishment = punished(registrar, students_b[0], months=6)
    with pytest.raises(Punishment.DoesNotExist):
        punishment_lift(
            actor=college_a_staff,
            punishment_id=punishment.pk,
            lifted_on=datetime.date(2026, 11, 16),
            document_number="x",
        )


@pytest.mark.rule("ANN-7")
def test_certificates_are_numbered_per_school_year_and_kind(students_a, registrar):
    issue = {"actor": registrar, "kind": "study", "issued_on": datetime.date(2026, 11, 20)}
    first = certificate_issue(student_id=students_a[0].pk, **issue)
    second = certificate_issue(student_id=students_a[1].pk, **issue)
    assert (first.number, second.number) == ("109992026X00001", "109992026X00002")
    assert AuditEvent.objects.filter(action="annual_registration.certificate.issue").count() == 2


@pytest.mark.rule("ANN-7")
def test_a_certificate_of_attendance_is_only_for_a_student_who_has_left(students_a, registrar):
    issue = {"actor": registrar, "kind": "attendance", "issued_on": datetime.date(2026, 11, 20)}
    with pytest.raises(DomainError, match="肄业证书只发给已退学"):
        certificate_issue(student_id=students_a[0].pk, **issue)
    student_change_status(
        actor=registrar,
        student_id=students_a[0].pk,
        transition="deregister",
        reason="退学",
        document_number="x",
    )
    assert certificate_issue(student_id=students_a[0].pk, **issue).number == "109992026Y00001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.rule("ANN-7")
def test_certificates_issued_at_once_on_many_connections_get_distinct_numbers(students_a, registrar):
    """Six issuers, each on its own PostgreSQL connection, released together: six numbers, no gap."""
    ids = [s.pk for s in students_a] + [students_a[0].pk]
    barrier = threading.Barrier(len(ids))
    failures: list[BaseException] = []

    def issue(student_id: int) -> None:
        try:
            barrier.wait()
            certificate_issue(
                actor=registrar, student_id=student_id, kind="study", issued_on=datetime.date(2026, 11, 20)
            )
        except BaseException as exc:  # reported below: a thread's exception would vanish otherwise
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    sequences = sorted(IssuedCertificate.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
