"""When an event happens: its times as staff type them, and its recurrences.

Times are local to Shanghai and kept naive until a calendar or a page needs
an absolute instant (`aware`). A recurrence is expanded from the very RRULE
text the calendar feeds publish, with dateutil, so the dates on the pages
and the dates in residents' calendars cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from dateutil.rrule import rrulestr
from icalendar import vRecur

from ..core.problems import quoted
from ..settings import TIMEZONE
from ..values.dates import EARLIEST, LATEST, outside
from ..values.timeslots import TimeError, TimeOfDay, Weekday, parse_time

WHEN_EXAMPLE = "2020-10-10 14:00（全天活动写 2020-10-10）"
_WHEN = re.compile(
    r"^(?P<y>[0-9]{4})(?:-|/|年)(?P<m>[0-9]{1,2})(?:-|/|月)(?P<d>[0-9]{1,2})日?"
    r"(?:(?:\s+|T)(?P<time>\S+))?$"
)

Moment = date | datetime  # a date alone is an all-day event


class WhenError(ValueError):
    """A date or time that could not be read; `code` says which kind of problem."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def parse_when(text: str, *, time_only: bool = False, end: bool = False) -> Moment | TimeOfDay:
    """`2020-10-10 14:00` -> datetime, `2020-10-10` -> date; with `time_only`,
    `16:30` -> a time of day on the start's date (only an end may say that).
    24:00 is only an end (`end`, or `time_only`): nothing starts at the end of a day."""
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _WHEN.match(normal)
    if match is None:
        if time_only and re.fullmatch(r"\d{1,2}:\d{2}", normal):
            try:
                return parse_time(normal, end_of_range=True)
            except TimeError as error:
                raise WhenError(error.code, str(error)) from None
        raise WhenError(
            "E401",
            f"时间格式应为 YYYY-MM-DD HH:MM，例如 {WHEN_EXAMPLE}"
            + ("；与开始同一天可只写 16:30" if time_only else "")
            + f"，实际为 {quoted(text)}",
        )
    typed_day = f"{match['y']}-{match['m']}-{match['d']}"
    if not EARLIEST.year <= int(match["y"]) <= LATEST.year:
        raise WhenError("E118", f"日期超出范围：{outside(date.min)}，实际为 {typed_day}")
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise WhenError("E106", f"日期 {typed_day} 不存在，请核对年月日") from None
    if match["time"] is None:
        return day
    typed_time = re.sub(
        r"^(\d{1,2}:\d{2}):00$", r"\1", match["time"]
    )  # 14:00:00 from a spreadsheet
    try:
        clock = parse_time(typed_time, end_of_range=end or time_only)
    except TimeError as error:
        raise WhenError(error.code, str(error)) from None
    return at(day, clock)


def at(day: date, clock: TimeOfDay) -> datetime:
    """A day and a time of day; 24:00 is midnight at the end of that day."""
    return datetime.combine(day, time()) + timedelta(minutes=clock.minutes)


def is_all_day(moment: Moment) -> bool:
    return not isinstance(moment, datetime)


def resolve_end(start: Moment, end: Moment | TimeOfDay) -> Moment:
    """`end: 16:30` stands for 16:30 on the start's day."""
    if isinstance(end, TimeOfDay):
        day = start.date() if isinstance(start, datetime) else start
        return at(day, end)
    return end


def day_of(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def aware(moment: Moment, *, as_end: bool = False) -> datetime:
    """The instant in Shanghai; an all-day end is the midnight after that day."""
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=TIMEZONE)
    if as_end:
        moment = moment + timedelta(days=1)
    return datetime.combine(moment, time(), tzinfo=TIMEZONE)


class Frequency(StrEnum):
    DAILY = "每天"
    WEEKLY = "每周"
    FORTNIGHTLY = "每两周"
    MONTHLY = "每月"


_RRULE_FREQ = {
    Frequency.DAILY: ("DAILY", 1),
    Frequency.WEEKLY: ("WEEKLY", 1),
    Frequency.FORTNIGHTLY: ("WEEKLY", 2),
    Frequency.MONTHLY: ("MONTHLY", 1),
}
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_OCCURRENCES = 370  # a daily event for a year; more is a typing mistake


@dataclass(frozen=True)
class Rule:
    """A recurrence as the calendars say it, before exception dates are removed."""

    frequency: Frequency
    days: frozenset[Weekday] | None
    until: date | None
    count: int | None

    def rrule_parts(self, first: Moment) -> dict:
        """The RRULE as icalendar's vRecur takes it. UNTIL is in UTC when the
        event has a time, as RFC 5545 requires for a DTSTART with a TZID."""
        freq, interval = _RRULE_FREQ[self.frequency]
        parts: dict = {"FREQ": freq}
        if interval != 1:
            parts["INTERVAL"] = interval
        if self.days:
            parts["BYDAY"] = [RRULE_DAYS[day] for day in sorted(self.days)]
        if self.count is not None:
            parts["COUNT"] = self.count
        if self.until is not None:
            if is_all_day(first):
                parts["UNTIL"] = self.until
            else:
                last_minute = datetime.combine(self.until, time(23, 59, 59), tzinfo=TIMEZONE)
                parts["UNTIL"] = last_minute.astimezone(UTC)
        return parts

    def rrule_text(self, first: Moment) -> str:
        return vRecur(self.rrule_parts(first)).to_ical().decode("ascii")

    def starts(self, first: Moment, *, limit: int = MAX_OCCURRENCES + 1) -> list[Moment]:
        """Every start the rule gives, the first included, at most `limit`."""
        # An all-day rule has a floating DATE UNTIL, so it is expanded naive.
        all_day = is_all_day(first)
        dtstart = datetime.combine(first, time()) if all_day else aware(first)
        found: list[Moment] = []
        for start in rrulestr(self.rrule_text(first), dtstart=dtstart):
            if all_day:
                found.append(start.date())
            else:
                found.append(start.astimezone(TIMEZONE).replace(tzinfo=None))
            if len(found) >= limit:
                break
        return found


def first_matches(rule: Rule, first: Moment) -> bool:
    """RFC 5545 leaves a DTSTART outside its own rule undefined: refuse it."""
    if not rule.days:
        return True
    return Weekday(day_of(first).weekday()) in rule.days
