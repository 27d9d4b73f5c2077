"""Committee records: typed values, and every problem with its position and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from disclosure.committees.model import COMMITTEE
from disclosure.core.files import read_record

VALID = """\
name: 日晖六村居民区
address: 上海市徐汇区零陵路80弄1号
office_phone: 02164001234
verified: 2026-11-20
buildings: [1号楼, 2号楼]
service_hours:
  weekly:
    - days: 周一至周五
      hours: [8:30-11:30, 13:30-17:00]
  closures:
    - from: 2027-01-01
      to: 2027-01-03
      reason: 元旦放假
block_leaders:
  - name: 王秀英
    buildings: [1号楼, 2号楼]
    phone: 13812345678
    phone_consent: NO
emergency:
  - role: 居委会值班电话
    phone: 021-64001234
    hours:
      - days: 每天
        hours: 0:00-24:00
"""


def read(tmp_path: Path, text: str):
    path = tmp_path / "rihui-liucun.yaml"
    path.write_text(text, encoding="utf-8")
    return read_record(path, "c.yaml", COMMITTEE, slug="rihui-liucun")


def messages(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in read(tmp_path, text)[1]]


def test_valid_committee_is_typed(tmp_path):
    committee, problems = read(tmp_path, VALID)
    assert problems == []
    assert committee.office_phone.text == "02164001234"
    assert committee.verified == date(2026, 11, 20)
    slot = committee.service_hours.weekly[0]
    assert [str(r) for r in slot.hours] == ["08:30–11:30", "13:30–17:00"]
    assert committee.block_leaders[0].phone_consent is False  # NO, typed by the schema
    assert committee.service_hours.closures[0].last == date(2027, 1, 3)
    assert committee.where("service_hours").line == 7


def test_misspelt_key_suggests_the_right_one(tmp_path):
    text = VALID.replace("service_hours:", "serivce_hours:")
    assert messages(tmp_path, text) == [
        'c.yaml:6:1: E101 未知字段 "serivce_hours"；是否想写 "service_hours"？',
    ]


def test_chinese_field_title_suggests_the_key(tmp_path):
    text = VALID.replace("address:", "办公地址:")
    assert 'c.yaml:2:1: E101 未知字段 "办公地址"；是否想写 "address"？' in messages(tmp_path, text)


def test_unknown_key_without_a_near_match_lists_the_allowed_keys(tmp_path):
    text = VALID.replace("    phone_consent: NO\n", "    phone_consent: NO\n    wechat: abc\n")
    assert messages(tmp_path, text) == [
        'c.yaml:19:5: E101 未知字段 "wechat"；这里可以写的字段有：'
        "name、section、buildings、phone、phone_consent、note（字段 block_leaders[0]）"
    ]


def test_bad_time_is_reported_where_it_stands(tmp_path):
    text = VALID.replace("[8:30-11:30, 13:30-17:00]", "[8:3-11:30, 13:30-25:00]")
    assert messages(tmp_path, text) == [
        'c.yaml:9:15: E102 时间格式应为 HH:MM，实际为 "8:3"（字段 service_hours.weekly[0].hours[0]）',
        "c.yaml:9:32: E103 时间 25:00 不存在：小时应为 00–23，分钟应为 00–59"
        "（字段 service_hours.weekly[0].hours[1]）",
    ]


def test_reversed_range(tmp_path):
    text = VALID.replace("0:00-24:00", "24:00-08:00")
    assert messages(tmp_path, text) == [
        "c.yaml:24:16: E103 24:00 只能用作结束时间；从零点开始请写 00:00（字段 emergency[0].hours[0].hours）"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "verified: 2026-11-20",
            "verified: 2026/11/20",
            'c.yaml:4:11: E105 日期格式应为 YYYY-MM-DD（例如 2020-09-01），实际为 "2026/11/20"（字段 verified）',
        ),
        (
            "verified: 2026-11-20",
            "verified: 2026-02-30",
            "c.yaml:4:11: E106 日期 2026-02-30 不存在，请核对年月日（字段 verified）",
        ),
        (
            "office_phone: 02164001234",
            "office_phone: 6400123",
            "c.yaml:3:15: E107 电话号码格式不对：应为手机号（11 位）、带区号的固话（如 021-64001234）、"
            '8 位本地号码，或 110、12345 等服务号码，实际为 "640**23"（字段 office_phone）',
        ),
        (
            "phone_consent: NO",
            "phone_consent: 同意",
            'c.yaml:18:20: E111 应为 true（是）或 false（否），实际为 "同意"（字段 block_leaders[0].phone_consent）',
        ),
        (
            "days: 周一至周五",
            "days: 周一至周八",
            "c.yaml:8:13: E108 星期写法不对：无法识别“周八”；可写 周一、周一至周五、工作日、周末 或 每天，"
            '实际为 "周一至周八"（字段 service_hours.weekly[0].days）',
        ),
        (
            "      to: 2027-01-03",
            "      to: 2026-12-03",
            "c.yaml:12:11: E116 结束日期 2026-12-03 早于开始日期 2027-01-01，请核对（字段 service_hours.closures[0]）",
        ),
        (
            "name: 日晖六村居民区",
            "name:",
            "c.yaml:1:6: E112 “居委会名称”不能为空（字段 name）",
        ),
        (
            "buildings: [1号楼, 2号楼]\nservice",
            "buildings: 1号楼\nservice",
            'c.yaml:5:12: E109 应为楼栋的列表（每项以“- ”开头），实际为文字 "1号楼"（字段 buildings）',
        ),
        (
            "  weekly:\n    - days: 周一至周五\n      hours: [8:30-11:30, 13:30-17:00]\n",
            "  weekly: 周一至周五 8:30-17:00\n",
            "c.yaml:7:11: E109 应为每周服务时段（“字段: 值”的映射）的列表（每项以“- ”开头），"
            '实际为文字 "周一至周五 8:30-17:00"（字段 service_hours.weekly）',
        ),
    ],
)
def test_one_problem_each(tmp_path, old, new, expected):
    text = VALID.replace(old, new, 1)
    assert text != VALID
    assert messages(tmp_path, text) == [expected]


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    text = (
        VALID.replace("office_phone: 02164001234", "office_phone: 6400")
        .replace("verified: 2026-11-20", "verified: 2026-13-01")
        .replace("13:30-17:00", "13:30-12:00")
        .replace("phone: 13812345678", "phone: 1380")
    )
    codes = [m.split(" ")[1] for m in messages(tmp_path, text)]
    assert codes == ["E107", "E106", "E104", "E107"]


def test_the_whole_record_is_not_typed_when_any_part_is_wrong(tmp_path):
    committee, problems = read(tmp_path, VALID.replace("8:30-11:30", "8:30-11:70"))
    assert committee is None
    assert len(problems) == 1


def test_a_single_value_may_stand_for_a_list(tmp_path):
    text = VALID.replace("buildings: [1号楼, 2号楼]\n    phone", "buildings: 1号楼\n    phone")
    committee, problems = read(tmp_path, text)
    assert problems == []
    assert committee.block_leaders[0].buildings == ["1号楼"]


def test_markdown_field_accepts_multiline_text(tmp_path):
    text = VALID + "description: |\n  第一行\n\n  **第二段**\n"
    committee, problems = read(tmp_path, text)
    assert problems == []
    assert committee.description == "第一行\n\n**第二段**"


def test_top_level_list_is_refused(tmp_path):
    assert messages(tmp_path, "- name: 日晖\n") == [
        "c.yaml:1:1: E109 文件的最外层应为“字段: 值”的映射（居委会记录），实际为列表"
    ]
