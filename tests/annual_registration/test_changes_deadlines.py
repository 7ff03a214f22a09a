"""The clocks of annual registration and status changes, monitored by the deadline engine (ANN-2 to ANN-6).

The date is frozen through ``django.utils.timezone`` only (``clock``); working
days come from ``registrar.calendar``, as the engine counts them.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from annual_registration.models import AnnualOutcome, StatusChange
from annual_registration.services.changes import status_change_report_many, status_changes_lapse
from annual_registration.services.lists import KIND as ANNUAL_KIND
from deadlines.models import DeadlineReminder, DeadlineViolation
from deadlines.scan import deadline_scan
from registrar import batches, codes
from registrar.batch_kinds import ItemInput
from registrar.calendar import add_workdays
from registrar.models import DeadlinePolicy
from tests.annual_registration.change_builders import approved

Kind = codes.StatusChangeKind
DECIDED = datetime.date(2026, 10, 12)


def violations(code: str):
    return DeadlineViolation.objects.filter(rule__code=code)


def uses_policy(school, policy: str) -> None:
    school.deadline_policy = policy
    school.save()


# ---------------------------------------------------------------- ANN-5: deregistration, 15 working days


@pytest.mark.rule("ANN-5")
def test_a_deregistration_not_marked_within_15_working_days_of_the_decision_is_late(
    college_a_staff, registrar, second_years, clock
):
    change = approved(college_a_staff, registrar, second_years[0], Kind.WITHDRAWAL, reason="本人申请退学")
    due = add_workdays(DECIDED, 15).day
    deadline_scan(as_of=due + datetime.timedelta(days=1))
    violation = violations("deregistration_report").get()
    assert (violation.subject_id, violation.due_date, violation.state) == (change.pk, due, "open")


@pytest.mark.rule("ANN-5")
def test_a_deregistration_marked_in_time_is_not_late(college_a_staff, registrar, second_years, clock):
    change = approved(
        college_a_staff, registrar, second_years[0], Kind.EXPULSION, reason="考试作弊，情节严重"
    )
    clock.set(datetime.date(2026, 10, 20))
    status_change_report_many(actor=registrar, change_ids=[change.pk])
    deadline_scan(as_of=datetime.date(2026, 12, 1))
    assert not violations("deregistration_report").exists()


@pytest.mark.rule("ANN-5")
def test_a_late_deregistration_marked_afterwards_is_resolved_late(
    college_a_staff, registrar, second_years, clock
):
    change = approved(college_a_staff, registrar, second_years[0], Kind.DEATH, reason="病故")
    deadline_scan(as_of=datetime.date(2026, 11, 20))
    clock.set(datetime.date(2026, 11, 23))
    status_change_report_many(actor=registrar, change_ids=[change.pk])
    deadline_scan(as_of=datetime.date(2026, 11, 23))
    assert violations("deregistration_report").get().state == "resolved"


@pytest.mark.rule("ANN-5")
def test_the_15_working_days_hold_under_shs_policy_too(
    school, college_a_staff, registrar, second_years, clock
):
    uses_policy(school, DeadlinePolicy.SH)
    approved(college_a_staff, registrar, second_years[0], Kind.STATUS_CANCELLED, reason="入学资格复查不合格")
    deadline_scan(as_of=add_workdays(DECIDED, 16).day)
    assert violations("deregistration_report").get().due_date == add_workdays(DECIDED, 15).day


# ---------------------------------------------------------------- ANN-6: SH, 30 working days of the document


@pytest.mark.rule("ANN-6")
def test_at_sh_another_change_is_due_30_working_days_after_the_documents_issue(
    school, college_a_staff, registrar, other_major_a, second_years, clock
):
    uses_policy(school, DeadlinePolicy.SH)
    change = approved(
        college_a_staff, registrar, second_years[0], Kind.MAJOR_CHANGE, values={"major": other_major_a.pk}
    )
    StatusChange.objects.filter(pk=change.pk).update(document_date=datetime.date(2026, 10, 9))
    deadline_scan(as_of=datetime.date(2026, 12, 31))
    assert (
        violations("status_change_report").get().due_date == add_workdays(datetime.date(2026, 10, 9), 30).day
    )


@pytest.mark.rule("ANN-6")
def test_without_shs_policy_other_changes_have_no_statutory_clock(
    college_a_staff, registrar, other_major_a, second_years, clock
):
    approved(
        college_a_staff, registrar, second_years[0], Kind.MAJOR_CHANGE, values={"major": other_major_a.pk}
    )
    deadline_scan(as_of=datetime.date(2026, 12, 31))
    assert not violations("status_change_report").exists()


# ---------------------------------------------------------------- ANN-2: annual registration within a month


def annual_list(staff, registrar, college, term, students, outcome: str) -> None:
    batch = batches.batch_create(actor=staff, kind=ANNUAL_KIND, college=college, term=term)
    items = [
        ItemInput(
            key=s.student_number, outcome=outcome, reason="未缴费", extra={"deferral_reason": "fees_unpaid"}
        )
        for s in students
    ]
    assert batches.batch_items_save(actor=staff, batch_id=batch.pk, kind=ANNUAL_KIND, items=items) == []
    batches.batch_submit(actor=staff, batch_id=batch.pk, kind=ANNUAL_KIND)
    if registrar is not None:
        batches.batch_approve(actor=registrar, batch_id=batch.pk, kind=ANNUAL_KIND)


@pytest.mark.rule("ANN-2")
def test_a_student_of_the_roll_not_decided_a_month_after_term_start_is_late(
    college_a_staff, registrar, college_a, term, second_years, roll_2026, clock
):
    clock.set(datetime.date(2026, 9, 20))
    annual_list(college_a_staff, registrar, college_a, term, second_years[:2], AnnualOutcome.DEFER)
    deadline_scan(as_of=datetime.date(2026, 10, 12))
    late = violations("annual_registration")
    assert late.filter(college=college_a).count() == 3
    assert late.get(student=second_years[4]).due_date == datetime.date(2026, 10, 7)


@pytest.mark.rule("ANN-2")
def test_a_suspended_student_is_not_on_the_clock_of_annual_registration(
    college_a_staff, registrar, second_years, roll_2026, clock
):
    period = {"period_start": DECIDED, "period_end": datetime.date(2027, 7, 1)}
    approved(college_a_staff, registrar, second_years[0], Kind.SUSPENSION, **period)
    deadline_scan(as_of=datetime.date(2026, 10, 13))
    assert not violations("annual_registration").filter(student=second_years[0]).exists()


@pytest.mark.rule("ANN-2")
def test_at_dl_the_colleges_lists_are_due_by_the_end_of_september(
    school, college_a_staff, college_a, term, second_years, roll_2026, clock
):
    uses_policy(school, DeadlinePolicy.DL)
    clock.set(datetime.date(2026, 9, 25))
    annual_list(college_a_staff, None, college_a, term, second_years[:2], AnnualOutcome.DEFER)
    deadline_scan(as_of=datetime.date(2026, 10, 1))
    late = violations("deferral_lists").filter(college=college_a)
    assert late.count() == 3
    assert {v.due_date for v in late} == {datetime.date(2026, 9, 30)}


@pytest.mark.rule("ANN-2")
def test_without_dls_policy_there_is_no_list_date(
    college_a_staff, college_a, term, second_years, roll_2026, clock
):
    deadline_scan(as_of=datetime.date(2026, 10, 1))
    assert not violations("deferral_lists").exists()


# ---------------------------------------------------------------- 休学 and 保留学籍 periods (issue 11, item 4)


SUSPENDED_UNTIL = datetime.date(2027, 3, 1)


@pytest.fixture
def suspension(college_a_staff, registrar, second_years, clock) -> StatusChange:
    return approved(
        college_a_staff,
        registrar,
        second_years[0],
        Kind.SUSPENSION,
        reason="病休",
        period_start=DECIDED,
        period_end=SUSPENDED_UNTIL,
    )


@pytest.mark.rule("ANN-3")
def test_the_college_is_reminded_before_a_suspension_ends(suspension, college_a):
    # Three working days before the end: within the reminder's window.
    assert settings.DEADLINE_REMINDER_WORKDAYS >= 3
    deadline_scan(as_of=datetime.date(2027, 2, 24))
    reminder = DeadlineReminder.objects.get(rule__code="period_end")
    assert (reminder.subject_id, reminder.due_date, reminder.college_id) == (
        suspension.pk,
        SUSPENDED_UNTIL,
        college_a.pk,
    )


@pytest.mark.rule("ANN-3")
def test_a_suspension_ended_without_resumption_becomes_a_case_for_the_registrar_not_a_withdrawal(
    suspension, second_years, clock
):
    clock.set(datetime.date(2027, 3, 2))
    assert status_changes_lapse() == 1
    assert StatusChange.objects.get(pk=suspension.pk).period_lapsed_on == datetime.date(2027, 3, 2)
    second_years[0].refresh_from_db()
    assert second_years[0].student_status == codes.StudentStatus.SUSPENDED


@pytest.mark.rule("ANN-3")
def test_a_lapsed_period_is_marked_once(suspension, clock):
    clock.set(datetime.date(2027, 3, 2))
    status_changes_lapse()
    assert status_changes_lapse() == 0


@pytest.mark.rule("ANN-3")
def test_a_suspension_ended_without_resumption_is_on_the_auditors_dashboard(suspension):
    deadline_scan(as_of=datetime.date(2027, 3, 2))
    assert violations("period_end").get().subject_id == suspension.pk


@pytest.mark.rule("ANN-3")
def test_resumption_after_the_end_resolves_the_period_late(
    suspension, college_a_staff, registrar, second_years, clock
):
    clock.set(datetime.date(2027, 3, 8))
    deadline_scan(as_of=datetime.date(2027, 3, 8))
    approved(college_a_staff, registrar, second_years[0], Kind.RESUMPTION, number="校学〔2027〕2号")
    deadline_scan(as_of=datetime.date(2027, 3, 9))
    assert StatusChange.objects.get(pk=suspension.pk).period_closed_on == datetime.date(2027, 3, 8)
    assert violations("period_end").get().state == "resolved"


@pytest.mark.rule("ANN-3")
def test_resumption_in_time_leaves_no_violation(suspension, college_a_staff, registrar, second_years, clock):
    clock.set(datetime.date(2027, 2, 22))
    approved(college_a_staff, registrar, second_years[0], Kind.RESUMPTION, number="校学〔2027〕2号")
    deadline_scan(as_of=datetime.date(2027, 3, 9))
    assert not violations("period_end").exists()
