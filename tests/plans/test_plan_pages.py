"""Real builds with the example plan, asserting on the pages and the feed they write."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, build, replace_in
from disclosure.core.problems import RecordsInvalid
from disclosure.site import load_site_data
from html_text import text

PLAN_FILE = ROOT / "content/data/plans/2020-h2.yaml"
PLAN_TEXT = ROOT / "tests/data/plan-2020-h2.txt"  # the plan as published
HEADINGS = [
    "一、慎终如始，把好防控常态化后的社区防疫关口",
    "二、融合发展，完善党建引领下的社会治理体系",
    "三、最优营商，扩大“两翼一体”机制联动成效",
    "四、实战应用，提升城区精细管理能级",
    "五、精准服务，提高民生保障水平",
    "六、源头防范，维护社区安全稳定",
    "七、深化内涵，培育社区自治共治品牌",
    "八、宣传动员，推动新时代下的精神文明建设",
]
ATOM = "{http://www.w3.org/2005/Atom}"


def plan_of(content: Path):
    site = load_site_data(content, base=content.parent)
    assert site.problems == []
    return site.plans[0]


def expected_percent(fraction: float) -> str:
    """The README's rounding: whole percents, never up to 100%."""
    return "100%" if fraction >= 1 else f"{min(round(fraction * 100), 99)}%"


def oracle(content: Path, as_of: str = "2026-11-26") -> dict:
    """The README's rules, computed again here from the records, independently of the code."""
    plan = plan_of(content)
    day = __import__("datetime").date.fromisoformat(as_of)
    sections = {}
    for section in plan.sections:
        weighted, weights = 0.0, 0.0
        for task in section.tasks:
            updates = [u for u in task.updates if u.day <= day]
            if not updates:
                fraction = 0.0
            elif task.target:
                fraction = min(updates[-1].value / task.target.value, 1.0)
            else:
                fraction = updates[-1].percent / 100
            weighted += fraction * task.weight
            weights += task.weight
        sections[section.number] = weighted / weights
    return {"sections": sections, "overall": sum(sections.values()) / len(sections)}


