"""Rules as data: national defaults, the JL/SH/DL variants selected by the school's policy, school overrides."""

import datetime

import pytest
from django.core.management import call_command

from deadlines.clocks import due_date
from deadlines.defaults import DEFAULT_RULES
from deadlines.models import DeadlineRule
from deadlines.rules import rules_effective
from deadlines.services import deadline_rules_seed
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


@pytest.mark.rule("ANN-2")
@pytest.mark.parametrize("policy", ["national", "jl", "sh", "dl"])
def test_annual_registration_is_due_one_month_after_term_start_at_every_school(school, policy):
    """N13 is the floor (N28): JL's two months is only an internal target, DL keeps the month."""
    assert due(governing(policy)["annual_registration"]) == D(2026, 10, 7)


@pytest.mark.rule("ANN-12")
def test_jl_sends_one_school_level_statistics_report_by_october_30(school):
    rule = governing("jl")["annual_registration_report"]
    assert due(rule) == D(2026, 10, 30)
    assert rule.kind == "annual_registration.statistics_report"


@pytest.mark.rule("ANN-2")
def test_dl_wants_the_colleges_deferral_lists_by_the_end_of_september(school):
    rules = governing("dl")
    assert due(rules["deferral_lists"]) == D(2026, 9, 30)
    assert "deferral_lists" not in governing("national")


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


def test_the_freshman_rereview_is_due_three_months_after_term_start(school):
    # rule ENR-5
    assert due(governing("national")["freshman_review"]) == D(2026, 12, 7)


@pytest.mark.rule("DIP-11")
def test_the_completion_exchange_by_october_31_is_an_sh_rule(school):
    assert "completion_exchange" not in governing("national")
    assert due(governing("sh")["completion_exchange"], D(2026, 6, 30)) == D(2026, 10, 31)


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
    assert DeadlineRule.objects.filter(code="annual_registration").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_the_seeded_rules_back():
    """A flush (manage.py flush, a transactional test's teardown) empties every table; the seeded rules come back."""
    call_command("flush", interactive=False, verbosity=0)
    seeded = DeadlineRule.objects.filter(school__isnull=True).values_list("code", "policy")
    assert set(seeded) == {(rule["code"], rule["policy"]) for rule in DEFAULT_RULES}


@pytest.mark.rule("DIP-9")
def test_the_photo_check_opens_forty_days_after_capture_and_has_no_deadline_by_default(school):
    """JL28(一): the check opens on day 40; no text sets its end, so nothing is watched until a school sets one."""
    assert "photo_check" not in governing("national")
    assert "photo_check" not in governing("jl")


def test_a_database_seeded_before_the_corrections_is_corrected_by_the_migration(school):
    """Existing databases get the corrected rules (ANN-2, ANN-12, DIP-9, DIP-11) from a data migration."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = (
        "audit",
        "0008_deadline_policy_corrections",
    )  # the tables' history stays in audit's migrations
    apps = MigrationLoader(connection).project_state(migration).apps
    seeds = DeadlineRule.objects.filter(school__isnull=True)
    seeds.filter(code="annual_registration_internal").update(code="annual_registration", enabled=True)
    seeds.filter(code="deferral_lists").update(code="annual_registration")
    seeds.filter(code="annual_registration_report").update(kind="annual_registration.registration")
    seeds.filter(code="photo_check").update(enabled=True, length=40)
    seeds.filter(code="completion_exchange").update(policy="national")
    import_module("audit.migrations.0008_deadline_policy_corrections").correct(apps, None)
    assert {
        "jl": due(governing("jl")["annual_registration"]),
        "dl": due(governing("dl")["annual_registration"]),
        "dl lists": due(governing("dl")["deferral_lists"]),
    } == {"jl": D(2026, 10, 7), "dl": D(2026, 10, 7), "dl lists": D(2026, 9, 30)}
    assert governing("jl")["annual_registration_report"].kind == "annual_registration.statistics_report"
    assert "photo_check" not in governing("national") and "completion_exchange" not in governing("national")
