"""What every public site has: the 404 page, robots.txt, sitemap.xml, the
favicon, and the footer's sponsor, contact and filing numbers."""

from __future__ import annotations

import functools
import importlib.util
import re
import struct
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import PUBLISHED_URL, ROOT, build, committee_file, publish, replace_in
from disclosure import content_pages, site_files
from disclosure.cli.serve import PreviewHandler
from disclosure.core.problems import Position
from disclosure.publishing.links import Link, SiteLinks
from disclosure.publishing.nginx import server_block
from disclosure.settings import SITE_FILES, settings_problems
from html_text import text, urls
from pelican.settings import read_settings

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
FILINGS = {
    "DISCLOSURE_SITE_CODE": "3101040001",
    "DISCLOSURE_ICP": "沪ICP备12345678号-1",
    "DISCLOSURE_PSB": "沪公网安备 31010402000001号",
}
# Addresses with no page, at every depth a visitor may mistype.
MISSING = ("nope.html", "committees/nope/", "events/2020/x/y/z/", "plans/2020-h2/tasks/x/y.html")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The example published as `publish --sample-data` does, gate and all."""
    output = tmp_path_factory.mktemp("published") / "output"
    status, said = publish(ROOT / "content", output)
    assert status == 0, said
    return output


def sitemap_entries(output: Path) -> dict[str, str | None]:
    root = ET.parse(output / "sitemap.xml").getroot()
    return {
        url.find("s:loc", SITEMAP_NS).text: getattr(url.find("s:lastmod", SITEMAP_NS), "text", None)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def page_url(output: Path, page: Path, site_url: str = PUBLISHED_URL) -> str:
    rel = page.relative_to(output).as_posix()
    return f"{site_url}/{rel.removesuffix('index.html')}"


# ---- the 404 page -----------------------------------------------------------------------


def _unresolved(output: Path, site_url: str, page: str) -> list[str]:
    """The links of the 404 page that do not resolve when it is served at each MISSING address."""
    checker = SiteLinks(output, site_url, "output")
    links = checker.page("404.html").links
    assert links, "the 404 page has links"
    wrong = []
    for where in MISSING:
        served_as = where + "index.html" if where.endswith("/") else where
        for link in links:
            if link.url.startswith("#"):
                continue  # the skip link: the page's own anchor
            if checker.resolve(served_as, Link(link.url, Position(page))) is not None:
                wrong.append(f"{where}: {link.url}")
    return wrong


def test_the_404_page_links_work_at_any_depth_in_a_preview(example_site):
    assert _unresolved(example_site, "", "404.html") == []
    hrefs = {value for _, _, value in urls(example_site / "404.html")}
    assert {"/", "/committees/", "/theme/css/site.css", "/favicon.ico"} <= hrefs


def test_the_404_page_links_work_at_any_depth_when_published(published):
    assert _unresolved(published, PUBLISHED_URL, "404.html") == []
    hrefs = {value for _, _, value in urls(published / "404.html")}
    assert {f"{PUBLISHED_URL}/", f"{PUBLISHED_URL}/committees/"} <= hrefs
    assert not any(h.startswith(".") for h in hrefs), hrefs


def test_the_404_page_is_a_chinese_page_of_the_site(example_site):
    html = (example_site / "404.html").read_text("utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN" data-mode="standard">')
    assert "<title>找不到这个页面 - 日晖街道信息公开</title>" in html
    shown = text(example_site / "404.html")
    assert "找不到这个页面" in shown and "回到首页" in shown and "按地址找我的居委会和块长" in shown
    assert "主办单位：日晖街道办事处" in shown  # the footer, as on every page


@contextmanager
def preview(folder: Path):
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(PreviewHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def test_the_preview_serves_the_404_page_and_the_favicon(example_site):
    with preview(example_site) as base:
        for where in MISSING:
            assert _get(base + where) == (404, (example_site / "404.html").read_bytes()), where
        assert _get(base + "favicon.ico") == (200, (example_site / "favicon.ico").read_bytes())


@pytest.mark.parametrize(
    ("prefix", "line"),
    [
        ("/jiedao/rihui/", "error_page 404 /jiedao/rihui/404.html;"),
        ("/", "error_page 404 /404.html;"),
    ],
)
def test_nginx_serves_the_404_page(prefix, line):
    assert f"        {line}\n" in server_block(root="/srv/rihui/current", prefix=prefix)


# ---- robots.txt and sitemap.xml -------------------------------------------------------------


def test_robots_allows_everything_and_names_no_sitemap_without_an_address(example_site):
    assert (example_site / "robots.txt").read_text("utf-8") == "User-agent: *\nDisallow:\n"
    assert not (example_site / "sitemap.xml").exists()


def test_robots_names_the_sitemap_by_its_absolute_address(published):
    assert (published / "robots.txt").read_text("utf-8") == (
        f"User-agent: *\nDisallow:\n\nSitemap: {PUBLISHED_URL}/sitemap.xml\n"
    )


def test_the_sitemap_lists_every_page_and_nothing_else(published):
    entries = sitemap_entries(published)
    pages = {
        page_url(published, page)
        for page in published.rglob("*.html")
        # not the pages that ask not to be indexed, nor the 长辈版 twins, which
        # name their standard page as the canonical one
        if not re.search(
            r'name="robots" content="noindex"|rel="canonical"', page.read_text("utf-8")
        )
    }
    assert f"{PUBLISHED_URL}/search/" not in pages
    assert set(entries) == pages
    assert len(pages) > 100
    for url in (f"{PUBLISHED_URL}/", f"{PUBLISHED_URL}/accessibility/"):
        assert url in entries


def test_sitemap_dates_are_the_records_own(published):
    entries = sitemap_entries(published)
    at = f"{PUBLISHED_URL}/"
    # a committee: its verified date; with events held there, the newest of those too
    assert entries[at + "committees/rihui-liucun/"] == "2026-11-22"
    assert entries[at + "committees/zhonghecun/"] == "2026-10-12"
    assert entries[at + "committees/rihui-sancun/"] == "2026-11-16"
    # an event: updated, else announced
    assert entries[at + "events/2020/shudian-zhi-ye/"] == "2020-09-10"  # announced 2020-08-30
    # a plan task: its latest progress update; the plan: the newest of its tasks
    assert entries[at + "plans/2020-h2/"] == "2020-12-31"
    # a content page without Date or Modified has none
    assert entries[at + "privacy/"] is None
    # a list: the newest of what it lists (the committee list: their verified dates)
    assert entries[at + "committees/"] == "2026-11-24"
    assert entries[at + "committees/jiangnan-xincun/"] == "2026-11-25"  # an event held there
    assert entries[at] == max(filter(None, entries.values()))
    for day in filter(None, entries.values()):
        assert len(day) == 10 and day[4] == day[7] == "-"


def test_a_rebuild_on_another_day_writes_the_same_sitemap(content, tmp_path):
    first = build(content, tmp_path / "a", "publishconf.py").output
    # weeks later (some committees overdue by then: shown, not refused, for this test)
    later = build(
        content,
        tmp_path / "b",
        "publishconf.py",
        DISCLOSURE_AS_OF="2026-12-20",
        DISCLOSURE_STRICT=False,
    ).output
    assert (first / "index.html").read_bytes() != (later / "index.html").read_bytes()
    assert (first / "sitemap.xml").read_bytes() == (later / "sitemap.xml").read_bytes()
    assert (first / "robots.txt").read_bytes() == (later / "robots.txt").read_bytes()


def test_a_new_verified_date_changes_only_that_committee_and_the_lists(content, tmp_path):
    before = sitemap_entries(build(content, tmp_path / "a", "publishconf.py").output)
    replace_in(
        committee_file(content, "zhonghecun"),
        "service_hours: 2026-11-14\n  block_leaders: 2026-10-12\n  emergency: 2026-11-14",
        "service_hours: 2026-11-26\n  block_leaders: 2026-11-26\n  emergency: 2026-11-26",
    )
    after = sitemap_entries(build(content, tmp_path / "b", "publishconf.py").output)
    changed = {url.removeprefix(PUBLISHED_URL) for url in before if before[url] != after[url]}
    assert changed == {
        "/committees/zhonghecun/",
        "/committees/",
        "/addresses/",
        "/data/",
        "/disclosure/",
        "/disclosure/complete/",  # where it is listed, in order
        "/",
    }
    assert after[f"{PUBLISHED_URL}/committees/zhonghecun/"] == "2026-11-26"


def test_a_content_page_dated_in_its_metadata_is_dated_in_the_sitemap(content, tmp_path):
    page = content / "pages" / "accessibility.md"
    page.write_text(
        page.read_text("utf-8").replace(
            "Slug: accessibility\n", "Slug: accessibility\nModified: 2026-11-03 10:00\n"
        ),
        "utf-8",
    )
    out = build(content, tmp_path / "output", "publishconf.py").output
    assert sitemap_entries(out)[f"{PUBLISHED_URL}/accessibility/"] == "2026-11-03"


def test_the_sitemap_escapes_its_addresses(content, tmp_path):
    out = build(
        content, tmp_path / "output", "publishconf.py", SITEURL="https://例子.gov.cn/jiedao/日晖"
    ).output
    xml = (out / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://xn--fsqu00a.gov.cn/jiedao/%E6%97%A5%E6%99%96/</loc>" in xml


# ---- the files at the root are the site's own --------------------------------------------------


def test_the_root_files_are_the_ones_content_pages_may_not_take():
    assert set(SITE_FILES) == {
        site_files.NOT_FOUND,
        site_files.ROBOTS,
        site_files.SITEMAP,
        *site_files.FAVICONS,
    }


@pytest.mark.parametrize("slug", ["404", "sitemap"])
def test_a_content_page_cannot_take_a_root_file(content, slug):
    suffix = ".html" if slug == "404" else ".xml"
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PAGE_URL": "{slug}" + suffix, "PAGE_SAVE_AS": "{slug}" + suffix},
    )
    (content / "pages" / "mine.md").write_text(f"Title: 我的页面\nSlug: {slug}\n\n正文\n", "utf-8")
    checked = content_pages.check_pages(content, settings, base=content.parent)
    assert [(p.code, p.position.path) for p in checked.problems] == [
        ("E613", "content/pages/mine.md")
    ]


# ---- the favicon ---------------------------------------------------------------------------------


def _draw():
    spec = importlib.util.spec_from_file_location("draw", ROOT / "theme/favicon/draw.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_favicon_is_at_the_root_and_every_page_names_it(example_site):
    icon = (example_site / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = []
    for number in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", icon[6 + 16 * number : 22 + 16 * number]
        )
        assert icon[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(icon)
        sizes.append((width, height))
    assert sizes == [(16, 16), (32, 32), (48, 48)]
    svg = ET.parse(example_site / "favicon.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for page in (example_site / "index.html", example_site / "committees/rihui-liucun/index.html"):
        links = {(tag, value) for tag, _, value in urls(page)}
        depth = "./" if page.parent == example_site else "../../"
        assert ("link", depth + "favicon.ico") in links
        assert ("link", depth + "favicon.svg") in links


def test_the_committed_icons_are_what_the_script_draws():
    draw = _draw()
    assert (ROOT / "theme/favicon/favicon.svg").read_text("utf-8") == draw.svg()
    assert (ROOT / "theme/favicon/favicon.ico").read_bytes() == draw.ico()


# ---- the footer ----------------------------------------------------------------------------------


def test_the_footer_names_the_sponsor_and_contact_and_no_filing_by_default(example_site):
    for page in (example_site / "index.html", example_site / "privacy/index.html"):
        shown = text(page)
        assert "主办单位：日晖街道办事处" in shown
        assert "地址：上海市徐汇区日晖路100号" in shown
        assert "电话：021-6417 0000" in shown
        for label in ("网站标识码", "ICP备", "公网安备"):
            assert label not in shown
    links = {value for _, _, value in urls(example_site / "index.html")}
    assert {"./accessibility/", "./privacy/"} <= links


def test_the_footer_shows_the_filing_numbers_the_office_has(content, tmp_path):
    out = build(content, tmp_path / "output", **FILINGS).output
    footer = (out / "index.html").read_text("utf-8").split('<footer class="site-footer">')[1]
    assert "<li>网站标识码：3101040001</li>" in footer
    assert (
        '<li>ICP备案号：<a href="https://beian.miit.gov.cn/">沪ICP备12345678号-1</a></li>' in footer
    )
    assert (
        '<li>公安备案号：<a href="https://www.beian.gov.cn/portal/registerSystemInfo?'
        'recordcode=31010402000001">沪公网安备 31010402000001号</a></li>'
    ) in footer
    only_icp = build(
        content, tmp_path / "only-icp", DISCLOSURE_ICP=FILINGS["DISCLOSURE_ICP"]
    ).output
    shown = text(only_icp / "index.html")
    assert "沪ICP备12345678号-1" in shown
    assert "网站标识码" not in shown and "公安备案号" not in shown


def test_filing_numbers_of_the_wrong_type_or_shape_are_named():
    assert settings_problems(FILINGS) == []
    assert settings_problems(
        {"DISCLOSURE_SITE_CODE": 3101040001, "DISCLOSURE_ICP": " ", "DISCLOSURE_PSB": "沪公网安备"}
    ) == [
        "S012 设置 DISCLOSURE_SITE_CODE 应为 文字（加引号），实际为 3101040001",
        'S014 ICP备案号 DISCLOSURE_ICP 应照工信部备案信息原样填写，例如 "沪ICP备12345678号-1"，'
        "实际是空的；没有的请写 None（网站底部就不显示这一项）",
        'S014 公安备案号 DISCLOSURE_PSB 应照公安备案信息原样填写，例如 "沪公网安备31010402000001号"，'
        '实际为 "沪公网安备"；没有的请写 None（网站底部就不显示这一项）',
    ]
    assert settings_problems({"DISCLOSURE_SITE_CODE": "310104"}) == [
        "S014 网站标识码 DISCLOSURE_SITE_CODE 应为 10 位字母或数字，照分配的原样填写，"
        '例如 "3101040001"，'
        '实际为 "310104"；没有的请写 None（网站底部就不显示这一项）'
    ]
