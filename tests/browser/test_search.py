"""Site search in headless Debian chromium, against a real build of the example site.

What a page "contains" is decided here on its own: the visible text of the
page's <main> as chromium lays it out with JavaScript off, for every page the
build wrote (the search page, which asks not to be indexed, aside).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
import yaml
from conftest import ROOT
from disclosure.search.terms import query_terms
from headless import axe_violations, chromium_fixture, every_page, page_at_fixture, site_url_fixture  # noqa: F401

pytestmark = pytest.mark.browser

WORDS = ["电梯", "垃圾分类", "邻里汇", "重阳", "块长", "居委会"]
FAST_MS = 100


def searched(page_at, query: str = "", **options):
    """The search page for `query`, its index loaded and the results shown."""
    page = page_at("search/" + (f"?q={quote(query)}" if query else ""), **options)
    page.wait_for_selector("form[data-ready]", state="attached")
    return page


@pytest.fixture(scope="module")
def main_texts(chromium, site_url, example_site) -> dict[str, str]:
    """URL → what a reader sees in the page's <main>, script off, for every indexed page."""
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    texts = {}
    for url in every_page(example_site):  # the standard pages: their elder twins say the same
        page.goto(site_url + url)
        if page.locator('meta[name="robots"][content~="noindex"]').count():
            continue
        texts[url] = page.locator("main").inner_text()
    context.close()
    assert len(texts) > 100
    return texts


def containing(main_texts: dict[str, str], word: str) -> set[str]:
    return {url for url, text in main_texts.items() if word in text}


def results(page, query: str) -> list[str]:
    """The URLs of every page found holding `query` whole, best first."""
    found = page.evaluate("q => window.siteSearch.search(q)", query)
    assert not found["partial"], query
    return found["urls"]


# ---- finding -------------------------------------------------------------------------


def test_a_committees_name_finds_its_page_first(page_at):
    page = searched(page_at, "日晖六村")
    first = page.locator(".search-result").first
    assert first.get_by_role("link").inner_text() == "日晖六村居民区"
    assert first.get_by_role("link").get_attribute("href") == "../committees/rihui-liucun/"
    assert results(page, "日晖六村")[0] == "committees/rihui-liucun/"


def test_a_road_finds_the_committees_on_it(page_at):
    on_the_road = {
        f"committees/{path.stem}/"
        for path in (ROOT / "content/data/committees").glob("*.yaml")
        if "零陵路" in yaml.safe_load(path.read_text("utf-8"))["address"]
    }
    assert len(on_the_road) >= 2
    page = searched(page_at, "零陵路")
    shown = page.locator(".search-result a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').replace('../', ''))"
    )
    assert on_the_road <= set(shown)
    assert shown[0] == "committees/linglinglu/"  # 零陵路居民区: the road in its name


@pytest.mark.parametrize("word", WORDS)
def test_a_word_finds_exactly_the_pages_that_contain_it(page_at, main_texts, word):
    expected = containing(main_texts, word)
    assert expected
    page = searched(page_at)
    found = results(page, word)
    assert len(found) == len(set(found))
    assert set(found) == expected


def test_every_result_shown_says_where_the_word_is(page_at, main_texts):
    count = len(containing(main_texts, "垃圾分类"))
    page = searched(page_at, "垃圾分类")
    items = page.locator(".search-result")
    assert items.count() == count
    for n in range(items.count()):
        item = items.nth(n)
        assert item.get_by_role("heading", level=2).is_visible()
        assert item.locator(".search-result__url").inner_text().endswith("/")
        assert "垃圾分类" in item.locator(".search-result__snippet mark").all_inner_texts()
    status = f"找到 {count} 个包含“垃圾分类”的页面。"
    assert page.locator("#search-status").inner_text() == status


def test_one_character_is_looked_up_alone(page_at, main_texts):
    page = searched(page_at)
    assert set(results(page, "梯")) == containing(main_texts, "梯")


@pytest.mark.parametrize("query", ["80弄", "0弄", "1号楼", "11号楼"])
def test_digits_are_whole_numbers(page_at, main_texts, query):
    # "0弄" is not in 零陵路80弄, nor "1号楼" in 11号楼
    whole = re.compile(rf"(?<![0-9a-z]){query}")
    page = searched(page_at)
    found = set(results(page, query))
    assert found == {url for url, text in main_texts.items() if whole.search(text.lower())}
    assert ("committees/rihui-liucun/" in found) is (query != "0弄")  # 零陵路80弄1号, 1号楼


def test_a_query_no_page_holds_whole_shows_pages_holding_part_of_it(page_at):
    page = searched(page_at, "零陵路居委会")
    status = page.locator("#search-status").inner_text()
    assert status.startswith("没有找到包含“零陵路居委会”的页面；以下")
    assert "部分字词" in status
    assert page.locator(".search-result").first.get_by_role("link").inner_text() == "零陵路居民区"


def test_nothing_found_is_said(page_at):
    page = searched(page_at, "火星基地")
    assert page.locator("#search-status").inner_text().startswith("没有找到包含“火星基地”的页面。")
    assert page.locator("#search-results").is_hidden()
    page.evaluate("q => window.siteSearch.show(q)", "？！")
    assert page.locator("#search-status").inner_text() == "请输入要找的文字或数字。"


