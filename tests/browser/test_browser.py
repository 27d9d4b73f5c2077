"""The pages residents use, in headless Debian chromium over localhost."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, build, committee_file, cut_emergency, replace_in
from headless import axe_violations, chromium_fixture, page_at_fixture, serve, site_url_fixture  # noqa: F401

pytestmark = pytest.mark.browser

# The pages residents use most; every page is checked for reflow and by axe in
# test_every_page.py.
PAGES = {
    "home": "",
    "committee index": "committees/",
    "find my committee": "addresses/",
    "committee": "committees/rihui-liucun/",
    "committee with masked numbers": "committees/rihui-yicun/",
    "privacy": "privacy/",
    "accessibility statement": "accessibility/",
    # an address with no page, served the 404 page as a host does
    "not found (deep address)": "events/2020/no-such-event/x/",
    "disclosure": "disclosure/",
    "events": "events/",
    "events archive": "events/archive/",
    "event (recurring)": "events/2026/jingju-mingduan/",
    "event (cancelled)": "events/2026/zuojia-jianmianhui/",
    "event (postponed)": "events/2020/shudian-zhi-ye/",
    "event series": "events/series/rihui-youxi/",
    "event category": "events/category/reading/",
    "committee with events": "committees/rihui-sancun/",
    "plans": "plans/",
    "plan overview": "plans/2020-h2/",
    "plan section": "plans/2020-h2/4/",
    "plan task (late, with chart)": "plans/2020-h2/tasks/linli-xiaohui/",
    "data downloads": "data/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_request_leaves_localhost(page_at, path):
    page = page_at(path)
    page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}, page.requests


@pytest.fixture(scope="module")
def incomplete_site_url(tmp_path_factory):
    """The example with one committee's emergency contacts deleted and another stale."""
    root = tmp_path_factory.mktemp("incomplete")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    cut_emergency(committee_file(content))
    replace_in(committee_file(content, "ruining"), "verified: 2026-", "verified: 2025-")
    build(content, root / "output")
    with serve(root / "output") as url:
        yield url


@pytest.mark.parametrize("path", ["disclosure/", "committees/rihui-liucun/"])
@pytest.mark.parametrize("width", [320, 1280])
def test_incomplete_disclosure_pages_are_accessible(chromium, incomplete_site_url, path, width):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(incomplete_site_url + path)
    assert axe_violations(page) == []
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    if path == "disclosure/":
        # the committees' table, not the summary's heading
        assert page.locator(".matrix:not(.matrix--summary) .status--missing").count() == 1
        assert page.locator(".matrix:not(.matrix--summary) .status--stale").count() == 3
    context.close()


def test_the_404_page_is_whole_at_any_depth(page_at):
    statuses = {}
    for path in ("no-such-page", "committees/no-such/deeper/still/"):
        page = page_at(path, width=1280)
        page.on("response", lambda response: statuses.setdefault(response.url, response.status))
        page.reload(wait_until="load")
        assert page.title() == "找不到这个页面 - 日晖街道信息公开"
        header = "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        assert page.evaluate(header) == "rgb(11, 61, 145)"  # the stylesheet loaded
        page.get_by_role("link", name="按地址找我的居委会和块长").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/addresses/")
    # the missing pages themselves are 404; everything they load is there
    # (304: the stylesheet again, from the browser's cache)
    assert {url: status for url, status in statuses.items() if status not in (200, 304)} == {
        url: 404 for url in statuses if "no-such" in url
    }


def test_the_favicon_is_served(page_at, site_url):
    page = page_at("")
    for name in ("favicon.ico", "favicon.svg"):
        response = page.request.get(site_url + name)
        assert response.status == 200, name


def test_base_font_is_at_least_18px(page_at):
    page = page_at("committees/rihui-liucun/")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18


def test_committee_page_works_without_javascript(page_at):
    page = page_at("committees/rihui-liucun/", javascript=False)
    rows = page.locator(".timetable tbody tr")
    assert rows.count() == 7
    assert rows.nth(0).inner_text().split() == ["周一", "08:30–11:30、13:00–17:00"]
    assert page.locator(".timetable__today").count() == 0
    assert page.get_by_role("link", name="拨打居委会值班电话 021-6418 1185").is_visible()


