"""Statutory holidays fixed by 《全国年节及纪念日放假办法》, for years without an official schedule.

The State Council publishes each year's schedule, with its make-up workdays
(调休), only late in the year before. Until the registrar enters it (or the
chinese-calendar library carries it), working days skip at least the days the
放假办法 itself fixes (2025 revision, 13 days): 元旦 1 January; 春节 除夕 to
正月初三; 清明 on the solar term; 劳动节 1–2 May; 端午 五月初五; 中秋 八月十五;
国庆 1–3 October. Lunar dates come from lunardate, the solar term from
chinese-calendar. Make-up workdays cannot be known, so every result in such a
year stays provisional (``registrar.calendar``).
"""

from __future__ import annotations

import datetime
from functools import cache

import chinese_calendar
from lunardate import LunarDate

ONE_DAY = datetime.timedelta(days=1)


def _lunar(year: int, month: int, day: int) -> datetime.date:
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year: int) -> datetime.date:
    """清明, the solar term (4 or 5 April)."""
    for day, name in chinese_calendar.get_solar_terms(datetime.date(year, 4, 1), datetime.date(year, 4, 10)):
        if name == "清明":
            return day
    raise ValueError(f"no 清明 found in {year}")  # pragma: no cover - the term always falls in April 4-6


@cache
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The days of ``year`` that the 放假办法 makes holidays, weekends aside."""
    spring_festival = _lunar(year, 1, 1)
    days = {
        datetime.date(year, 1, 1),
        spring_festival - ONE_DAY,  # 除夕
        spring_festival,
        spring_festival + ONE_DAY,
        spring_festival + 2 * ONE_DAY,
        _qingming(year),
        datetime.date(year, 5, 1),
        datetime.date(year, 5, 2),
        _lunar(year, 5, 5),
        _lunar(year, 8, 15),
        datetime.date(year, 10, 1),
        datetime.date(year, 10, 2),
        datetime.date(year, 10, 3),
    }
    return frozenset(days)
