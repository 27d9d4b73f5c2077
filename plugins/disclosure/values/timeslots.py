"""Times of day, ranges and weekdays as staff write them in Chinese."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from .pickling import quick_pickling


class Weekday(IntEnum):
    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def label(self) -> str:
        return WEEKDAY_LABELS[self]


WEEKDAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ALL_DAYS = frozenset(Weekday)
WORKDAYS = frozenset(Weekday(i) for i in range(5))
WEEKEND = frozenset({Weekday.SAT, Weekday.SUN})

_DAY_DIGITS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DAY_NAME = re.compile(r"^(?:每?(?:周|星期|礼拜|週))([一二三四五六日天七])$")
_BARE_DAY = re.compile(r"^([一二三四五六日天七])$")  # the end of 周一至五
_DAY_GROUPS = {
    "每天": ALL_DAYS,
    "每日": ALL_DAYS,
    "全周": ALL_DAYS,
    "工作日": WORKDAYS,
    "周末": WEEKEND,
    "双休日": WEEKEND,
}
_RANGE_SEPARATOR = re.compile(r"\s*(?:至|到|-|–|—|~)\s*")
_LIST_SEPARATOR = re.compile(r"[、，,；;\s]+")

DAYS_EXAMPLE = "周一、周一至周五、工作日、周末 或 每天"


class DaysError(ValueError):
    """A days phrase that could not be read; the message is for staff."""


def parse_days(text: str) -> frozenset[Weekday]:
    """`周一至周五`, `工作日`, `周一、周三` -> a set of weekdays."""
    text = unicodedata.normalize("NFKC", text).strip()
    days: set[Weekday] = set()
    for part in _LIST_SEPARATOR.split(text):
        if not part:
            continue
        if part in _DAY_GROUPS:
            days |= _DAY_GROUPS[part]
            continue
        ends = _RANGE_SEPARATOR.split(part)
        if len(ends) == 2:
            first = _day(ends[0])
            last = _day(ends[1], bare=True)
            if first > last:
                raise DaysError(f"“{part}”的起止顺序反了，应从周一往周日写，例如 周一至周五")
            days.update(Weekday(i) for i in range(first, last + 1))
        elif len(ends) == 1:
            days.add(_day(part))
        else:
            raise DaysError(f"无法识别“{part}”")
    if not days:
        raise DaysError("没有写星期")
    return frozenset(days)


def _day(word: str, *, bare: bool = False) -> Weekday:
    match = _DAY_NAME.match(word) or (bare and _BARE_DAY.match(word))
    if not match:
        raise DaysError(f"无法识别“{word}”")
    return Weekday(_DAY_DIGITS[match.group(1)])


@functools.cache  # 127 sets of weekdays; every line of every timetable asks
def describe_days(days: frozenset[Weekday]) -> str:
    """The shortest plain phrase for a set of weekdays, e.g. 周一至周五."""
    if days == ALL_DAYS:
        return "每天"
    ordered = sorted(days)
    runs: list[list[Weekday]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0].label}至{run[-1].label}")
        else:
            parts.extend(day.label for day in run)
    return "、".join(parts)


@quick_pickling
@dataclass(frozen=True, slots=True, order=True)
class TimeOfDay:
    minutes: int  # since midnight; 1440 is 24:00, the end of the day

    def __str__(self) -> str:
        return f"{self.minutes // 60:02d}:{self.minutes % 60:02d}"


@quick_pickling
@dataclass(frozen=True, slots=True)
class TimeRange:
    start: TimeOfDay
    end: TimeOfDay

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"

    @property
    def minutes(self) -> int:
        return self.end.minutes - self.start.minutes


class TimeError(ValueError):
    """A time that could not be read; `code` is E102, E103 or E104."""

    def __init__(self, code: str, message: str, offset: int = 0):
        super().__init__(message)
        self.code = code
        self.offset = offset  # where in the typed text the problem starts


class TimeRangeError(ValueError):
    """Every problem found in one range, so both ends are reported at once."""

    def __init__(self, found: list[TimeError]):
        super().__init__("; ".join(str(error) for error in found))
        self.found = found


_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_TIME_RANGE = re.compile(r"^(\s*)(\S+?)(\s*(?:-|–|—|~|至|到)\s*)(\S+?)\s*$")


def parse_time(text: str, *, end_of_range: bool = False) -> TimeOfDay:
    """`8:30` -> 08:30; `24:00` only where it ends a range."""
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _TIME.match(normal)
    if not match:
        raise TimeError("E102", f'时间格式应为 HH:MM，实际为 "{text}"')
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0:
        if end_of_range:
            return TimeOfDay(1440)
        raise TimeError("E103", "24:00 只能用作结束时间；从零点开始请写 00:00")
    if hours > 23 or minutes > 59:
        raise TimeError("E103", f"时间 {text} 不存在：小时应为 00–23，分钟应为 00–59")
    return TimeOfDay(hours * 60 + minutes)


def parse_time_range(text: str) -> TimeRange:
    """`8:30-17:00`, `08:30～11:30`, `9:00至11:30` -> a range with start before end."""
    normal = unicodedata.normalize("NFKC", text)
    match = _TIME_RANGE.match(normal)
    if not match:
        raise TimeRangeError(
            [TimeError("E102", f'时间段格式应为 HH:MM-HH:MM（例如 08:30-17:00），实际为 "{text}"')]
        )
    lead, first, sep, second = match.groups()
    found: list[TimeError] = []
    start = end = None
    try:
        start = parse_time(first)
    except TimeError as error:
        error.offset = len(lead)
        found.append(error)
    try:
        end = parse_time(second, end_of_range=True)
    except TimeError as error:
        error.offset = len(lead) + len(first) + len(sep)
        found.append(error)
    if found:
        raise TimeRangeError(found)
    if start >= end:
        raise TimeRangeError(
            [
                TimeError(
                    "E104",
                    f"开始时间 {start} 应早于结束时间 {end}；"
                    "跨过午夜的时段请分成两段写，例如 17:00-24:00 和 00:00-08:30",
                )
            ]
        )
    return TimeRange(start, end)