def test_script_marks_today_in_shanghai(page_at):
    page = page_at("committees/rihui-liucun/")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).weekday()
    marked = page.locator(".timetable__today")
    assert marked.count() == 1
    assert marked.get_attribute("data-weekday") == str(today)
    assert "今天" in marked.inner_text()


def test_skip_link_is_first_and_moves_to_main(page_at):
    page = page_at("committees/rihui-liucun/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "跳到正文"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_phone_links_are_large_enough_to_tap(page_at):
    page = page_at("committees/rihui-liucun/", width=320)
    for box in page.locator(".phone--button").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert box >= 44


def test_print_shows_the_information_without_navigation(page_at):
    page = page_at("committees/rihui-liucun/")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".skip-link").is_visible()
    assert page.locator(".timetable").is_visible()
    assert page.locator("#emergency .card").first.is_visible()


# ---- events on the day a resident reads them ------------------------------------


@pytest.fixture
def page_on(chromium, site_url):
    """Open a page with the browser's clock set to a moment in Shanghai."""
    contexts = []

    def open_page(path: str, when: str, *, width: int = 390):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        context.clock.set_fixed_time(datetime.fromisoformat(when))
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        return page

    yield open_page
    for context in contexts:
        context.close()


def visible_titles(page, scope: str = "") -> list[str]:
    return page.locator(f"{scope} .event-item:visible .event-item__title").all_inner_texts()


def test_events_page_hides_what_is_over_for_the_reader(page_on):
    page = page_on("events/", "2026-12-05T12:00:00+08:00")
    titles = visible_titles(page)
    # over by noon on 12-05: the 11-21 reading, the 11-28 opera and the 09:00–11:30 fair
    assert "汇阅读·读书分享会《繁花》" not in titles
    assert "亲邻志愿汇·国际志愿者日服务集市" not in titles
    assert titles[:2] == ["日晖老照片展：我们的弄堂", "日晖有戏·京剧名段欣赏"]  # still on / 14:00
    assert page.locator("[data-over-notice]").inner_text() == (
        "已结束的 3 场活动已隐藏（按您手机或电脑上的当前时间）。"
    )
    assert page.get_by_role("heading", name="2026年11月").is_visible()  # the exhibition goes on


def test_a_month_with_nothing_left_is_hidden(page_on):
    page = page_on("events/", "2027-01-01T08:00:00+08:00")
    assert not page.get_by_role("heading", name="2026年11月").is_visible()
    assert not page.get_by_role("heading", name="2026年12月").is_visible()
    assert visible_titles(page) == ["汇阅读·新年诗会"]


def test_when_everything_is_over_the_page_says_so(page_on):
    page = page_on("events/", "2027-02-01T08:00:00+08:00")
    assert visible_titles(page) == []
    assert page.locator("[data-when-empty]").is_visible()


def test_without_javascript_everything_is_listed_by_date(page_at):
    page = page_at("events/", javascript=False)
    titles = visible_titles(page)
    assert titles[1] == "汇阅读·读书分享会《繁花》"  # over at build time, still listed…
    item = page.locator(".event-item").nth(1)
    assert "已结束" in item.inner_text()  # …and marked so
    assert not page.locator("[data-over-notice]").is_visible()


def test_home_page_tops_up_its_short_list(page_on):
    page = page_on("", "2026-12-06T08:00:00+08:00")
    titles = visible_titles(page, "#main")
    assert len(titles) == 4
    assert titles[0] == "日晖老照片展：我们的弄堂"
    assert "日晖有戏·京剧名段欣赏" not in titles[:1]
    assert "汇阅读·作家见面会" in titles  # a spare revealed, shown with its state
    cancelled = page.locator(".event-item--cancelled:visible")
    assert "✗ 已取消" in cancelled.inner_text()


