"""Event records: typed values, every problem with its position, and checks across records."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import ROOT
from disclosure.core.files import read_record
from disclosure.events.model import EVENT
from disclosure.site import load_site_data

VALID = """\
title: 日晖有戏·越剧经典折子戏
series: 日晖有戏
category: 戏曲
start: 2020-10-10 14:00
end: 16:00
repeat:
  every: 每周
  days: 周六
  until: 2020-10-31
  except:
    - date: 2020-10-24
      reason: 基地承办重阳敬老专场
    - 2020-10-17
venue: 日晖戏曲传承基地
address: 上海市徐汇区瑞宁路120弄5号
organiser: 日晖街道社区文化活动中心
summary: 经典选段。
registration:
  required: true
  phone: 13812345678
  until: 2020-10-09 17:00
fee: 免费
announced: 2020-09-20
"""

SINGLE = """\
title: 我们的节日·重阳敬老茶话会
category: 节日民俗
start: 2020-10-25 14:00
end: 2020-10-25 16:00
venue: 日晖六村居委会活动室
address: 上海市徐汇区零陵路80弄1号
organiser: 日晖六村居民区
summary: 为老人祝寿。
fee: 免费
announced: 2020-10-08
"""


def read(tmp_path: Path, text: str):
    path = tmp_path / "yueju.yaml"
    path.write_text(text, encoding="utf-8")
    return read_record(path, "e.yaml", EVENT, slug="yueju", year=2020)


def messages(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in read(tmp_path, text)[1]]


def test_a_recurring_event_is_typed_and_expanded(tmp_path):
    event, problems = read(tmp_path, VALID)
    assert problems == []
    assert event.start == datetime(2020, 10, 10, 14, 0)
    assert event.first.end == datetime(2020, 10, 10, 16, 0)  # `end: 16:00` on the start's day
    assert [o.start.day for o in event.occurrences()] == [10, 31]  # 17 and 24 are skipped
    assert event.skipped[date(2020, 10, 24)].reason == "基地承办重阳敬老专场"
    assert event.skipped[date(2020, 10, 17)].reason is None
    assert event.registration.phone_published is False  # a mobile without consent
    assert event.status == "scheduled"
    assert event.key == "2020/yueju"


def test_a_postponed_event_takes_place_at_its_new_time_for_as_long(tmp_path):
    text = SINGLE + "status: 延期\nnew_start: 2020-11-01 09:00\n"
    event, problems = read(tmp_path, text)
    assert problems == []
    assert event.status == "postponed"  # 延期, as staff say it
    assert [(o.start, o.end) for o in event.occurrences()] == [
        (datetime(2020, 11, 1, 9, 0), datetime(2020, 11, 1, 11, 0))
    ]


def test_an_all_day_event_over_several_days(tmp_path):
    text = SINGLE.replace("start: 2020-10-25 14:00", "start: 2020-11-02").replace(
        "end: 2020-10-25 16:00", "end: 2020-11-30"
    )
    event, problems = read(tmp_path, text)
    assert problems == []
    assert event.occurrences()[0].all_day


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "end: 16:00",
            "end: 13:00",
            "e.yaml:5:6: E402 结束时间 2020-10-10 13:00 应晚于开始时间 2020-10-10 14:00；"
            "跨过午夜的活动请把结束写成完整的日期和时间（字段 end）",
        ),
        (
            "end: 16:00",
            "end: 2020-10-10",
            "e.yaml:5:6: E403 开始和结束要么都写时间，要么都只写日期（全天活动）："
            "开始为 2020-10-10 14:00，结束为 2020-10-10（字段 end）",
        ),
        (
            "start: 2020-10-10 14:00",
            "start: 2020-10-10 25:00",
            "e.yaml:4:8: E103 时间 25:00 不存在：小时应为 00–23，分钟应为 00–59（字段 start）",
        ),
        (
            "start: 2020-10-10 14:00",
            "start: 2020-10-10 24:00",
            "e.yaml:4:8: E103 24:00 只能用作结束时间；从零点开始请写 00:00（字段 start）",
        ),
        (
            "start: 2020-10-10 14:00",
            "start: 2020-02-30 14:00",
            "e.yaml:4:8: E106 日期 2020-02-30 不存在，请核对年月日（字段 start）",
        ),
        (
            "start: 2020-10-10 14:00",
            "start: 10月10日 14:00",
            "e.yaml:4:8: E401 时间格式应为 YYYY-MM-DD HH:MM，例如 2020-10-10 14:00（全天活动写 2020-10-10），"
            '实际为 "10月10日 14:00"（字段 start）',
        ),
        (
            "start: 2020-10-10 14:00",
            "start: 2020-10-09 14:00",
            "e.yaml:4:8: E417 start 应为第一次活动的时间：2020-10-09 14:00 是周五，"
            "不在重复的星期（周六）中（字段 start）",
        ),
        (
            "until: 2020-10-31",
            "until: 2020-10-01",
            "e.yaml:7:3: E404 重复规则没有产生任何一次活动：结束日期 2020-10-01 早于第一次活动 "
            "2020-10-10 14:00（字段 repeat）",
        ),
        (
            "    - 2020-10-17",
            "    - 2020-10-18",
            "e.yaml:13:7: E405 例外日期 2020-10-18 不是本活动按规则举办的日子，请核对（字段 repeat.except[1]）",
        ),
        (
            "  until: 2020-10-31",
            "  until: 2020-10-31\n  count: 3",
            "e.yaml:7:3: E418 重复举办的活动要写 until（到哪天为止）或 count（一共几次），两者写一个（字段 repeat）",
        ),
        (
            "  every: 每周",
            "  every: 每天",
            "e.yaml:8:9: E415 “每天”的活动不用写 days；按星期重复请把 every 写成 每周 或 每两周（字段 repeat.days）",
        ),
        (
            "  every: 每周",
            "  every: weekly",
            'e.yaml:7:10: E110 应为以下之一：每天、每周、每两周、每月，实际为 "weekly"（字段 repeat.every）',
        ),
        (
            "fee: 免费",
            "fee: 免费\nstatus: 作废",
            "e.yaml:23:9: E110 应为以下之一：scheduled（如期举行）、cancelled（已取消）、postponed（已延期），"
            '实际为 "作废"（字段 status）',
        ),
        (
            "fee: 免费",
            "fee: 免费\nnew_start: 2020-10-11 14:00",
            "e.yaml:23:12: E406 只有延期的活动才写 new_start：请把 status 改为 postponed，或删除 new_start"
            "（字段 new_start）",
        ),
        (
            "fee: 免费",
            "fee: 免费\nstatus: postponed",
            "e.yaml:23:9: E412 重复举办的活动不能整体延期：某一次不办请写进 repeat 的 except，"
            "全部改期请改 start 和 repeat（字段 status）",
        ),
        (
            "  until: 2020-10-09 17:00",
            "  until: 2020-10-31 17:00",
            "e.yaml:21:10: E408 报名截止 2020-10-31 17:00 晚于最后一场活动开始 2020-10-31 14:00，请核对"
            "（字段 registration.until）",
        ),
        (
            "  phone: 13812345678\n",
            "",
            "e.yaml:19:3: E414 需要报名时，请写明怎么报名：how（方式）、phone（电话）或 url（网址）至少写一项"
            "（字段 registration）",
        ),
        (
            "title: 日晖有戏·越剧经典折子戏",
            "title: 【取消】日晖有戏·越剧经典折子戏",
            "e.yaml:1:8: E419 标题里不要写“取消”：活动状态请写在 status 字段（cancelled 已取消、postponed 已延期，"
            "原因写在 status_note），网站会自动标明（字段 title）",
        ),
        (
            "category: 戏曲",
            "category: 京剧",
            "e.yaml:3:11: E110 应为以下之一：戏曲、阅读、节日民俗、文艺演出、讲座、展览、体育健身、亲子、志愿服务、培训课程，"
            '实际为 "京剧"（字段 category）',
        ),
        (
            "fee: 免费\n",
            "",
            'e.yaml:1:1: E100 缺少必填字段 "fee"（费用）',
        ),
        (
            "  phone: 13812345678",
            "  phone: 13812345678\n  url: javascript:alert(1)",
            'e.yaml:21:8: E113 网址只能以 http://、https://、mailto: 或 tel: 开头，实际为 "javascript:alert(1)"'
            "（字段 registration.url）",
        ),
    ],
)
def test_one_problem_each(tmp_path, old, new, expected):
    text = VALID.replace(old, new, 1)
    assert text != VALID
    assert messages(tmp_path, text) == [expected]


def test_postponed_event_whose_new_end_is_before_its_new_start(tmp_path):
    text = SINGLE + "status: postponed\nnew_start: 2020-11-01 09:00\nnew_end: 08:00\n"
    assert messages(tmp_path, text) == [
        "e.yaml:13:10: E402 改期后的结束时间 2020-11-01 08:00 应晚于开始时间 2020-11-01 09:00（字段 new_end）"
    ]


def test_every_occurrence_skipped_is_an_error(tmp_path):
    text = VALID.replace("  until: 2020-10-31", "  count: 1").replace(
        "    - 2020-10-17", "    - 2020-10-10"
    )
    assert messages(tmp_path, text) == [
        "e.yaml:7:3: E404 重复规则产生的每一次活动都被 except 去掉了，没有剩下任何一次活动（字段 repeat）",
        "e.yaml:11:7: E405 例外日期 2020-10-24 不是本活动按规则举办的日子，请核对（字段 repeat.except[0]）",
    ]


def test_all_problems_of_an_event_are_reported_together(tmp_path):
    text = (
        VALID.replace("title: 日晖有戏·越剧经典折子戏", "title: 延期的越剧")
        .replace("    - 2020-10-17", "    - 2020-10-18")
        .replace("  phone: 13812345678", "  phone: 1380")
    )
    codes = sorted(m.split(" ")[1] for m in messages(tmp_path, text))
    assert codes == ["E107"]  # a field that cannot be typed stops the record here…
    text = VALID.replace("title: 日晖有戏·越剧经典折子戏", "title: 延期的越剧").replace(
        "    - 2020-10-17", "    - 2020-10-18"
    )
    codes = sorted(m.split(" ")[1] for m in messages(tmp_path, text))
    assert codes == ["E405", "E419"]  # …and checks over the record report together


# ---- across records ---------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def event_file(content: Path, name: str = "2020/chongyang-chahuahui") -> Path:
    return content / "data" / "events" / f"{name}.yaml"


def problems_of(content: Path) -> list[str]:
    return [str(p) for p in load_site_data(content, base=content.parent).problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_example_events_load_without_problems(content):
    site = load_site_data(content, base=content.parent)
    assert site.problems == []
    assert len(site.events) == len(list((content / "data/events").rglob("*.yaml")))
    assert {s.slug for s in site.event_series} >= {"rihui-youxi", "hui-yuedu", "women-de-jieri"}


def test_series_and_committee_may_be_written_by_name(content):
    site = load_site_data(content, base=content.parent)
    chongyang = next(e for e in site.events if e.key == "2020/chongyang-chahuahui")
    assert chongyang.series == "women-de-jieri"  # written 我们的节日
    edit(event_file(content), "committee: rihui-liucun", "committee: 日晖六村居民区")
    site = load_site_data(content, base=content.parent)
    chongyang = next(e for e in site.events if e.key == "2020/chongyang-chahuahui")
    assert chongyang.committee == "rihui-liucun"


def test_an_unknown_series_suggests_the_near_one(content):
    edit(event_file(content), "series: 我们的节日", "series: 我们的节目")
    assert problems_of(content) == [
        'content/data/events/2020/chongyang-chahuahui.yaml:3:9: E409 未知的活动系列 "我们的节目"；'
        '是否想写 "我们的节日"？（系列在 content/data/event_series.yaml 中定义）'
    ]


def test_an_unknown_committee(content):
    edit(event_file(content), "committee: rihui-liucun", "committee: rihui-liucn")
    assert problems_of(content) == [
        'content/data/events/2020/chongyang-chahuahui.yaml:9:12: E410 没有这个居委会："rihui-liucn"；'
        '是否想写 "rihui-liucun"？'
    ]


def test_an_event_filed_under_the_wrong_year(content):
    source = event_file(content)
    target = content / "data/events/2021/chongyang-chahuahui.yaml"
    target.parent.mkdir()
    source.rename(target)
    assert problems_of(content) == [
        "content/data/events/2021/chongyang-chahuahui.yaml:5:8: E411 活动开始于 2020 年，却放在 2021 文件夹里："
        "请把文件移到 events/2020/，或核对开始日期"
    ]


def test_an_event_outside_a_year_folder(content):
    event_file(content).rename(content / "data/events/chongyang.yaml")
    assert problems_of(content) == [
        "content/data/events/chongyang.yaml:1:1: E411 活动文件要放在以年份命名的文件夹里，"
        '例如 events/2020/chongyang.yaml，实际为 "content/data/events/chongyang.yaml"'
    ]


def test_a_series_defined_twice(content):
    path = content / "data/event_series.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - slug: rihui-youxi\n    name: 日晖有戏二\n", encoding="utf-8")
    assert problems_of(content) == [
        'content/data/event_series.yaml:29:5: E413 系列 "rihui-youxi" 重复：第 5 行已经定义过'
        "（字段 series[5]）"
    ]


def test_problems_in_many_event_files_are_reported_together(content):
    edit(event_file(content), "end: 16:00", "end: 13:00")
    edit(event_file(content, "2026/zhiyuanzhe-ri"), "category: 志愿服务", "category: 公益")
    edit(event_file(content, "2020/baduanjin"), "  days: 周二", "  days: 周八")
    codes = [line.split(" ")[1] for line in problems_of(content)]
    assert codes == ["E108", "E402", "E110"]


def test_ways_staff_write_things_that_are_understood(tmp_path):
    text = SINGLE.replace("fee: 免费", "registration: 无需报名\nfee: 免费").replace(
        "start: 2020-10-25 14:00",
        "start: 2020-10-25T14:00:00",  # copied from a spreadsheet
    )
    event, problems = read(tmp_path, text)
    assert problems == []
    assert event.registration is None
    assert event.start == datetime(2020, 10, 25, 14, 0)
    single = VALID.replace(
        "  except:\n    - date: 2020-10-24\n      reason: 基地承办重阳敬老专场\n    - 2020-10-17",
        "  except: 2020-10-17",
    )
    event, problems = read(tmp_path, single)
    assert problems == []
    assert [s.day for s in event.repeat.exceptions] == [date(2020, 10, 17)]


def test_words_staff_may_use_for_a_key_point_to_it(tmp_path):
    text = SINGLE.replace("venue:", "location:").replace("organiser:", "organizer:")
    assert messages(tmp_path, text) == [
        'e.yaml:1:1: E100 缺少必填字段 "venue"（活动地点）',
        'e.yaml:1:1: E100 缺少必填字段 "organiser"（主办单位）',
        'e.yaml:5:1: E101 未知字段 "location"；是否想写 "venue"？',
        'e.yaml:7:1: E101 未知字段 "organizer"；是否想写 "organiser"？',
    ]


def test_registration_written_as_a_word(tmp_path):
    text = SINGLE.replace("fee: 免费", "registration: 需要\nfee: 免费")
    assert messages(tmp_path, text) == [
        "e.yaml:9:15: E414 需要报名时，请在 registration 下写明 required: true 和怎么报名（how、phone 或 url）；"
        '不需要报名请写 无需报名，实际为 "需要"（字段 registration）'
    ]
