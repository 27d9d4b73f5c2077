"""One way to show every number: grouped, masked alike, spelt for screen readers."""

from __future__ import annotations

import re

import pytest
from disclosure.values.phones import SEPARATORS, parse_phone, phone_view
from hypothesis import assume, given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("02164181592", "021-6418 1592"),
        ("021-64181185", "021-6418 1185"),
        ("(021) 6418-1185", "021-6418 1185"),
        ("+86 21 6418 1185", "021-6418 1185"),
        ("010 8765 4321", "010-8765 4321"),
        ("057187654321", "0571-8765 4321"),
        ("0571-8765432", "0571-876 5432"),
        ("64181185", "6418 1185"),
        ("13642116136", "136 4211 6136"),
        ("136-4211-6136", "136 4211 6136"),
        ("+86 136 4211 6136", "136 4211 6136"),
        ("021-64181185转123", "021-6418 1185 转 123"),
        ("021 6418 1185 ext. 9", "021-6418 1185 转 9"),
        ("110", "110"),
        ("12345", "12345"),
        ("95598", "95598"),
        ("962777", "962777"),
        ("4008201234", "400-820-1234"),
        ("800 820 1234", "800-820-1234"),
    ],
)
def test_every_kind_of_number_is_shown_one_way(typed, shown):
    phone = parse_phone(typed)
    assert phone.display == shown
    view = phone_view(phone, public=True)
    assert view.text == shown and view.typed == typed.strip() and view.tel == phone.tel


@pytest.mark.parametrize(
    ("typed", "masked", "spoken"),
    [
        ("13812345678", "138 **** 5678", "一三八，隐去四位，五六七八"),
        ("021-6418 1185", "021-**** **85", "零二一，隐去六位，八五"),
        ("0571-8765 4321", "0571-**** **21", "零五七一，隐去六位，二一"),
        ("0571-876 5432", "0571-*** ****", "零五七一，隐去七位"),
        ("64181185", "**** **85", "隐去六位，八五"),
        ("021-6418 1185 转 123", "021-**** **85", "零二一，隐去六位，八五"),
    ],
)
def test_a_masked_number_is_grouped_alike_and_hides_the_same_digits(typed, masked, spoken):
    phone = parse_phone(typed)
    view = phone_view(phone, public=False)
    assert (view.text, view.spoken, view.tel, view.typed) == (masked, spoken, None, None)
    assert view.text.replace(" ", "").replace("-", "") == phone.masked()


def test_a_screen_reader_hears_each_digit():
    view = phone_view(parse_phone("021-64181185转123"), public=True)
    assert view.spoken == "零二一 六四一八 一一八五 转 一二三"
    assert phone_view(parse_phone("4008201234"), public=True).spoken == "四零零 八二零 一二三四"


SAID = str.maketrans("零一二三四五六七八九", "0123456789")


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
landlines = st.from_regex(r"0(?:[12][0-9]|[3-9][0-9]{2})[2-9][0-9]{6,7}", fullmatch=True)
locals_ = st.from_regex(r"[2-9][0-9]{7}", fullmatch=True)
services = st.from_regex(r"1[12][0-9]|1[0-9]{4}|9[0-9]{4,5}|[48]00[0-9]{7}", fullmatch=True)
numbers = st.one_of(mobiles, landlines, locals_, services)
# how staff may type the groups apart
separators = st.text(alphabet=" -./", min_size=0, max_size=2)


def strip(text: str) -> str:
    return re.sub(f"[{re.escape(SEPARATORS)}]", "", text)


@given(digits=numbers, cuts=st.lists(st.integers(1, 10), max_size=3), sep=separators)
def test_formatting_then_stripping_separators_gives_back_the_digits(digits, cuts, sep):
    typed = digits
    for cut in sorted(set(cuts), reverse=True):
        if cut < len(typed):
            typed = typed[:cut] + sep + typed[cut:]
    phone = parse_phone(typed)
    # 013812345678 is a mobile with a trunk 0, not this property's landline
    assume(phone is not None and phone.digits == digits)
    shown = phone.display
    assert strip(shown) == phone.digits
    # the same groups whatever way it was typed
    assert shown == parse_phone(digits).display
    # only digits, single spaces and a dash after an area code or in 400-
    assert re.fullmatch(r"\d+(?:[- ]\d+)*", shown)
    # groups of two to four digits after the first: nothing to read as a long run
    assert all(len(g) <= 4 for g in re.split(r"[- ]", shown)[1:])
    if phone.may_be_personal:  # a service number is never masked
        masked = phone_view(phone, public=False)
        assert strip(masked.text) == phone.masked()
        assert len(masked.text) == len(shown)  # same groups, stars for digits
    # said digit by digit, in the same groups, with no digit a leak scan could join
    spoken = phone.spoken
    assert spoken.translate(SAID).split() == re.split(r"[- ]", shown)
    assert not re.search(r"[0-9]", spoken)


@given(digits=numbers)
def test_an_extension_follows_the_grouped_number(digits):
    phone = parse_phone(digits + "转42")
    assert phone.display == parse_phone(digits).display + " 转 42"
    assert strip(phone.display.split(" 转 ")[0]) == digits