def test_the_query_is_cut_as_the_build_cuts_it(page_at):
    page = searched(page_at)
    for query in [
        "居委会",
        "居",
        "零陵路 80弄",
        "１号楼",
        "ＡＢＣ abc",
        "日晖，六村",
        "𠮷野家",
        "二〇二〇年",
        "",
    ]:
        assert page.evaluate("q => window.siteSearch.queryTerms(q)", query) == query_terms(query)


@pytest.mark.parametrize("query", ["日晖六村", "零陵路", *WORDS, "居"])
def test_results_appear_in_under_100_ms(page_at, query):
    page = searched(page_at)
    elapsed = page.evaluate(
        """q => {
      const started = performance.now();
      const count = window.siteSearch.show(q);
      const elapsed = performance.now() - started;
      return count > 0 ? elapsed : -1;
    }""",
        query,
    )
    assert 0 <= elapsed < FAST_MS, elapsed


def test_more_results_on_request(page_at):
    page = searched(page_at, "居")
    total = len(results(page, "居"))
    assert total > 50
    assert page.locator(".search-result").count() == 50
    page.get_by_role("button", name=f"显示更多结果（还有 {total - 50} 个）").click()
    assert page.locator(".search-result").count() == total
    assert page.get_by_role("button", name="显示更多结果").is_hidden()
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == page.locator(".search-result a").nth(50).get_attribute("href")


def test_markup_in_a_query_stays_text(page_at):
    hostile = '<img src=x onerror="window.fired=1">零陵路'
    page = searched(page_at, hostile)
    assert page.evaluate("() => window.fired") is None
    assert page.locator("#search-results img").count() == 0
    assert hostile in page.locator("#search-status").inner_text()


# ---- the forms -----------------------------------------------------------------------


def test_the_header_box_leads_to_the_results(page_at, main_texts):
    page = page_at("committees/rihui-liucun/")
    box = page.get_by_role("search", name="全站搜索")
    box.get_by_role("searchbox", name="搜索本站").fill("零陵路")
    box.get_by_role("searchbox").press("Enter")
    page.wait_for_selector(".search-result")
    assert urlsplit(page.url).path == "/search/"
    assert (
        page.get_by_role("searchbox", name="输入居委会名称、道路、活动或事项").input_value()
        == "零陵路"
    )
    count = len(containing(main_texts, "零陵路"))
    assert page.locator("#search-status").inner_text() == f"找到 {count} 个包含“零陵路”的页面。"
    assert page.title() == "“零陵路”的搜索结果 - 搜索 - 日晖街道信息公开"


def test_searching_again_on_the_search_page_keeps_history(page_at, main_texts):
    page = searched(page_at, "零陵路")
    page.get_by_role("searchbox").fill("块长")
    page.get_by_role("button", name="搜索").click()
    count = len(containing(main_texts, "块长"))
    assert page.locator("#search-status").inner_text() == f"找到 {count} 个包含“块长”的页面。"
    assert page.url.endswith("?q=" + quote("块长"))
    page.go_back()
    page.wait_for_function(
        "() => document.getElementById('search-status').textContent.includes('零陵路')"
    )
    assert page.get_by_role("searchbox").input_value() == "零陵路"


def test_the_results_are_announced(page_at, main_texts):
    page = searched(page_at, "重阳")
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == f"找到 {len(containing(main_texts, '重阳'))} 个包含“重阳”的页面。"


def test_an_index_that_does_not_load_is_said(chromium, site_url):
    context = chromium.new_context()
    context.route("**/search/index.json", lambda route: route.abort())
    page = context.new_page()
    page.goto(site_url + "search/?q=" + quote("块长"))
    status = page.get_by_role("status")
    status.filter(has_text="载入失败").wait_for()
    assert status.inner_text().startswith("搜索索引载入失败")
    context.close()


def test_without_javascript_the_search_page_lists_every_page(page_at, main_texts):
    page = page_at("search/?q=" + quote("居委会"), javascript=False)
    # (playwright's text locators skip <noscript>; chromium shows it)
    assert (
        "您的浏览器没有启用 JavaScript，本页无法显示搜索结果。" in page.locator("main").inner_text()
    )
    sections = page.locator("section").filter(has=page.get_by_role("heading", name="按栏目查找"))
    for name, href in (
        ("居委会一览", "committees/"),
        ("文化活动", "events/"),
        ("工作计划", "plans/"),
    ):
        assert sections.get_by_role("link", name=name).get_attribute("href") == "../" + href
    listed = page.locator(".page-index a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').replace('../', ''))"
    )
    assert sorted(listed) == sorted(main_texts)


def test_without_javascript_the_header_box_still_leads_to_the_search_page(page_at):
    page = page_at("events/", javascript=False)
    page.get_by_role("searchbox", name="搜索本站").fill("重阳")
    page.get_by_role("searchbox", name="搜索本站").press("Enter")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/search/"
    assert page.get_by_role("heading", name="全部页面").is_visible()
    assert page.get_by_role("link", name="我们的节日·重阳敬老茶话会").is_visible()


# ---- for everyone --------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "零陵路", "零陵路居委会"])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_search_page_has_no_wcag_21_aa_violations(page_at, query, width):
    page = searched(page_at, query, width=width)
    assert axe_violations(page) == []
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def test_search_asks_nothing_of_any_other_site(page_at):
    page = searched(page_at, "零陵路")
    page.wait_for_load_state("networkidle")
    assert {urlsplit(url).hostname for url in page.requests} == {"127.0.0.1"}
    assert page.errors == []
