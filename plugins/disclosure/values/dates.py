"""Dates as the site writes them: 2026年11月26日（周四）, and the years a record may name."""

from __future__ import annotations

from datetime import date

from .timeslots import WEEKDAY_LABELS

# Every date in a record lies in this window unless its field says otherwise:
# wide enough for any real record, narrow enough that no date arithmetic on
# an accepted date (a day after, a year of months, the calendars' time-zone
# table) can leave what Python's dates can hold.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def zh_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def zh_date_weekday(value: date) -> str:
    return f"{zh_date(value)}（{WEEKDAY_LABELS[value.weekday()]}）"


def outside(day: date, earliest: date = EARLIEST, latest: date = LATEST) -> str | None:
    """Why `day` is not a date this field may hold (for staff), or None."""
    if earliest <= day <= latest:
        return None
    return f"应在 {earliest.isoformat()} 至 {latest.isoformat()} 之间"
