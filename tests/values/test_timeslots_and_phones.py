"""Days, times and phone numbers as staff write them."""

from __future__ import annotations

import pytest
from disclosure.values.phones import parse_phone
from disclosure.values.timeslots import (
    ALL_DAYS,
    WEEKEND,
    WORKDAYS,
    DaysError,
    TimeRangeError,
    Weekday,
    describe_days,
    parse_days,
    parse_time_range,
)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("周一至周五", WORKDAYS),
        ("工作日", WORKDAYS),
        ("星期一到星期五", WORKDAYS),
        ("周一-周五", WORKDAYS),
        ("周一至五", WORKDAYS),
        ("星期一到五", WORKDAYS),
        ("每周一至周五", WORKDAYS),
        ("每周三", frozenset({Weekday.WED})),
        ("周末", WEEKEND),
        ("周六、周日", WEEKEND),
        ("周六，周天", WEEKEND),
        ("礼拜六 礼拜天", WEEKEND),
        ("每天", ALL_DAYS),
        ("周一至周日", ALL_DAYS),
        ("周二", frozenset({Weekday.TUE})),
        ("周一、周三至周五", frozenset({Weekday.MON, Weekday.WED, Weekday.THU, Weekday.FRI})),
    ],
)
def test_days_phrases(text, days):
    assert parse_days(text) == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("周八", "无法识别“周八”"),
        ("Monday", "无法识别“Monday”"),
        ("五至周一", "无法识别“五”"),
        ("周五至周一", "“周五至周一”的起止顺序反了，应从周一往周日写，例如 周一至周五"),
    ],
)
def test_bad_days(text, message):
    with pytest.raises(DaysError) as caught:
        parse_days(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (WORKDAYS, "周一至周五"),
        (ALL_DAYS, "每天"),
        (WEEKEND, "周六、周日"),
        (frozenset({Weekday.MON, Weekday.WED, Weekday.FRI}), "周一、周三、周五"),
        (WORKDAYS | {Weekday.SUN}, "周一至周五、周日"),
    ],
)
def test_describe_days(days, text):
    assert describe_days(days) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("8:30-17:00", "08:30–17:00"),
        ("08:30～11:30", "08:30–11:30"),
        ("９：００至１１：３０", "09:00–11:30"),  # a Chinese input method's full-width digits
        ("0:00-24:00", "00:00–24:00"),
        (" 13:30 - 17:00 ", "13:30–17:00"),
    ],
)
def test_time_ranges(text, shown):
    assert str(parse_time_range(text)) == shown


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("8:3-17:00", [("E102", "时间格式应为 HH:MM", 0)]),
        ("8:30-25:00", [("E103", "时间 25:00 不存在", 5)]),
        ("8:3-25:00", [("E102", "", 0), ("E103", "", 4)]),
        ("24:00-24:00", [("E103", "24:00 只能用作结束时间", 0)]),
        ("17:00-8:30", [("E104", "开始时间 17:00 应早于结束时间 08:30", 0)]),
        ("8:30", [("E102", "时间段格式应为 HH:MM-HH:MM", 0)]),
    ],
)
def test_bad_time_ranges(text, found):
    with pytest.raises(TimeRangeError) as caught:
        parse_time_range(text)
    got = caught.value.found
    assert [e.code for e in got] == [code for code, _, _ in found]
    assert [e.offset for e in got] == [offset for _, _, offset in found]
    for error, (_, start, _) in zip(got, found, strict=True):
        if start:
            assert str(error).startswith(start)


@pytest.mark.parametrize(
    ("typed", "digits", "kind", "tel"),
    [
        ("02164001234", "02164001234", "landline", "tel:02164001234"),
        ("021-6400 1234", "02164001234", "landline", "tel:02164001234"),
        ("(021) 64001234", "02164001234", "landline", "tel:02164001234"),
        ("64001234", "64001234", "landline", "tel:64001234"),
        ("13812345678", "13812345678", "mobile", "tel:13812345678"),
        ("138 1234 5678", "13812345678", "mobile", "tel:13812345678"),
        ("+86 138-1234-5678", "13812345678", "mobile", "tel:13812345678"),
        ("+86 21 6400 1234", "02164001234", "landline", "tel:02164001234"),
        ("110", "110", "service", "tel:110"),
        ("12345", "12345", "service", "tel:12345"),
        ("962777", "962777", "service", "tel:962777"),
        ("400-820-1234", "4008201234", "service", "tel:4008201234"),
        ("021-64001234转8012", "02164001234", "landline", "tel:02164001234,8012"),
        ("１３８１２３４５６７８", "13812345678", "mobile", "tel:13812345678"),
        # every spelling of a mobile is a mobile, never a landline shown whole
        ("013812345678", "13812345678", "mobile", "tel:13812345678"),
        ("0 138 1234 5678", "13812345678", "mobile", "tel:13812345678"),
        ("0086 138 1234 5678", "13812345678", "mobile", "tel:13812345678"),
        ("0086-13812345678", "13812345678", "mobile", "tel:13812345678"),
        ("86 138 1234 5678", "13812345678", "mobile", "tel:13812345678"),
        ("+86 (0)138 1234 5678", "13812345678", "mobile", "tel:13812345678"),
        ("+８６ １３８－１２３４－５６７８", "13812345678", "mobile", "tel:13812345678"),
        ("138—1234—5678", "13812345678", "mobile", "tel:13812345678"),
        ("138.1234.5678", "13812345678", "mobile", "tel:13812345678"),
        ("138　1234　5678", "13812345678", "mobile", "tel:13812345678"),
        ("0086 21 6400 1234", "02164001234", "landline", "tel:02164001234"),
        ("+86 (0)21 6400 1234", "02164001234", "landline", "tel:02164001234"),
    ],
)
def test_phone_numbers(typed, digits, kind, tel):
    phone = parse_phone(typed)
    assert (phone.digits, phone.kind, phone.tel) == (digits, kind, tel)
    assert phone.text == typed.strip()  # shown as typed


@pytest.mark.parametrize(
    "typed",
    ["1381234", "23812345678", "abc", "021-6400-123x", "", "1", "138", "+1 555 1234567", "0012"],
)
def test_not_phone_numbers(typed):
    assert parse_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("021-64001234转8012", "021******34"),
        ("64001234", "******34"),
        ("0571-8765 4321", "0571******21"),
        ("013812345678", "138****5678"),
        ("0086 138 1234 5678", "138****5678"),
    ],
)
def test_masking_hides_the_identifying_digits(typed, masked):
    assert parse_phone(typed).masked() == masked
