"""Due dates from clock starts. Working days come from ``registrar.calendar`` and nowhere else."""

from __future__ import annotations

import calendar as gregorian
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from deadlines.models import DeadlineRule, DeadlineUnit
from registrar.calendar import WorkCalendar


@dataclass(frozen=True)
class Due:
    day: datetime.date
    provisional: bool


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Calendar months; a start on the 31st ends on the month's last day (01-31 + 1 = 02-28)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, gregorian.monthrange(year, month)[1]))


def next_fixed_day(start: datetime.date, fixed_day: str) -> datetime.date:
    """The first ``MM-DD`` on or after ``start`` (a report due by 10-30 of the clock's year)."""
    month, day = (int(part) for part in fixed_day.split("-"))
    year = start.year
    while True:
        if month == 2 and day == 29 and not gregorian.isleap(year):
            candidate = datetime.date(year, 2, 28)
        else:
            candidate = datetime.date(year, month, day)
        if candidate >= start:
            return candidate
        year += 1


def due_date(rule: DeadlineRule, start: datetime.date, work_calendar: WorkCalendar) -> Due:
    """截止日期: the last day on which the subject is still on time."""
    if rule.unit == DeadlineUnit.MONTHS:
        return Due(add_months(start, rule.length), False)
    if rule.unit == DeadlineUnit.DAYS:
        return Due(start + datetime.timedelta(days=rule.length), False)
    if rule.unit == DeadlineUnit.WORKDAYS:
        workday = work_calendar.add_workdays(start, rule.length)
        return Due(workday.day, workday.provisional)
    if rule.unit == DeadlineUnit.FIXED_DATE:
        return Due(next_fixed_day(start, rule.fixed_day), False)
    raise ValueError(f"unknown unit {rule.unit}")


def due_dates(
    rule: DeadlineRule, starts: Iterable[datetime.date], work_calendar: WorkCalendar
) -> dict[datetime.date, Due]:
    """Due dates for the distinct clock starts of a rule (there are few: term starts, decision dates)."""
    return {start: due_date(rule, start, work_calendar) for start in starts}
