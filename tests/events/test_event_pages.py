"""Real builds with the example events, asserting on the event pages they write."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import ROOT, build, replace_in, tree_digest
from disclosure.cli import commands
from disclosure.core.problems import RecordsInvalid
from html_text import text, urls

EVENT_FILES = sorted((ROOT / "content/data/events").rglob("*.yaml"))
CANCELLED = "events/2026/zuojia-jianmianhui/"  # 汇阅读·作家见面会, 2026-12-12
CANCELLED_TITLE = "汇阅读·作家见面会"
_ITEM = re.compile(r'<li(?P<attrs>[^>]*class="event-item[^"]*"[^>]*)>(?P<body>.*?)</li>', re.S)


def listed(page: Path) -> list[dict]:
    """Each listed occurrence on a page: its title, date, states and whether it is a spare."""
    items = []
    for match in _ITEM.finditer(page.read_text(encoding="utf-8")):
        body = re.sub(r"<[^>]+>", " ", match["body"])
        body = re.sub(r"\s+", " ", body).strip()
        title = re.search(r'class="event-item__title"><a href="[^"]*">([^<]+)</a>', match["body"])
        items.append(
            {
                "title": title.group(1),
                "text": body,
                "cancelled": "✗ 已取消" in body,
                "over": "已结束" in body,
                "hidden": " hidden" in match["attrs"],
                "ends": re.search(r'data-ends="([^"]+)"', match["attrs"]).group(1),
            }
        )
    return items


def month_headings(page: Path) -> list[str]:
    return re.findall(r'class="event-month__title">([^<]+)<', page.read_text(encoding="utf-8"))


def test_every_event_has_its_page_and_calendar(example_site):
    for path in EVENT_FILES:
        year, slug = path.parent.name, path.stem
        assert (example_site / "events" / year / slug / "index.html").is_file(), path
        assert (example_site / "events" / year / f"{slug}.ics").is_file(), path


def test_events_page_lists_this_month_and_what_is_coming_by_month(example_site):
    page = example_site / "events/index.html"
    assert month_headings(page) == ["2026年11月", "2026年12月", "2027年1月"]
    items = listed(page)
    titles = [i["title"] for i in items]
    # in date order; the exhibition that began on 11-10 and goes on is listed first
    assert titles[:3] == [
        "日晖老照片展：我们的弄堂",
        "汇阅读·读书分享会《繁花》",
        "日晖有戏·京剧名段欣赏",
    ]
    # this month's events over by the as-of date are kept, marked as over
    reading = items[1]
    assert reading["over"] and reading["text"].startswith("11月21日 周六")
    assert not any(i["over"] for i in items[2:])
    # a recurring event is listed once per session, skipped dates left out
    opera = [i["text"].split(" ")[0] for i in items if i["title"] == "日晖有戏·京剧名段欣赏"]
    assert opera == ["11月28日", "12月5日", "12月19日"]
    assert "2020" not in " ".join(titles)  # past years are in the archive
    shown = text(page)
    assert "活动列表截至 2026年11月26日" in shown
    assert "往期活动（" in shown


def test_listed_items_carry_their_end_as_an_absolute_time(example_site):
    items = listed(example_site / "events/index.html")
    opera = next(i for i in items if i["title"] == "日晖有戏·京剧名段欣赏")
    assert opera["ends"] == "2026-11-28T16:00:00+08:00"
    exhibition = items[0]
    assert exhibition["ends"] == "2026-12-21T00:00:00+08:00"  # all day, to the end of 12-20


@pytest.mark.parametrize(
    "page",
    [
        "events/index.html",
        "events/series/hui-yuedu/index.html",
        "events/category/talk/index.html",
        "committees/haipo-xuhui/index.html",
        "index.html",
    ],
)
def test_a_cancelled_event_is_shown_cancelled_wherever_it_is_listed(example_site, page):
    items = [i for i in listed(example_site / page) if i["title"] == CANCELLED_TITLE]
    assert items, page
    assert all(i["cancelled"] for i in items)
    others = [i for i in listed(example_site / page) if i["title"] != CANCELLED_TITLE]
    assert not any(i["cancelled"] for i in others)


def test_a_cancelled_event_page_says_so_and_offers_no_calendar(example_site):
    page = example_site / CANCELLED / "index.html"
    shown = text(page)
    assert "✗ 已取消 本活动不再举行：嘉宾行程冲突" in shown
    assert "2026年12月12日（周六）14:00–15:30（已取消）" in shown
    assert "添加到日历" not in shown
    assert "需要报名" not in shown
    assert "<title>【已取消】汇阅读·作家见面会" in page.read_text()


def test_past_cancelled_and_postponed_events_are_marked_in_the_archive(example_site):
    years = [example_site / f"events/archive/{year}/index.html" for year in (2026, 2020)]
    items = {i["title"]: i for page in years for i in listed(page)}
    assert items["市民文化节·广场舞日晖街道选拔赛"]["cancelled"]
    assert "! 已延期，时间待定" in items["市民文化节·沪语故事会"]["text"]
    moved = items["汇阅读·海派书房夜读"]
    assert "! 已改期" in moved["text"] and "原定2020年9月12日（周六）19:00–20:30" in moved["text"]
    assert moved["text"].startswith("10月17日 周六")  # listed at its new date
    # a page a year, newest first, each listed with its count; newest month first
    index = text(example_site / "events/archive/index.html")
    assert index.index("2026年 1 场") < index.index("2020年 51 场")
    headings = [h for page in years for h in month_headings(page)]
    assert headings[0] == "2026年11月" and headings[-1] == "2020年7月"
    assert headings.index("2020年10月") < headings.index("2020年9月")


def test_event_page_has_everything_a_resident_needs(example_site):
    page = example_site / "events/2026/jingju-mingduan/index.html"
    shown = text(page)
    assert "时间 2026年11月28日至12月19日，每周六 14:00–16:00（共 3 次）" in shown
    assert "地点 日晖戏曲传承基地 上海市徐汇区瑞宁路120弄5号 日晖三村居民区" in shown
    assert "费用 免费" in shown and "名额 80 人" in shown
    assert "报名 需要报名 到日晖三村居委会或拨打电话预约座位 电话 021-6403 2210" in shown
    assert "无障碍 基地在一楼，门口有坡道" in shown
    assert "12月12日（周六）14:00–16:00 ✗ 本场不举办：基地音响设备检修" in shown
    links = {value for _, _, value in urls(page)}
    assert "../../../events/2026/jingju-mingduan.ics" in links  # 添加到日历
    assert "../../../events/series/rihui-youxi/" in links
    assert "../../../events/category/opera/" in links
    assert "../../../committees/rihui-sancun/" in links
    assert "tel:02164032210" in links


def test_markdown_in_a_description_is_rendered_and_sanitised(content, tmp_path):
    path = content / "data/events/2020/yueju-zhezixi.yaml"
    replace_in(
        path,
        "  每周六下午一场",
        "  <script>alert(1)</script>[链接](javascript:alert(2)) 每周六下午一场",
    )
    out = build(content, tmp_path / "output").output
    html = (out / "events/2020/yueju-zhezixi/index.html").read_text()
    assert "<script>alert" not in html and "javascript:" not in html
    assert "<li>10月10日：《红楼梦·葬花》《红楼梦·黛玉焚稿》</li>" in html


def test_a_mobile_for_registration_is_masked_without_consent(content, tmp_path):
    path = content / "data/events/2026/jingju-mingduan.yaml"
    replace_in(path, "phone: 021-6403 2210", "phone: 13812345678")
    out = build(content, tmp_path / "output").output
    shown = text(out / "events/2026/jingju-mingduan/index.html")
    assert "电话 138 **** 5678" in shown
    for written in out.rglob("*"):
        if written.is_file() and written.suffix in (".html", ".ics", ".atom", ".json"):
            assert "13812345678" not in written.read_text(encoding="utf-8"), written
    replace_in(path, "phone: 13812345678", "phone: 13812345678\n  phone_consent: true")
    out = build(content, tmp_path / "output2").output
    assert "tel:13812345678" in (out / "events/2026/jingju-mingduan/index.html").read_text()


def test_series_and_category_pages(example_site):
    series = example_site / "events/series/rihui-youxi/index.html"
    shown = text(series)
    assert "活动系列 · 共 5 项活动 · 日晖街道社区文化活动中心" in shown
    assert "依托日晖示范馆和日晖戏曲传承基地" in shown
    titles = {i["title"] for i in listed(series)}
    assert "日晖有戏·越剧经典折子戏" in titles and "戏曲服饰与脸谱展" in titles
    assert "../../../events/series/rihui-youxi.ics" in {v for _, _, v in urls(series)}
    category = example_site / "events/category/opera/index.html"
    assert {i["title"] for i in listed(category)} == {
        "日晖有戏·越剧经典折子戏",
        "日晖有戏·沪剧专场《罗汉钱》",
        "日晖有戏·京剧名段欣赏",
    }
    # only categories with events get a page
    built = {p.name for p in (example_site / "events/category").iterdir()}
    assert "opera" in built and "family" in built


def test_home_page_shows_the_next_few_events(example_site):
    home = example_site / "index.html"
    items = listed(home)
    shown = [i["title"] for i in items if not i["hidden"]]
    assert len(shown) == 4
    assert shown[0] == "日晖老照片展：我们的弄堂"
    assert not any(i["over"] for i in items)  # what is over as of the build is not "next"
    assert len(items) == 8  # spares for when the page's script hides what is over
    assert "./events/" in {v for _, _, v in urls(home)}


def test_committee_page_shows_events_at_its_venues(example_site):
    page = example_site / "committees/rihui-sancun/index.html"
    assert "本居民区的近期活动" in text(page)
    assert {i["title"] for i in listed(page)} == {"日晖有戏·京剧名段欣赏"}
    assert "本居民区的近期活动" not in text(example_site / "committees/mingyuan/index.html")


def test_the_listing_follows_the_as_of_date(content, tmp_path):
    out = build(content, tmp_path / "output", DISCLOSURE_AS_OF="2020-10-15").output
    page = out / "events/index.html"
    assert month_headings(page)[:3] == ["2020年10月", "2020年11月", "2020年12月"]
    items = listed(page)
    first = items[0]
    assert first["title"] == "我们的节日·中秋国庆双节游园会" and first["over"]
    assert "10月1日 周四" in first["text"]
    night = next(i for i in items if i["title"] == "汇阅读·海派书房夜读")
    assert not night["over"] and night["text"].startswith("10月17日")
    archive = month_headings(out / "events/archive/2020/index.html")
    assert archive == ["2020年10月", "2020年9月", "2020年8月", "2020年7月"]
    assert "本居民区的近期活动" in text(out / "committees/rihui-liucun/index.html")  # 重阳 10-25


def test_an_event_page_over_at_build_time_says_so_without_script(example_site):
    html = (example_site / "events/2020/chongyang-chahuahui/index.html").read_text()
    assert '<p class="notice event__over" data-over-note>本活动已经结束' in html
    future = (example_site / "events/2026/dongzhi-tangyuan/index.html").read_text()
    assert '<p class="notice event__over" data-over-note hidden>' in future


def test_an_invalid_event_stops_the_build_and_keeps_the_last_site(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    before = tree_digest(output)
    path = content / "data/events/2020/chongyang-chahuahui.yaml"
    replace_in(path, "end: 16:00", "end: 13:00")
    with pytest.raises(RecordsInvalid) as caught:
        build(content, output)
    assert [str(p) for p in caught.value.problems] == [
        f"{path.as_posix()}:6:6: E402 结束时间 2020-10-25 13:00 应晚于开始时间 2020-10-25 14:00；"
        "跨过午夜的活动请把结束写成完整的日期和时间（字段 end）"
    ]
    assert tree_digest(output) == before


def test_validate_names_the_event_problem(content):
    path = content / "data/events/2026/zhiyuanzhe-ri.yaml"
    replace_in(path, "category: 志愿服务", "category: 公益")
    out = io.StringIO()
    assert (
        commands.validate(content, as_of=commands.settings_for(ROOT / "pelicanconf.py")[1], out=out)
        == 1
    )
    first = out.getvalue().splitlines()[0]
    assert first == (
        f"{path.as_posix()}:4:11: E110 应为以下之一：戏曲、阅读、节日民俗、文艺演出、讲座、展览、体育健身、亲子、"
        '志愿服务、培训课程，实际为 "公益"（字段 category）'
    )
    assert "格式有错误的居委会文件" not in out.getvalue()


def test_a_site_without_events_still_builds(content, tmp_path):
    import shutil

    shutil.rmtree(content / "data/events")
    (content / "data/event_series.yaml").unlink()
    out = build(content, tmp_path / "output").output
    assert "近期没有活动安排" in text(out / "events/index.html")
    assert "近期没有活动安排" in text(out / "index.html")
    assert (out / "events/events.ics").is_file()
