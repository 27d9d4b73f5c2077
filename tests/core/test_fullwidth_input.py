"""What a Chinese input method types: "：" for ":", "，、；" between items, U+3000 for a
space, full-width digits. Accepted where the meaning is plain, otherwise a positioned
error at the very character with the fix (issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import committee_file, line_of, replace_in
from disclosure.committees.model import COMMITTEE
from disclosure.completeness.rules import evaluate
from disclosure.core.files import read_record
from disclosure.core.yaml_text import load
from disclosure.site import load_site_data

COMMITTEE_TEXT = """\
name: 日晖六村居民区
address: 上海市徐汇区零陵路80弄1号
office_phone: 02164001234
verified: 2026-11-20
buildings: [21号楼, 22号楼, 23号楼]
service_hours:
  weekly:
    - days: 周一至周五
      hours: [8:30-11:30, 13:30-17:00]
  closures:
    - from: 2027-01-01
      reason: 元旦放假
block_leaders:
  - name: 王秀英
    buildings: [21号楼, 22号楼, 23号楼]
emergency:
  - role: 居委会值班电话
    phone: 021-64001234
    hours:
      - days: 每天
        hours: 0:00-24:00
"""

COLON = "E012 这里用了中文冒号“：”，请改成英文冒号加空格“: ”"


def read(tmp_path: Path, old: str, new: str):
    assert old in COMMITTEE_TEXT
    path = tmp_path / "rihui-liucun.yaml"
    path.write_text(COMMITTEE_TEXT.replace(old, new, 1), encoding="utf-8")
    return read_record(path, "c.yaml", COMMITTEE, slug="rihui-liucun")


def messages(tmp_path: Path, old: str, new: str) -> list[str]:
    return [str(p) for p in read(tmp_path, old, new)[1]]


def yaml_problems(text: str) -> list[str]:
    return [str(p) for p in load("f.yaml", text.encode()).problems]


# ---- full-width marks where YAML needs its own --------------------------------------


def test_a_full_width_colon_after_a_key_is_named_where_it_stands(tmp_path):
    # YAML itself complains on the next line that a ":" is missing
    assert messages(tmp_path, "      reason: 元旦放假", "      reason：消防演练") == [
        f"c.yaml:12:13: {COLON}"
    ]


def test_a_full_width_colon_in_a_list_item(tmp_path):
    assert messages(tmp_path, "  - name: 王秀英", "  - name：段振华") == [f"c.yaml:14:9: {COLON}"]


def test_a_full_width_colon_in_the_last_item_of_a_list_is_named_too():
    assert yaml_problems("block_leaders:\n  - name：段振华\n") == [f"f.yaml:2:9: {COLON}"]


def test_every_full_width_colon_is_named_at_once():
    assert yaml_problems("name：甲\naddress：乙\n") == [
        f"f.yaml:1:5: {COLON}",
        f"f.yaml:2:8: {COLON}",
    ]


def test_a_space_before_the_full_width_colon():
    assert yaml_problems("reason ：消防演练\n") == [f"f.yaml:1:8: {COLON}"]


def test_a_full_width_space_after_the_colon():
    assert yaml_problems("name:\u3000段振华\naddress: x\n") == [
        "f.yaml:1:6: E012 冒号后面是全角空格（中文输入法的空格），请改成英文冒号加一个半角空格“: ”"
    ]


def test_full_width_spaces_as_indentation():
    assert yaml_problems("a:\n\u3000\u3000b: x\n") == [
        "f.yaml:2:1: E012 这一行用全角空格（中文输入法的空格）缩进；YAML 只能用半角空格缩进，请改成半角空格"
    ]


def test_a_full_width_dash_for_each_list_item():
    message = "E012 列表项要用英文减号加空格“- ”开头，这里是全角的“－”"
    assert yaml_problems("a:\n  － x\n  － y\n") == [
        f"f.yaml:2:3: {message}",
        f"f.yaml:3:3: {message}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "note: 电话：64001234\n",  # a colon inside a value
        "note: Tel：64001234\n",
        "description: |\n  note：这是说明\n  \u3000\u3000第二段开头空两格\nname: x\n",
        "description: >\n  - 第一条：说明\n  － 第二条\nname: x\n",
        'note: "a：b"\n',
    ],
)
def test_full_width_marks_inside_text_are_left_alone(text):
    assert yaml_problems(text) == []


# ---- lists typed with Chinese punctuation ---------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "[21号楼，22号楼，23号楼]",
        "[21号楼、22号楼；23号楼]",
        "21号楼，22号楼，23号楼",
        "21号楼, 22号楼, 23号楼",
        "【21号楼，22号楼，23号楼】",
        "［21号楼，22号楼，23号楼］",
        "[21 号楼, ２２号楼, 23\u3000号楼]",
    ],
)
def test_a_list_of_buildings_typed_with_an_input_method(tmp_path, typed):
    committee, problems = read(
        tmp_path, "buildings: [21号楼, 22号楼, 23号楼]\nservice", f"buildings: {typed}\nservice"
    )
    assert problems == []
    assert committee.buildings == ["21号楼", "22号楼", "23号楼"]


def test_a_leaders_buildings_split_on_chinese_commas_match_the_committees(content):
    path = committee_file(content)
    replace_in(
        path,
        "    buildings: [21号楼, 22号楼, 23号楼, 24号楼, 25号楼, 26号楼]",
        "    buildings: [21号楼，22号楼，23号楼，24 号楼，25号楼，26号楼]",
    )
    site = load_site_data(content, base=content.parent)
    assert site.problems == []
    report = evaluate(site, date(2026, 11, 26))
    assert [str(p) for p in report.problems if "rihui-liucun" in p.position.path] == []


def test_hours_typed_as_one_value_with_a_chinese_comma(tmp_path):
    committee, problems = read(
        tmp_path, "hours: [8:30-11:30, 13:30-17:00]", "hours: 8:30-11:30，13:30-17:00"
    )
    assert problems == []
    assert [str(r) for r in committee.service_hours.weekly[0].hours] == [
        "08:30–11:30",
        "13:30–17:00",
    ]


def test_a_mistake_in_the_second_of_split_hours_points_at_it(tmp_path):
    assert messages(
        tmp_path, "hours: [8:30-11:30, 13:30-17:00]", "hours: 8:30-11:30，13:30-25:00"
    ) == [
        "c.yaml:9:31: E103 时间 25:00 不存在：小时应为 00–23，分钟应为 00–59"
        "（字段 service_hours.weekly[0].hours[1]）"
    ]


def test_hours_separated_by_a_space_are_told_to_be_a_list(tmp_path):
    assert messages(
        tmp_path, "hours: [8:30-11:30, 13:30-17:00]", "hours: 8:30-11:30 13:30-17:00"
    ) == [
        "c.yaml:9:14: E102 这里写了 2 个时间段：请写成列表，例如 [08:30-11:30, 13:30-17:00]，"
        '实际为 "8:30-11:30 13:30-17:00"（字段 service_hours.weekly[0].hours）'
    ]


def test_full_width_digits_and_colons_in_dates_times_and_switches(tmp_path):
    committee, problems = read(
        tmp_path,
        "verified: 2026-11-20",
        "verified: ２０２６－１１－２０",
    )
    assert problems == []
    assert committee.verified == date(2026, 11, 20)
    committee, problems = read(tmp_path, "hours: 0:00-24:00", "hours: ０：００～２４：００")
    assert problems == []


def test_event_exception_dates_with_a_chinese_comma(content):
    path = content / "data/events/2020/baduanjin.yaml"
    replace_in(
        path, "    - date: 2020-10-06\n      reason: 国庆假期", "    - 2020-10-06，2020-10-13"
    )
    site = load_site_data(content, base=content.parent)
    assert site.problems == []
    event = next(e for e in site.events if e.key == "2020/baduanjin")
    assert sorted(s.day.isoformat() for s in event.repeat.exceptions) == [
        "2020-10-06",
        "2020-10-13",
    ]


def test_the_example_committee_line_numbers_are_what_the_tests_assume(content):
    assert line_of(committee_file(content), "buildings: [21号楼") == 40
