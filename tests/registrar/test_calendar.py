"""The work calendar (工作日 / 调休) across the 2026 holidays, an unknown year, and the registrar's table.

2026 per the State Council: Spring Festival 02-15..02-23 with make-up Saturdays
02-14 and 02-28; National Day 10-01..10-07 with make-up days Sunday 09-20 and
Saturday 10-10; New Year with make-up Sunday 01-04. chinese-calendar 1.11 knows
nothing of 2027.
"""

import datetime

import pytest

from registrar.calendar import WorkCalendar, Workday, add_workdays, is_provisional, is_workday, library_knows
from registrar.holidays import statutory_holidays
from registrar.models import ScheduleYear, WorkdayOverride

D = datetime.date

pytestmark = pytest.mark.django_db


def test_national_day_holidays_are_not_working_days():
    assert not any(is_workday(D(2026, 10, day)) for day in range(1, 8))


def test_make_up_saturday_and_sunday_around_national_day_are_working_days():
    assert is_workday(D(2026, 9, 20))
    assert is_workday(D(2026, 10, 10))


def test_spring_festival_make_up_saturdays_are_working_days():
    assert is_workday(D(2026, 2, 14))
    assert is_workday(D(2026, 2, 28))
    assert not is_workday(D(2026, 2, 23))


def test_new_year_make_up_sunday_is_a_working_day():
    assert is_workday(D(2026, 1, 4))
    assert not is_workday(D(2026, 1, 2))


def test_one_working_day_before_national_day_lands_on_october_8():
    assert add_workdays(D(2026, 9, 30), 1) == Workday(D(2026, 10, 8), provisional=False)


def test_a_count_from_friday_uses_the_make_up_sunday():
    assert add_workdays(D(2026, 9, 18), 1).day == D(2026, 9, 20)


def test_a_count_after_national_day_uses_the_make_up_saturday():
    assert add_workdays(D(2026, 10, 8), 2).day == D(2026, 10, 10)


def test_fifteen_working_days_from_a_decision_on_a_holiday_skip_the_whole_week():
    # rule ANN-5: a decision dated on National Day itself; the count starts after the holidays.
    assert add_workdays(D(2026, 10, 1), 15) == Workday(D(2026, 10, 27), provisional=False)


def test_a_start_in_the_middle_of_a_holiday_counts_from_its_end():
    assert add_workdays(D(2026, 10, 3), 1).day == D(2026, 10, 8)
    assert add_workdays(D(2026, 2, 18), 1).day == D(2026, 2, 24)


def test_spring_festival_bridges_from_the_make_up_saturday_to_the_tuesday_after():
    assert add_workdays(D(2026, 2, 13), 1).day == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 14), 1).day == D(2026, 2, 24)
    assert add_workdays(D(2026, 2, 24), 4).day == D(2026, 2, 28)


def test_new_year_count_lands_on_the_make_up_sunday():
    assert add_workdays(D(2025, 12, 31), 1).day == D(2026, 1, 4)


def test_thirty_working_days_across_national_day():
    # rule ANN-6 (SH): 30 working days of a decision document dated 2026-09-25.
    assert add_workdays(D(2026, 9, 25), 30) == Workday(D(2026, 11, 12), provisional=False)


def test_working_days_between_counts_the_make_up_days_and_not_the_holidays():
    calendar = WorkCalendar.load()
    assert calendar.workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_the_library_does_not_know_2027():
    assert library_knows(2026)
    assert not library_knows(2027)
    assert is_provisional(D(2027, 3, 1))


def test_a_count_that_crosses_into_2027_is_provisional_and_skips_new_year_s_day():
    # 2027-01-01 (a Friday) is fixed by the 放假办法 even before the year's schedule is out.
    result = add_workdays(D(2026, 12, 25), 10)
    assert result.day == D(2027, 1, 11)
    assert result.provisional


def test_national_day_2027_is_not_a_working_day_before_the_schedule_is_published():
    """Issue: 2027-10-01 used to count as a working day; the 放假办法 fixes 1-3 October."""
    assert [is_workday(D(2027, 10, day)) for day in (1, 4)] == [False, True]
    assert add_workdays(D(2027, 9, 30), 1) == Workday(D(2027, 10, 4), provisional=True)


def test_lunar_holidays_of_2027_are_computed_from_the_lunar_calendar():
    # 春节 2027: 除夕 02-05 to 初三 02-08; 清明 04-05; 端午 06-09; 中秋 09-15.
    holidays = statutory_holidays(2027)
    assert {D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15)} <= holidays
    assert len(holidays) == 13
    assert not is_workday(D(2027, 2, 5)) and is_workday(D(2027, 2, 9))


def test_a_mid_autumn_festival_on_national_day_is_one_holiday_not_an_extra_one():
    # 2028: 春节 01-26 (除夕 01-25), and 中秋 falls on 10-03, inside 国庆.
    holidays = statutory_holidays(2028)
    assert {D(2028, 1, 25), D(2028, 10, 3)} <= holidays
    assert len(holidays) == 12


def test_a_count_that_stays_in_2026_is_not_provisional():
    assert not add_workdays(D(2026, 12, 1), 5).provisional


def test_an_override_marking_a_library_workday_as_a_holiday_wins():
    WorkdayOverride.objects.create(day=D(2026, 10, 8), is_workday=False, note="校历调整")
    assert not is_workday(D(2026, 10, 8))
    assert add_workdays(D(2026, 9, 30), 1).day == D(2026, 10, 9)


def test_an_override_marking_a_library_holiday_as_a_workday_wins():
    WorkdayOverride.objects.create(day=D(2026, 10, 7), is_workday=True)
    assert add_workdays(D(2026, 9, 30), 1).day == D(2026, 10, 7)


def test_an_entered_schedule_year_makes_2027_official_and_its_holidays_count():
    ScheduleYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    WorkdayOverride.objects.create(day=D(2027, 1, 1), is_workday=False, note="元旦")
    result = add_workdays(D(2026, 12, 25), 10)
    assert result == Workday(D(2027, 1, 11), provisional=False)


def test_an_entered_schedule_year_wins_over_the_library_for_a_known_year():
    # With 2026 entered by hand, only the table and weekends decide: 10-01 is then a plain Thursday.
    ScheduleYear.objects.create(year=2026, source="校内录入")
    assert is_workday(D(2026, 10, 1))
    assert not is_workday(D(2026, 9, 20))


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError):
        WorkCalendar.load().add_workdays(D(2026, 10, 1), 0)