def test_an_event_page_read_after_the_event(page_on):
    page = page_on("events/2026/dongzhi-tangyuan/", "2026-12-23T09:00:00+08:00")
    assert page.get_by_text("本活动已经结束").is_visible()
    assert not page.get_by_role("link", name="添加到日历").is_visible()
    before = page_on("events/2026/dongzhi-tangyuan/", "2026-12-01T09:00:00+08:00")
    assert not before.get_by_text("本活动已经结束").is_visible()
    assert before.get_by_role("link", name="添加到日历").is_visible()


def test_add_to_calendar_downloads_the_event(page_on):
    page = page_on("events/2026/dongzhi-tangyuan/", "2026-12-01T09:00:00+08:00")
    with page.expect_download() as download:
        page.get_by_role("link", name="添加到日历").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert "UID:2026-dongzhi-tangyuan@rihui.example" in text
    assert "DTSTART;TZID=Asia/Shanghai:20261222T093000" in text


# ---- closures on the day a resident reads the timetable ----------------------------

COMMITTEE = "committees/rihui-liucun/"  # closed 2026-12-10 (training) and 2027-01-01..03
USUAL_THURSDAY = "08:30–11:30、13:00–17:00、18:00–20:00"


def timetable_row(page, weekday: int) -> str:
    return page.locator(f'.timetable tr[data-weekday="{weekday}"]').inner_text()


@pytest.mark.parametrize(
    "when",
    ["2026-12-10T09:00:00+08:00", "2026-12-09T16:30:00+00:00"],  # both 10 Dec in Shanghai
    ids=["shanghai-morning", "utc-evening-before"],
)
def test_today_on_a_closure_day_says_closed_not_the_hours(page_on, when):
    page = page_on(COMMITTEE, when)
    today = page.locator(".timetable__today")
    assert today.count() == 1
    assert today.get_attribute("data-weekday") == "3"
    shown = today.inner_text()
    assert "今天" in shown
    assert "暂停服务（12月10日：全体社工参加区里培训，当天暂停服务）" in shown
    assert "08:30" not in shown and "18:00" not in shown


def test_the_day_after_a_closure_is_a_normal_day(page_on):
    page = page_on(COMMITTEE, "2026-12-11T09:00:00+08:00")
    assert page.locator(".timetable__today").get_attribute("data-weekday") == "4"
    assert timetable_row(page, 4).split() == ["周五今天", "08:30–11:30、13:00–17:00"]
    assert "暂停服务" not in page.locator(".timetable").inner_text()


def test_a_closure_later_in_the_readers_week_is_dated_in_its_row(page_on):
    page = page_on(COMMITTEE, "2026-12-31T09:00:00+08:00")  # Thursday; Friday is 元旦
    assert timetable_row(page, 3).split() == ["周四今天", USUAL_THURSDAY]
    assert timetable_row(page, 4).split() == [
        "周五",
        "1月1日暂停服务（元旦放假）",
        "其他周五",
        "08:30–11:30、13:00–17:00",
    ]


@pytest.fixture(scope="module")
def closure_week_site_url(tmp_path_factory):
    """The example built on 8 December, two days before a closure."""
    root = tmp_path_factory.mktemp("closure-week")
    build(ROOT / "content", root / "output", DISCLOSURE_AS_OF="2026-12-08")
    with serve(root / "output") as url:
        yield url


def test_the_builds_closure_notes_give_way_to_the_readers_week(chromium, closure_week_site_url):
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    context.clock.set_fixed_time(datetime.fromisoformat("2026-12-14T09:00:00+08:00"))
    page = context.new_page()
    page.goto(closure_week_site_url + COMMITTEE)
    # the build's week said 12月10日; a week later Thursday is a normal day again
    assert timetable_row(page, 3).split() == ["周四", USUAL_THURSDAY]
    assert "暂停服务" not in page.locator(".timetable").inner_text()
    context.close()


