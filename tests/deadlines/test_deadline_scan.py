"""The deadline scan: violations opened, resolved late, reopened, withdrawn; idempotent (ENR-5, ANN-5)."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from deadlines.models import DeadlineRule, DeadlineScan, DeadlineUnit, DeadlineViolation, ViolationState
from deadlines.scan import deadline_scan
from deadlines.tasks import scan_deadlines
from registrar.models import ScheduleYear, WorkdayOverride
from tests.deadlines.builders import mark_done

D = datetime.date
START = D(2026, 9, 7)  # due 2026-12-07 under the 3-month rule


def violations():
    return DeadlineViolation.objects.order_by("pk")


def test_a_subject_past_its_due_date_opens_one_violation(make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    violation = violations().get()
    assert (violation.subject_id, violation.state, violation.days_late) == (student.pk, "open", 1)
    assert (violation.clock_start, violation.due_date, violation.college_id) == (
        START,
        D(2026, 12, 7),
        student.college_id,
    )


def test_a_subject_on_its_due_date_is_still_on_time(make_rule, subject_in):
    make_rule()
    subject_in(START)
    deadline_scan(as_of=D(2026, 12, 7))
    assert not violations().exists()


def test_a_subject_done_in_time_has_no_violation(make_rule, subject_in):
    make_rule()
    subject_in(START, done=D(2026, 12, 7))
    deadline_scan(as_of=D(2027, 1, 5))
    assert not violations().exists()


def test_scanning_twice_leaves_one_violation_and_records_no_second_opening(make_rule, subject_in):
    make_rule()
    subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    deadline_scan(as_of=D(2026, 12, 8))
    assert violations().count() == 1
    assert AuditEvent.objects.filter(action="deadline.violation.open").count() == 1


def test_a_later_scan_updates_the_days_late_of_an_open_violation(make_rule, subject_in):
    make_rule()
    subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    deadline_scan(as_of=D(2026, 12, 17))
    assert violations().get().days_late == 10


def test_a_subject_done_late_is_resolved_late_with_the_days_late(make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    mark_done(student, D(2026, 12, 10))
    result = deadline_scan(as_of=D(2026, 12, 11))
    violation = violations().get()
    assert (violation.state, violation.done_on, violation.days_late) == ("resolved", D(2026, 12, 10), 3)
    assert result.resolved == 1


def test_a_subject_done_late_before_any_scan_is_recorded_as_resolved_late(make_rule, subject_in):
    make_rule()
    subject_in(START, done=D(2026, 12, 20))
    deadline_scan(as_of=D(2027, 1, 4))
    violation = violations().get()
    assert (violation.state, violation.days_late) == ("resolved", 13)
    assert AuditEvent.objects.filter(action="deadline.violation.resolve_late").count() == 1


def test_a_resolved_violation_reopens_when_the_subject_is_undone(make_rule, subject_in):
    make_rule()
    student = subject_in(START, done=D(2026, 12, 20))
    deadline_scan(as_of=D(2027, 1, 4))
    mark_done(student, None)
    result = deadline_scan(as_of=D(2027, 1, 5))
    violation = violations().get()
    assert (violation.state, violation.previous_state, violation.days_late) == ("open", "resolved", 29)
    assert result.reopened == 1


def test_a_violation_is_withdrawn_when_the_subject_turns_out_done_in_time(make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    mark_done(student, D(2026, 12, 1))
    deadline_scan(as_of=D(2026, 12, 9))
    assert violations().get().state == ViolationState.WITHDRAWN


def test_a_scan_as_of_an_earlier_day_ignores_what_was_done_after_it(make_rule, subject_in):
    make_rule()
    subject_in(START, done=D(2026, 12, 20))
    deadline_scan(as_of=D(2026, 12, 10))
    assert violations().get().state == "open"


def test_disabling_a_rule_withdraws_its_open_violations(make_rule, subject_in):
    rule = make_rule()
    subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    DeadlineRule.objects.filter(pk=rule.pk).update(enabled=False)
    deadline_scan(as_of=D(2026, 12, 9))
    assert violations().get().state == ViolationState.WITHDRAWN


def test_each_opening_is_an_audit_event_of_the_responsible_college(make_rule, subject_in):
    make_rule()
    student = subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    event = AuditEvent.objects.get(action="deadline.violation.open")
    assert (event.college_id, event.student_id) == (student.college_id, student.pk)
    assert event.subject_id == str(violations().get().pk)


def test_each_scan_run_is_recorded_with_its_counts(make_rule, subject_in):
    make_rule()
    subject_in(START)
    subject_in(START)
    deadline_scan(as_of=D(2026, 12, 8))
    scan = DeadlineScan.objects.get()
    assert (scan.opened, scan.as_of) == (2, D(2026, 12, 8))
    assert AuditEvent.objects.filter(action="deadline.scan", subject_id=str(scan.pk)).exists()


# Clocks on holiday-heavy dates (rule ANN-5: 15 working days; ANN-6: 30 working days)


def test_a_working_day_clock_before_national_day_is_due_on_october_8(make_rule, subject_in):
    make_rule(unit=DeadlineUnit.WORKDAYS, length=1)
    subject_in(D(2026, 9, 30))
    deadline_scan(as_of=D(2026, 10, 8))
    assert not violations().exists()
    deadline_scan(as_of=D(2026, 10, 9))
    assert violations().get().due_date == D(2026, 10, 8)


def test_fifteen_working_days_from_a_decision_on_national_day_are_due_on_october_27(make_rule, subject_in):
    # rule ANN-5
    make_rule(unit=DeadlineUnit.WORKDAYS, length=15)
    subject_in(D(2026, 10, 1))
    deadline_scan(as_of=D(2026, 10, 28))
    assert violations().get().due_date == D(2026, 10, 27)


def test_thirty_working_days_across_spring_festival_count_the_make_up_saturdays(make_rule, subject_in):
    # rule ANN-6 (SH): decision 2026-02-06; 02-14 and 02-28 count, 02-15..23 do not.
    make_rule(unit=DeadlineUnit.WORKDAYS, length=30)
    subject_in(D(2026, 2, 6))
    deadline_scan(as_of=D(2026, 4, 30))
    assert violations().get().due_date == D(2026, 3, 26)


def test_a_calendar_day_clock_ignores_holidays(make_rule, subject_in):
    make_rule(unit=DeadlineUnit.DAYS, length=40)
    subject_in(D(2026, 9, 25))
    deadline_scan(as_of=D(2026, 12, 1))
    assert violations().get().due_date == D(2026, 11, 4)


def test_a_month_clock_from_a_month_end_ends_on_the_shorter_months_last_day(make_rule, subject_in):
    make_rule(unit=DeadlineUnit.MONTHS, length=1)
    subject_in(D(2026, 1, 31))
    deadline_scan(as_of=D(2026, 3, 10))
    assert violations().get().due_date == D(2026, 2, 28)


def test_a_fixed_date_clock_is_due_on_that_day_of_the_clocks_year(make_rule, subject_in):
    # rule ANN-12 (JL): the statistics table by 10-30; National Day does not move it.
    make_rule(unit=DeadlineUnit.FIXED_DATE, length=0, fixed_day="10-30")
    subject_in(START)
    deadline_scan(as_of=D(2026, 11, 2))
    assert violations().get().due_date == D(2026, 10, 30)


def test_a_due_date_in_an_unknown_year_is_provisional_and_recomputed_once_the_schedule_is_entered(
    make_rule, subject_in
):
    make_rule(unit=DeadlineUnit.WORKDAYS, length=10)
    subject_in(D(2026, 12, 25))
    deadline_scan(as_of=D(2027, 1, 12))
    violation = violations().get()
    # Provisional: weekdays less the 放假办法's fixed holidays (元旦 2027-01-01).
    assert (violation.due_date, violation.provisional, violation.days_late) == (D(2027, 1, 11), True, 1)
    ScheduleYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    WorkdayOverride.objects.create(day=D(2027, 1, 1), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(day=D(2027, 1, 9), is_workday=True, note="调休上班")
    deadline_scan(as_of=D(2027, 1, 12))
    violation.refresh_from_db()
    assert (violation.due_date, violation.provisional, violation.days_late) == (D(2027, 1, 9), False, 3)


# Rules as data


def test_a_fixed_date_rule_without_its_day_is_refused_in_chinese(make_rule):
    rule = DeadlineRule(code="x", name="x", kind="tests.student_check", clock="term_start", unit="fixed_date")
    with pytest.raises(ValidationError, match="月-日"):
        rule.full_clean()


def test_a_rule_whose_clock_its_kind_does_not_offer_is_refused(make_rule):
    rule = DeadlineRule(
        code="x", name="x", kind="tests.student_check", clock="graduation_date", unit="days", length=1
    )
    with pytest.raises(ValidationError, match="起算事件"):
        rule.full_clean()


def test_a_rule_whose_kind_is_not_registered_is_skipped_and_named(db):
    DeadlineRule.objects.create(
        code="no_app_yet",
        name="尚无应用提供的规则",
        kind="tests.unregistered",
        clock="term_start",
        unit="months",
        length=1,
    )
    result = deadline_scan(as_of=D(2026, 12, 8))
    assert "no_app_yet" in result.skipped
    # Annual registration and diploma registration register their kinds (ANN-2, DIP-5, DIP-11): monitored.
    for code in ("annual_registration", "diploma_registration", "completion_exchange"):
        assert code not in result.skipped


# The command and the beat task


def test_the_command_scans_as_of_the_given_day(make_rule, subject_in, capsys):
    make_rule()
    subject_in(START)
    call_command("scan_deadlines", "--as-of", "2026-12-08")
    assert "新增逾期1" in capsys.readouterr().out
    assert violations().count() == 1


def test_the_command_refuses_a_malformed_day_in_chinese(db):
    with pytest.raises(CommandError, match="日期格式"):
        call_command("scan_deadlines", "--as-of", "2026-13-01")


def test_the_beat_task_runs_the_same_scan(make_rule, subject_in):
    make_rule()
    subject_in(START)
    assert scan_deadlines("2026-12-08")["opened"] == 1


def test_the_beat_schedule_runs_the_scan_daily_at_the_configured_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["scan-deadlines"]
    assert entry["task"] == "deadlines.tasks.scan_deadlines"
    assert entry["schedule"].hour == {settings.DEADLINE_SCAN_HOUR}
