"""Rules as data: national defaults, the JL/SH/DL variants selected by the school's policy, school overrides."""

import datetime

import pytest

from audit.deadlines.clocks import due_date
from audit.deadlines.rules import rules_effective
from audit.deadlines.services import deadline_rules_seed
from audit.models import DeadlineRule
from registrar.calendar import WorkCalendar
from registrar.models import School

D = datetime.date
TERM_START = D(2026, 9, 7)

pytestmark = pytest.mark.django_db


def governing(policy: str) -> dict[str, DeadlineRule]:
    School.objects.filter(pk=School.current().pk).update(deadline_policy=policy)
    return {rule.code: rule for rule in rules_effective()}


def due(rule: DeadlineRule, start: datetime.date = TERM_START) -> datetime.date:
    return due_date(rule, start, WorkCalendar.load()).day


def test_the_national_annual_registration_is_due_one_month_after_term_start(school):
    # rule ANN-2 (N, SH)
    assert due(governing("national")["annual_registration"]) == D(2026, 10, 7)


def test_jl_gives_annual_registration_two_months_and_a_report_by_october_30(school):
    # rules ANN-2, ANN-12 (JL)
    rules = governing("jl")
    assert due(rules["annual_registration"]) == D(2026, 11, 7)
    assert due(rules["annual_registration_report"]) == D(2026, 10, 30)


def test_dl_wants_the_annual_lists_by_the_end_of_september(school):
    # rule ANN-2 (DL)
    assert due(governing("dl")["annual_registration"]) == D(2026, 9, 30)


def test_sh_reports_every_status_change_within_thirty_working_days(school):
    # rule ANN-6 (SH): a decision the day before National Day.
    rule = governing("sh")["status_change_report"]
    assert (rule.unit, rule.length) == ("workdays", 30)
    assert due(rule, D(2026, 9, 30)) == D(2026, 11, 17)


def test_status_changes_and_the_annual_report_are_not_enforced_nationally(school):
    rules = governing("national")
    assert "status_change_report" not in rules
    assert "annual_registration_report" not in rules


def test_deregistration_is_due_fifteen_working_days_after_the_decision(school):
    # rule ANN-5
    assert due(governing("national")["deregistration_report"], D(2026, 9, 25)) == D(2026, 10, 22)


def test_the_freshman_rereview_is_three_months_and_the_completion_exchange_by_october_31(school):
    # rules ENR-5, DIP-11
    rules = governing("national")
    assert due(rules["freshman_review"]) == D(2026, 12, 7)
    assert due(rules["completion_exchange"], D(2026, 6, 30)) == D(2026, 10, 31)


def test_diploma_registration_is_due_on_the_graduation_date(school):
    # rule DIP-5
    assert due(governing("national")["diploma_registration"], D(2026, 6, 30)) == D(2026, 6, 30)


def test_a_schools_own_rule_wins_over_its_policy_and_the_national_one(school):
    base = DeadlineRule.objects.get(code="annual_registration", policy="national")
    DeadlineRule.objects.create(
        code=base.code,
        name="本校学年注册",
        kind=base.kind,
        clock=base.clock,
        unit="days",
        length=20,
        school=school,
    )
    assert due(governing("jl")["annual_registration"]) == D(2026, 9, 27)


def test_seeding_twice_creates_nothing_new(db):
    assert deadline_rules_seed() == []
    assert DeadlineRule.objects.filter(code="annual_registration").count() == 3


def test_the_photo_check_is_due_forty_days_after_capture(school):
    # rule DIP-9 (JL: students check their photo within 40 days of capture)
    assert due(governing("national")["photo_check"], D(2026, 3, 2)) == D(2026, 4, 11)