def test_without_script_the_builds_week_shows_its_closure(chromium, closure_week_site_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(closure_week_site_url + COMMITTEE)
    assert timetable_row(page, 3).split() == [
        "周四",
        "12月10日暂停服务（全体社工参加区里培训，当天暂停服务）",
        "其他周四",
        USUAL_THURSDAY,
    ]
    context.close()


@pytest.mark.parametrize(
    ("when", "said"),
    [
        ("2026-12-10T10:00:00+08:00", "今天暂停服务。"),
        ("2027-01-02T10:00:00+08:00", "今天暂停服务。"),
        ("2026-12-11T10:00:00+08:00", "现在开放（今天 08:30–11:30、13:00–17:00）。"),
    ],
    ids=["closure-day", "new-year-weekend", "the-day-after"],
)
def test_find_my_committee_says_closed_on_a_closure_day(page_on, when, said):
    page = page_on("", when)
    page.fill("#find-address", "零陵路80弄3号")
    page.click(".find button")
    answer = page.locator("[data-answer] .find__result").first
    answer.wait_for()
    assert said in answer.inner_text()


# ---- the work plan ------------------------------------------------------------------


def test_plan_charts_are_drawn_without_script_and_read_as_images(page_at):
    page = page_at("plans/2020-h2/tasks/linli-xiaohui/", javascript=False)
    chart = page.locator("svg.chart__svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 250 and box["height"] > 90
    assert page.get_by_role("img", name="进度变化图 完成 4 个邻里小汇建设：3 条进展").count() == 1
    bar = page.get_by_role("img", name="完成进度：完成 75%")
    assert bar.is_visible()
    # drawn without script: the page's only one is every page's 长辈版 memory
    scripts = page.locator("script").evaluate_all("els => els.map(e => e.src.split('/').pop())")
    assert scripts == ["mode.js"]


def test_plan_overview_puts_late_tasks_first(page_at):
    page = page_at("plans/2020-h2/", width=1280)
    attention = page.locator("#attention-title + p + .cards .card")
    statuses = attention.locator(".task__status .state").all_inner_texts()
    assert statuses and statuses == sorted(statuses, key=lambda s: "×!".index(s[0]))
    assert page.locator(".plan-section").count() == 8


@pytest.mark.parametrize(
    ("typed", "committee", "leader"),
    [
        ("零陵路80弄3号", "日晖六村居民区", "3号楼 的块长：曹建国"),
        ("零陵路 80 弄 10 号楼", "日晖六村居民区", "10号楼 的块长：陆桂英 136 **** 6136"),
        ("上海市徐汇区零陵路８０弄２６号", "日晖六村居民区", "26号楼 的块长：段振华"),
        ("零陵路80弄", "日晖六村居民区", None),
        ("日晖六村", "日晖六村居民区", None),
    ],
)
def test_the_home_page_finds_a_committee_from_an_address(page_at, typed, committee, leader):
    page = page_at("")
    page.fill("#find-address", typed)
    page.click(".find button")
    answer = page.locator("[data-answer] .find__result").first
    answer.wait_for()
    shown = answer.inner_text()
    assert shown.startswith(committee)
    assert ("现在开放" in shown) or ("现在不开放" in shown) or ("今天" in shown)
    if leader:
        assert leader in shown
    assert "13642116136" not in page.content()


def test_a_road_finds_every_committee_on_it(page_at):
    page = page_at("")
    page.fill("#find-address", "零陵路")
    page.click(".find button")
    page.locator("[data-answer] .find__result").first.wait_for()
    names = page.locator("[data-answer] .find__committee").all_inner_texts()
    assert set(names) == {"零陵路居民区", "日晖六村居民区"}


def test_an_unknown_address_leads_to_the_directory(page_at):
    page = page_at("")
    page.fill("#find-address", "瑞宁路999弄1号")
    page.click(".find button")
    page.locator("[data-answer] p").first.wait_for()
    assert "没有找到“瑞宁路999弄1号”" in page.inner_text("[data-answer]")
    assert page.locator("[data-answer] a").get_attribute("href").endswith("addresses/")


def test_finding_a_committee_works_without_javascript(page_at):
    page = page_at("", javascript=False)
    assert page.locator("form.find").is_hidden()
    page.click("text=按路名查找居委会和块长")
    assert "零陵路80弄1-26号 · 日晖六村居民区" in page.inner_text("main")