def normal(words: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", words))


def test_headings_and_task_wording_are_the_plans_own_words():
    source = normal(PLAN_TEXT.read_text(encoding="utf-8"))
    plan = plan_of(ROOT / "content")
    assert [f"{s.number}、{s.heading}" for s in plan.sections] == HEADINGS
    for section in plan.sections:
        assert normal(section.heading) in source, section.heading
        for task in section.tasks:
            assert normal(task.wording) in source, task.id


def test_the_overview_shows_all_eight_sections_with_their_progress(example_site):
    page = example_site / "plans/2020-h2/index.html"
    shown = text(page)
    expected = oracle(ROOT / "content")
    assert f"总体进度 {expected_percent(expected['overall'])}" in shown
    for heading, (number, fraction) in zip(HEADINGS, expected["sections"].items(), strict=True):
        assert f"{heading} {expected_percent(fraction)}" in shown, (number, heading)
    for index in range(1, 9):
        assert (example_site / f"plans/2020-h2/{index}/index.html").is_file()


@pytest.mark.parametrize(
    ("task", "progress"),
    [
        ("完成 4 个邻里小汇建设", "4 个邻里小汇 3 / 4 个（75%）"),
        ("7 个老旧小区电梯维修改造更新", "7 个完成电梯维修改造的老旧小区 5 / 7 个（71%）"),
        ("5 个小区综合治理项目", "5 个完成综合治理的小区 5 / 5 个（100%）"),
        ("小区垃圾分类“五有”达标", "90%的小区“五有”达标 90% / 90%（100%）"),
        ("构建“1+19+N”文明实践网络", "19 个居民区新时代文明实践站 19 / 19 个（100%）"),
        ("重点关注 930 家纳税企业", "930 家纳税企业走访覆盖 930 / 930 家（100%）"),
        ("七大类志愿服务项目", "7 类志愿服务项目 7 / 7 类（100%）"),
    ],
)
def test_tasks_with_numeric_targets_show_value_over_target(example_site, task, progress):
    shown = text(example_site / "plans/2020-h2/index.html")
    assert f"{task} {progress}" in shown


def test_a_task_past_its_due_date_shows_as_late(example_site):
    page = example_site / "plans/2020-h2/tasks/linli-xiaohui/index.html"
    shown = text(page)
    assert "× 滞后" in shown
    assert (
        "已过完成期限（2020年12月31日）仍未完成，按规则计为“滞后”；最近一次进展写的是“有风险”。"
        in shown
    )
    overview = text(example_site / "plans/2020-h2/index.html")
    attention = overview[overview.index("需要关注") : overview.index("各部分进展")]
    assert "完成 4 个邻里小汇建设 × 滞后" in attention
    assert "已完成" not in attention


def test_task_page_has_the_plan_wording_target_and_history(example_site):
    page = example_site / "plans/2020-h2/tasks/linli-xiaohui/index.html"
    shown = text(page)
    assert "完成4个邻里小汇建设 ——2020年街道下半年工作计划，第五部分原文" in shown
    assert "目标 4 个邻里小汇 完成情况 3 / 4 个（75%） 责任部门 社区服务办公室" in shown
    history = shown[shown.index("详见下方记录。") :]  # the timeline, after the chart
    assert (
        history.index("2020年12月20日")
        < history.index("2020年10月31日")
        < history.index("2020年8月31日")
    )
    html = page.read_text(encoding="utf-8")
    chart = re.search(r'<svg class="chart__svg".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart and "<desc" in chart
    assert len(re.findall(r"<circle ", chart)) == 3  # one point per update
    # drawn without script: the only one is every page's 长辈版 memory
    assert re.findall(r"<script[^>]*>", html) == ['<script src="../../../../theme/js/mode.js">']


def test_changing_one_value_moves_task_section_and_overall_together(content, tmp_path):
    before = oracle(content)
    path = content / "data/plans/2020-h2.yaml"
    replace_in(
        path,
        "            value: 3\n            status: 有风险\n            note: 瑞宁邻里小汇开放；第四个选址的房屋移交推迟。",
        "            value: 4\n            status: 已完成\n            note: 4 个邻里小汇全部开放。",
    )
    after = oracle(content)
    assert after["sections"]["五"] > before["sections"]["五"]
    assert after["overall"] == pytest.approx(
        before["overall"] + (after["sections"]["五"] - before["sections"]["五"]) / 8
    )
    out = build(content, tmp_path / "output").output
    task = text(out / "plans/2020-h2/tasks/linli-xiaohui/index.html")
    assert "完成情况 4 / 4 个（100%）" in task and "✓ 已完成" in task
    section = text(out / "plans/2020-h2/5/index.html")
    assert f"本部分进度 {expected_percent(after['sections']['五'])}" in section
    overview = text(out / "plans/2020-h2/index.html")
    assert f"总体进度 {expected_percent(after['overall'])}" in overview
    assert f"五、精准服务，提高民生保障水平 {expected_percent(after['sections']['五'])}" in overview
    home = text(out / "index.html")
    assert f"总体进度 {expected_percent(after['overall'])}" in home


def test_the_plan_as_it_stood_on_a_day(content, tmp_path):
    out = build(content, tmp_path / "output", DISCLOSURE_AS_OF="2020-10-15").output
    overview = text(out / "plans/2020-h2/index.html")
    expected = oracle(content, "2020-10-15")
    assert f"总体进度 {expected_percent(expected['overall'])}" in overview
    task = text(out / "plans/2020-h2/tasks/linli-xiaohui/index.html")
    assert "→ 推进中" in task and "1 / 4 个（25%）" in task
    assert "滞后" not in task
    # due 2020-09-30 and done on 09-28: never late
    assert "✓ 已完成" in text(out / "plans/2020-h2/tasks/anquan-duxun/index.html")


def test_a_task_due_earlier_is_late_from_the_day_after(content, tmp_path):
    path = content / "data/plans/2020-h2.yaml"
    replace_in(
        path,
        "            percent: 100\n            status: 已完成\n            note: 汛期结束，无人员伤亡和严重积水。",
        "            percent: 90\n            status: 推进中\n            note: 还有 2 处排水管道未疏通。",
    )
    out = build(content, tmp_path / "output", DISCLOSURE_AS_OF="2020-10-01").output
    shown = text(out / "plans/2020-h2/tasks/anquan-duxun/index.html")
    assert "× 滞后" in shown and "已过完成期限（2020年9月30日）" in shown
    out = build(content, tmp_path / "output2", DISCLOSURE_AS_OF="2020-09-30").output
    assert "→ 推进中" in text(out / "plans/2020-h2/tasks/anquan-duxun/index.html")


def test_atom_feed_of_progress_updates(example_site):
    feed = ET.parse(example_site / "plans/2020-h2/feed.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50  # the newest; the example has more updates than that
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2020-12-31T00:00:00+08:00"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "完成 4 个邻里小汇建设：有风险，3 / 4 个（75%）" in titles


def test_home_page_and_navigation_lead_to_the_plan(example_site):
    home = text(example_site / "index.html")
    assert "工作计划进展 2020年街道下半年工作计划：总体进度" in home
    assert "工作计划" in text(example_site / "committees/index.html")  # in the header
    assert (example_site / "plans/index.html").is_file()


def test_an_invalid_plan_stops_the_build(content, tmp_path):
    path = content / "data/plans/2020-h2.yaml"
    replace_in(
        path,
        "            value: 3\n            status: 有风险",
        "            value: 5\n            status: 有风险",
    )
    with pytest.raises(RecordsInvalid) as caught:
        build(content, tmp_path / "output")
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path.as_posix()}:")
    assert " E501 完成值 5 超过了目标 4 个邻里小汇；数值应在 0 和目标之间，请核对" in str(problem)
    assert not (tmp_path / "output").exists()
