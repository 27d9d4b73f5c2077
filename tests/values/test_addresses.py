"""Addresses as Shanghai writes them, and Chinese order."""

from __future__ import annotations

import pytest
from disclosure.values.addresses import AddressError, building_number, parse_address
from disclosure.values.chinese_order import chinese_key, chinese_number


@pytest.mark.parametrize(
    ("typed", "shown", "lanes", "numbers"),
    [
        ("零陵路80弄1-26号", "零陵路80弄1-26号", [80], list(range(1, 27))),
        ("零陵路80弄", "零陵路80弄", [80], None),
        ("零陵路 80 弄 3 号楼", "零陵路80弄3号", [80], [3]),
        ("零陵路８０弄１－２６号", "零陵路80弄1-26号", [80], list(range(1, 27))),
        ("零陵路80弄1至26号", "零陵路80弄1-26号", [80], list(range(1, 27))),
        ("瑞宁路81-99号（单号）", "瑞宁路81-99号（单号）", None, list(range(81, 100, 2))),
        ("瑞宁路单号81-99号", "瑞宁路81-99号（单号）", None, list(range(81, 100, 2))),
        ("零陵路80弄双号2-8号", "零陵路80弄2-8号（双号）", [80], [2, 4, 6, 8]),
        ("日晖东路30、32弄", "日晖东路30、32弄", [30, 32], None),
        ("日晖东路30弄、32弄", "日晖东路30、32弄", [30, 32], None),
        ("零陵路80弄1-10号、15号", "零陵路80弄1-10、15号", [80], [*range(1, 11), 15]),
        ("海珠路16号", "海珠路16号", None, [16]),
        ("双峰路80弄", "双峰路80弄", [80], None),
    ],
)
def test_addresses_as_staff_write_them(typed, shown, lanes, numbers):
    spec = parse_address(typed)
    assert str(spec) == shown
    assert (list(spec.lanes) if spec.lanes else None) == lanes
    assert (list(spec.numbers) if spec.numbers else None) == numbers


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "零陵路",
            "只写了路名，请写上弄号或门牌号，例如 零陵路80弄1-26号、零陵路80弄、瑞宁路81-99号（单号）",
        ),
        ("80弄3号", "地址应以路名开头，例如 零陵路80弄1-26号、零陵路80弄、瑞宁路81-99号（单号）"),
        ("零陵路80弄26-1号", "范围 26-1 写反了：应从小到大，如 1-26"),
        ("零陵路81-98号（单号）", "单号范围 81-98 的两端应都是单数"),
        ("零陵路80弄0号", "号应在 1 到 9999 之间，实际为 0-0"),
        (
            "零陵路80号弄",
            "看不懂这个地址：请按 路名 + 弄号 + 门牌号 的顺序写，例如 零陵路80弄1-26号、零陵路80弄、瑞宁路81-99号（单号）",
        ),
    ],
)
def test_addresses_that_cannot_be_read_say_why(typed, message):
    with pytest.raises(AddressError) as refused:
        parse_address(typed)
    assert str(refused.value) == message


def test_buildings_are_named_by_their_number():
    assert building_number("3号楼") == (None, 3)
    assert building_number("3幢") == (None, 3)
    assert building_number("80弄3号楼") == (80, 3)
    assert building_number("综合楼") is None


def test_chinese_order_reads_numbers_by_value_and_words_by_pinyin():
    names = ["日晖二村", "日晖六村", "日晖三村", "日晖十村", "日晖一村", "零陵路", "大木桥"]
    assert sorted(names, key=chinese_key) == [
        "大木桥",
        "零陵路",
        "日晖一村",
        "日晖二村",
        "日晖三村",
        "日晖六村",
        "日晖十村",
    ]
    assert sorted(["10号楼", "2号楼", "1幢", "21号楼"], key=chinese_key) == [
        "1幢",
        "2号楼",
        "10号楼",
        "21号楼",
    ]
    assert [chinese_number(t) for t in ("十二", "二十", "一百零五", "二〇二六")] == [
        12,
        20,
        105,
        2026,
    ]
