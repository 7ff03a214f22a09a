"""Working days (工作日) following the State Council's holiday schedule with its make-up workdays (调休).

The registrar's ``WorkdayOverride`` table wins over the chinese-calendar library.
A year that neither the table (a ``ScheduleYear`` row) nor the library knows
falls back to Monday–Friday less the holidays that 《全国年节及纪念日放假办法》
fixes (``registrar.holidays``), and every result built on it is *provisional*,
so that a deadline can say so and be recomputed once the schedule is entered.
"Working days" are computed here and nowhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar

from registrar.holidays import statutory_holidays

ONE_DAY = datetime.timedelta(days=1)


def library_knows(year: int) -> bool:
    """Whether chinese-calendar carries the State Council's schedule for ``year``."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class Workday:
    """A computed working day; ``provisional`` when a year on the way had no official schedule."""

    day: datetime.date
    provisional: bool


class WorkCalendar:
    """The working-day calendar for a span of dates, read from the database once.

    Use one instance for many computations (a deadline scan); the module
    functions make a fresh one per call.
    """

    def __init__(self, overrides: dict[datetime.date, bool], scheduled_years: set[int]) -> None:
        self.overrides = overrides
        self.scheduled_years = scheduled_years
        self._library_years: dict[int, bool] = {}

    @classmethod
    def load(cls, start: datetime.date | None = None, end: datetime.date | None = None) -> WorkCalendar:
        from registrar.models import ScheduleYear, WorkdayOverride

        overrides = WorkdayOverride.objects.all()
        if start is not None:
            overrides = overrides.filter(day__gte=start)
        if end is not None:
            overrides = overrides.filter(day__lte=end)
        return cls(
            overrides=dict(overrides.values_list("day", "is_workday")),
            scheduled_years=set(ScheduleYear.objects.values_list("year", flat=True)),
        )

    def is_official(self, year: int) -> bool:
        """Whether ``year`` has an official schedule, from the table or the library."""
        if year in self.scheduled_years:
            return True
        if year not in self._library_years:
            self._library_years[year] = library_knows(year)
        return self._library_years[year]

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.scheduled_years:
            return day.weekday() < 5
        if self.is_official(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def add_workdays(self, start: datetime.date, n: int) -> Workday:
        """The ``n``-th working day strictly after ``start`` (``n`` ≥ 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, counted = start, 0
        provisional = False
        while counted < n:
            day += ONE_DAY
            provisional = provisional or not self.is_official(day.year)
            if self.is_workday(day):
                counted += 1
        return Workday(day=day, provisional=provisional)

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count


def is_workday(day: datetime.date) -> bool:
    """Whether ``day`` is a working day (table, then library, then Monday–Friday)."""
    return WorkCalendar.load(day, day).is_workday(day)


def is_provisional(day: datetime.date) -> bool:
    """Whether ``day`` lies in a year without an official schedule."""
    return not WorkCalendar.load(day, day).is_official(day.year)


def add_workdays(start: datetime.date, n: int) -> Workday:
    """The ``n``-th working day strictly after ``start``, marked provisional where a year was guessed."""
    # Holidays never stretch a count by more than a month per 20 working days.
    horizon = start + datetime.timedelta(days=n * 2 + 40)
    return WorkCalendar.load(start, horizon).add_workdays(start, n)
