"""Event times as staff type them, and recurrences expanded from their RRULE."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from disclosure.events.times import Frequency, Rule, WhenError, parse_when
from disclosure.values.timeslots import TimeOfDay, Weekday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-10-10 14:00", datetime(2020, 10, 10, 14, 0)),
        ("2020-10-10T14:00", datetime(2020, 10, 10, 14, 0)),
        ("2020-10-1 9:30", datetime(2020, 10, 1, 9, 30)),
        (
            "２０２０－１０－１０ １４：００",
            datetime(2020, 10, 10, 14, 0),
        ),  # typed with a Chinese IME
        ("2020年10月10日 14:00", datetime(2020, 10, 10, 14, 0)),
        ("2020/10/10", date(2020, 10, 10)),
        ("2020-10-10", date(2020, 10, 10)),
    ],
)
def test_dates_and_times_as_staff_write_them(text, expected):
    assert parse_when(text) == expected


def test_24_00_is_the_end_of_a_day_and_only_ever_an_end():
    assert parse_when("2020-10-10 24:00", end=True) == datetime(2020, 10, 11, 0, 0)
    assert parse_when("24:00", time_only=True) == TimeOfDay(24 * 60)
    with pytest.raises(WhenError) as raised:
        parse_when("2020-10-10 24:00")
    assert (raised.value.code, str(raised.value)) == (
        "E103",
        "24:00 只能用作结束时间；从零点开始请写 00:00",
    )


def test_an_end_may_be_a_time_alone():
    assert parse_when("16:30", time_only=True) == TimeOfDay(16 * 60 + 30)
    with pytest.raises(WhenError) as raised:
        parse_when("16:30")
    assert raised.value.code == "E401"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (
            "10月10日 14:00",
            "E401",
            "时间格式应为 YYYY-MM-DD HH:MM，例如 2020-10-10 14:00（全天活动写 2020-10-10），"
            '实际为 "10月10日 14:00"',
        ),
        ("2020-02-30 14:00", "E106", "日期 2020-02-30 不存在，请核对年月日"),
        ("2020-10-10 14:70", "E103", "时间 14:70 不存在：小时应为 00–23，分钟应为 00–59"),
        ("2020-10-10 2pm", "E102", '时间格式应为 HH:MM，实际为 "2pm"'),
    ],
)
def test_bad_dates_and_times(text, code, message):
    with pytest.raises(WhenError) as raised:
        parse_when(text)
    assert (raised.value.code, str(raised.value)) == (code, message)


SAT = frozenset({Weekday.SAT})


def test_weekly_until_a_date_includes_that_date():
    rule = Rule(Frequency.WEEKLY, SAT, date(2020, 10, 31), None)
    starts = rule.starts(datetime(2020, 10, 10, 14, 0))
    assert [s.day for s in starts] == [10, 17, 24, 31]
    assert rule.rrule_text(datetime(2020, 10, 10, 14, 0)) == (
        "FREQ=WEEKLY;UNTIL=20201031T155959Z;BYDAY=SA"  # 23:59:59 in Shanghai, in UTC
    )


def test_fortnightly_by_count():
    rule = Rule(Frequency.FORTNIGHTLY, SAT, None, 3)
    assert rule.starts(datetime(2020, 9, 5, 10, 0)) == [
        datetime(2020, 9, 5, 10, 0),
        datetime(2020, 9, 19, 10, 0),
        datetime(2020, 10, 3, 10, 0),
    ]
    assert rule.rrule_text(datetime(2020, 9, 5, 10)) == "FREQ=WEEKLY;COUNT=3;INTERVAL=2;BYDAY=SA"


def test_all_day_rules_use_a_date_until():
    rule = Rule(Frequency.DAILY, None, date(2020, 10, 3), None)
    assert rule.starts(date(2020, 10, 1)) == [
        date(2020, 10, 1),
        date(2020, 10, 2),
        date(2020, 10, 3),
    ]
    assert rule.rrule_text(date(2020, 10, 1)) == "FREQ=DAILY;UNTIL=20201003"


def test_monthly_keeps_the_day_of_the_month():
    rule = Rule(Frequency.MONTHLY, None, None, 3)
    assert [s.month for s in rule.starts(datetime(2020, 9, 15, 9, 0))] == [9, 10, 11]


def test_weekly_on_several_days():
    rule = Rule(Frequency.WEEKLY, frozenset({Weekday.TUE, Weekday.THU}), date(2020, 9, 10), None)
    assert [s.day for s in rule.starts(datetime(2020, 9, 1, 8, 30))] == [1, 3, 8, 10]
