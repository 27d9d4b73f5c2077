"""Site search, the build's side: how text is cut into terms, what is read from
each written page, the index's layout, and that the index publishes nothing a
page does not (masked numbers stay masked, and the leak scan reads it)."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from conftest import ROOT, build
from disclosure.cli import commands
from disclosure.core import memo
from disclosure.core.json_text import compact_json
from disclosure.core.problems import Position
from disclosure.output_scan import scan
from disclosure.personal_numbers import NumberUse
from disclosure.search import index as index_module
from disclosure.search.generator import directory, index_location
from disclosure.search.index import (
    build_index,
    letters,
    numbers_of,
    page_text,
    pages_entry,
    pages_of,
    steps,
)
from disclosure.search.pages import SearchPage, read_page, url_of, written_pages
from disclosure.search.terms import index_terms, query_terms, tokens
from disclosure.settings import settings_problems
from disclosure.site import load_site_data
from disclosure.values.phones import digit_runs, parse_phone
from hypothesis import given, settings
from hypothesis import strategies as st

# ---- terms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("居委会", ["居委", "委会"]),
        ("居", ["居"]),
        ("块长", ["块长"]),
        ("垃圾分类", ["垃圾", "圾分", "分类"]),
        ("零陵路80弄", ["零陵", "陵路", "80", "弄"]),
        ("零陵路 80弄", ["零陵", "陵路", "80", "弄"]),
        ("１号楼", ["1", "号楼"]),  # full-width digits are digits
        ("ＡＢＣ abc", ["abc"]),  # full-width and upper case letters fold
        ("日晖，六村", ["日晖", "六村"]),  # punctuation separates
        ("021-6418 1185", ["021", "6418", "1185"]),
        ("𠮷野家", ["𠮷野", "野家"]),  # a character outside the BMP is one character
        ("二〇二〇年", ["二〇", "〇二", "〇年"]),
        ("哈哈哈", ["哈哈"]),
        ("「」！？", []),
        ("", []),
    ],
)
def test_a_query_is_cut_into_pairs_words_and_single_characters(query, terms):
    assert query_terms(query) == terms


def test_han_runs_and_words_are_tokens_in_order():
    assert [(t.text, t.han) for t in tokens("A座3楼 居委会")] == [
        ("a", False),
        ("座", True),
        ("3", False),
        ("楼", True),
        ("居委会", True),
    ]


def test_a_page_is_found_by_every_character_pair_and_word():
    assert index_terms("居委会，80弄 Atom") == {
        "居",
        "委",
        "会",
        "居委",
        "委会",
        "80",
        "弄",
        "atom",
    }


def test_no_pair_spans_punctuation_or_a_line():
    terms = index_terms("日晖\n六村，居委")
    assert "晖六" not in terms and "村居" not in terms


def _inside_a_word(text: str, at: int) -> bool:
    return (
        0 < at < len(text) and text[at - 1 : at + 1].isascii() and text[at - 1 : at + 1].isalnum()
    )


@given(st.text(alphabet="日晖六村居委会零陵路号楼ab12 ，\n", max_size=30))
def test_a_page_holding_a_query_has_every_term_the_query_looks_for(text):
    # words are whole words: "1" is not looked for inside "11"
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            if not (_inside_a_word(text, start) or _inside_a_word(text, end)):
                assert set(query_terms(text[start:end])) <= index_terms(text)


# ---- what is read from a page ---------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><title>日晖六村居民区 - 日晖街道信息公开</title>
<script>var header = "脚本";</script></head><body>
<header><nav>首页 居委会</nav></header>
<main id="main"><h1>日晖六村<span>居民区</span></h1>
<dl><dt>地址</dt><dd>上海市徐汇区零陵路80弄1号</dd>
<dt>电话</dt><dd><span class="phone phone--masked">136****6136</span></dd></dl>
<p>服务时间内，
   任何一位社工&amp;志愿者都可以为您办理事项。</p>
<script>var inMain = "不读";</script><style>.x{}</style>
<svg role="img" aria-label="进度图"><title>图里的字</title><text>50%</text></svg>
<p hidden>隐藏的<b>文字</b></p><noscript>没有脚本</noscript>
<ul><li>第一片</li><li>第二<br>片</li></ul>
</main><footer>页脚 021-6418 1185</footer></body></html>"""


def test_the_main_text_is_read_line_by_line():
    page = read_page(PAGE, "committees/rihui-liucun/", "日晖街道信息公开")
    assert page == SearchPage(
        url="committees/rihui-liucun/",
        title="日晖六村居民区",
        lines=(
            "日晖六村居民区",
            "地址",
            "上海市徐汇区零陵路80弄1号",
            "电话",
            "136****6136",
            "服务时间内， 任何一位社工&志愿者都可以为您办理事项。",
            "第一片",
            "第二",
            "片",
        ),
    )


@pytest.mark.parametrize(
    ("main", "lines"),
    [
        # an unread element inside one of its own kind: all of it is unread
        ("<p>前<span hidden>一<span>二</span>三</span>后</p>", ("前后",)),
        ('<div class="visually-hidden"><div>读屏</div>也不读</div><p>读</p>', ("读",)),
        # void elements, written either way, end nothing but their line
        ("<p>一<br>二<br/>三<img alt='图'>四<wbr>五</p>", ("一", "二", "三四五")),
        # comments and character references are not text / are their characters
        ("<p>甲<!-- 注释 -->乙&lt;丙&#x4E01;&nbsp;戊</p>", ("甲乙<丙丁 戊",)),
        # a block inside a paragraph, and an end tag with no start
        ("<p>段<div>块</div>尾</p></span>", ("段", "块", "尾")),
        ("<p>未闭合<p>第二段", ("未闭合", "第二段")),
    ],
)
def test_the_reader_reads_what_a_browser_shows(main, lines):
    assert read_page(f"<main>{main}</main>", "x/").lines == lines


def test_a_page_without_h1_is_named_by_its_title_without_the_site_name():
    html = "<title>关于本站 - 日晖街道信息公开</title><main><p>正文</p></main>"
    assert read_page(html, "about/", "日晖街道信息公开").title == "关于本站"
    assert read_page("<main><p>正文</p></main>", "about/").title == "about/"


def test_a_page_that_asks_not_to_be_indexed_or_has_no_main_is_left_out():
    noindex = '<head><meta name="robots" content="NOINDEX, follow"></head><main>搜索</main>'
    assert read_page(noindex, "search/") is None
    assert read_page("<body><p>没有正文区域</p></body>", "x/") is None


def test_urls_are_from_the_site_root(tmp_path):
    assert url_of("index.html") == ""
    assert url_of("committees/rihui-liucun/index.html") == ("committees/rihui-liucun/")
    assert url_of("juweihui/rihui-liucun.html") == "juweihui/rihui-liucun.html"


def test_written_pages_in_url_order_without_the_skipped(tmp_path):
    for place, title in (("index.html", "首页"), ("b/index.html", "乙"), ("a/x.html", "甲")):
        (tmp_path / place).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / place).write_text(f"<main><h1>{title}</h1></main>", encoding="utf-8")
    (tmp_path / "theme.css").write_text("main{}", encoding="utf-8")
    assert [p.url for p in written_pages(tmp_path)] == ["", "a/x.html", "b/"]
    assert [p.url for p in written_pages(tmp_path, skip={"b/"})] == ["", "a/x.html"]


def test_a_page_read_before_is_read_again_only_when_its_bytes_or_place_changed(
    tmp_path, monkeypatch
):
    from disclosure.core.kept import Kept
    from disclosure.search import pages

    monkeypatch.setattr(pages, "_READ", Kept(pages._READ.most))
    read = []
    real = pages.read_page
    monkeypatch.setattr(
        pages, "read_page", lambda html, url, *rest: read.append(url) or real(html, url, *rest)
    )
    for place in ("a/index.html", "b/index.html"):
        (tmp_path / place).parent.mkdir(parents=True)
        (tmp_path / place).write_text(f"<main><h1>{place}</h1></main>", encoding="utf-8")
    first = written_pages(tmp_path, site_name="站")
    assert read == ["a/", "b/"]
    read.clear()
    assert written_pages(tmp_path, site_name="站") == first and read == []
    (tmp_path / "b/index.html").write_text("<main><h1>乙</h1></main>", encoding="utf-8")
    assert [p.title for p in written_pages(tmp_path, site_name="站")] == ["a/index.html", "乙"]
    assert read == ["b/"]
    read.clear()
    shutil.copytree(tmp_path / "a", tmp_path / "c")  # the same bytes at another address
    assert [p.url for p in written_pages(tmp_path, site_name="站")] == ["a/", "b/", "c/"]
    assert read == ["c/"]


# ---- the index --------------------------------------------------------------------


def test_numbers_are_letters():
    assert letters([0, 25, 26, 27, 701, 702]) == "azAaAbZzAAa"
    assert numbers_of("azAaAbZzAAa") == [0, 25, 26, 27, 701, 702]
    assert letters(steps([2, 3, 4, 10])) == "gfm"


@given(st.sets(st.integers(min_value=0, max_value=20000), min_size=1, max_size=200))
def test_a_terms_pages_read_back(pages):
    ordered = sorted(pages)
    assert pages_of(letters(steps(ordered))) == ordered


@given(st.sets(st.integers(min_value=0, max_value=3000), min_size=1, max_size=300))
def test_a_terms_pages_from_their_bits_are_its_steps(pages):
    """build_index writes each term's pages from the bits of an int: the
    same letters as the steps of the pages in order."""
    bits = sum(1 << page for page in pages)
    assert pages_entry(bits) == letters(steps(sorted(pages)))


def sample_pages() -> list[SearchPage]:
    return [
        SearchPage("", "日晖街道办事处", ("日晖街道办事处", "零陵路居民区", "服务时间")),
        SearchPage("committees/linglinglu/", "零陵路居民区", ("零陵路居民区", "服务时间")),
        SearchPage("events/1/", "重阳敬老", ("重阳敬老", "垃圾 分类", "136****6136")),
    ]


def test_a_new_process_reads_only_the_pages_whose_bytes_changed(tmp_path, monkeypatch):
    """What each page read as is kept on disk (CACHE_PATH) for the next build."""
    from disclosure.core.kept import Kept, kept_file
    from disclosure.search import pages

    kept = kept_file(tmp_path / "cache", pages.KEPT_AS)
    read = []
    real = pages.read_page
    monkeypatch.setattr(
        pages, "read_page", lambda html, url, *rest: read.append(url) or real(html, url, *rest)
    )

    def new_process_pages() -> list[SearchPage]:
        monkeypatch.setattr(pages, "_READ", Kept(pages._READ.most))
        read.clear()
        return written_pages(site, site_name="站", kept=kept)

    site = tmp_path / "output"
    for place, text in (("a/index.html", "<main><h1>甲</h1><p>一</p></main>"), ("b.html", "")):
        (site / place).parent.mkdir(parents=True, exist_ok=True)
        (site / place).write_text(text, encoding="utf-8")
    first = new_process_pages()
    assert read == ["a/", "b.html"] and [p.url for p in first] == ["a/"]
    assert new_process_pages() == first and read == []  # b.html has no <main>: kept as such
    (site / "a/index.html").write_text("<main><h1>乙</h1></main>", encoding="utf-8")
    assert [p.title for p in new_process_pages()] == ["乙"] and read == ["a/"]


def test_the_index_holds_each_page_its_lines_once_and_every_term():
    pages = sample_pages()
    index = build_index(pages)
    assert [p[:2] for p in index["pages"]] == [[p.title, p.url] for p in pages]
    assert index["lines"].count("服务时间") == 1
    for number, page in enumerate(pages):
        assert page_text(index, number) == page.text
    found = {term: pages_of(entry) for term, entry in index["terms"].items()}
    assert found["零陵"] == [0, 1]
    assert found["垃圾"] == [2] and "圾分" not in found
    assert found["6136"] == [2] and found["136"] == [2]
    assert set(found) == set().union(*(index_terms(p.text) for p in pages))


# few lines, so that most saves move lines among pages that already have them
_LINES = ["服务时间 8:30", "零陵路", "日晖六村", "垃圾分类 电话 6136"]
_URLS = ["a/", "b/", "c/", "d/", "e/"]
_PAGE = st.tuples(st.sampled_from(["甲", "乙"]), st.lists(st.sampled_from(_LINES), max_size=4))
# a save: the page at a URL made anew (added, or edited), or removed (None)
_SAVE = st.tuples(st.sampled_from(_URLS), st.none() | _PAGE)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(_URLS), _PAGE), st.lists(_SAVE, min_size=1, max_size=8))
def test_an_index_built_from_the_last_is_the_index_built_afresh(site, saves):
    """`serve` builds the next index from the last one: after any series of
    saves (pages edited, added, removed, lines moved from page to page) it is
    the index built from nothing, byte for byte."""
    index_module._BUILT.clear()
    pages = {url: SearchPage(url, title, tuple(lines)) for url, (title, lines) in site.items()}
    with memo.for_a_next_build(True):
        build_index([pages[url] for url in sorted(pages)])
        for url, page in saves:
            if page is None:
                pages.pop(url, None)
            else:  # a page read anew is a new object, the others the same (search.pages)
                pages[url] = SearchPage(url, page[0], tuple(page[1]))
            now = [pages[url] for url in sorted(pages)]
            afresh = compact_json(index_module._Built(now).index())
            assert compact_json(build_index(now)) == afresh
    index_module._BUILT.clear()


def test_the_index_writes_no_digit_but_the_pages_own():
    # page numbers and line numbers between commas would read as a phone
    # number to the leak scan; they are letters, so only the text has digits
    many = [SearchPage(f"p{n}/", f"页{n}", (f"第{n}页", "同一行")) for n in range(3000)]
    index = build_index(many)
    numbers = [list(index["terms"].values()), [p[2] for p in index["pages"]]]
    assert not any(ch.isdigit() for ch in json.dumps(numbers))
    runs = {run.digits for run in digit_runs(compact_json(index).decode())}
    assert runs == set()  # no run of 7 digits or more anywhere


def test_the_search_page_lists_every_page_by_folder():
    pages = [
        SearchPage("", "首页", ()),
        SearchPage("about/", "关于本站", ()),
        SearchPage("committees/", "居委会一览", ()),
        SearchPage("committees/a/", "甲居民区", ()),
        SearchPage("events/2020/x/", "活动", ()),
        SearchPage("events/2020/y/", "活动二", ()),
    ]
    sections = [(s.title, s.url, [p.url for p in s.pages]) for s in directory(pages)]
    assert sections == [
        ("居委会一览", "committees/", ["committees/", "committees/a/"]),
        ("events", None, ["events/2020/x/", "events/2020/y/"]),
        ("其他页面", None, ["", "about/"]),
    ]


def test_the_index_sits_beside_the_search_page():
    assert index_location("search/", "search/index.html") == (
        "search/index.json",
        "search/index.json",
    )
    assert index_location("sousuo.html", "sousuo.html") == ("sousuo.json", "sousuo.json")


# ---- the built site ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built_index(example_site) -> dict:
    return json.loads((example_site / "search/index.json").read_text("utf-8"))


def test_every_page_but_the_search_page_is_indexed(example_site, built_index):
    indexed = {page[1] for page in built_index["pages"]}
    written = {url_of(p.relative_to(example_site).as_posix()) for p in example_site.rglob("*.html")}
    # the search page and the 404 page ask not to be indexed; the 长辈版 twins
    # are the same text, found through the standard page
    elder = {url for url in written if url.startswith("elder/")}
    assert len(elder) == len(written) - len(elder) - 1
    assert indexed == written - elder - {"search/", "404.html"}
    search_page = (example_site / "search/index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in search_page
    assert f"全部页面（{len(indexed)} 个）" in search_page


def test_masked_numbers_stay_masked_in_the_index(example_site, built_index):
    unpublished = load_site_data(ROOT / "content").unpublished_numbers
    assert "13642116136" in unpublished  # 陆桂英 of 日晖六村 did not consent
    text = (example_site / "search/index.json").read_text("utf-8")
    assert "136 **** 6136" in built_index["lines"]
    for run in digit_runs(text):
        for digits in unpublished:
            assert digits not in run.digits
    assert scan(example_site, unpublished) == []


def test_the_leak_scan_reads_the_index(tmp_path):
    # were a page ever to carry a number whole, the index would too, and the
    # scan that stops the build reads .json like every other file
    phone = parse_phone("13642116136")
    use = NumberUse(phone, False, Position("content/data/committees/rihui-liucun.yaml", 40, 12))
    index = build_index([SearchPage("x/", "页", ("陆桂英 136 4211 6136",))])
    (tmp_path / "search").mkdir()
    (tmp_path / "search/index.json").write_bytes(compact_json(index))
    problems = scan(tmp_path, {phone.identifying: use})
    shown = f"{tmp_path.name}/search/index.json"
    assert [(p.position.path, p.code) for p in problems] == [(shown, "E790")]


def test_a_hidden_content_page_is_published_but_not_searched(content, tmp_path):
    (content / "pages/notice.md").write_text(
        "Title: 内部通知\nSlug: notice\nStatus: hidden\n\n只给知道网址的人看。\n", encoding="utf-8"
    )
    out = build(content, tmp_path / "output").output
    assert (out / "notice/index.html").is_file()
    index = (out / "search/index.json").read_text("utf-8")
    assert "内部通知" not in index and "内部通知" not in (out / "search/index.html").read_text()


def test_the_search_page_follows_its_setting(tmp_path):
    out = build(ROOT / "content", tmp_path / "output", SEARCH_URL="sousuo/").output
    assert (out / "sousuo/index.html").is_file() and (out / "sousuo/index.json").is_file()
    assert not (out / "search").exists()
    assert 'action="../../sousuo/"' in (out / "committees/rihui-liucun/index.html").read_text()
    assert 'data-search-index="../sousuo/index.json"' in (out / "sousuo/index.html").read_text()


def test_a_misspelt_search_setting_is_named():
    assert settings_problems({"SEARCH_URLS": "s/"}) == [
        "S011 不认识的设置 SEARCH_URLS：是否想写 SEARCH_URL？"
    ]


def test_a_content_page_cannot_take_the_search_page(content):
    path = content / "pages/search.md"
    path.write_text("Title: 搜索\nSlug: search\n\n正文\n", encoding="utf-8")
    said = io.StringIO()
    status = commands.validate_site(ROOT / "pelicanconf.py", {"PATH": str(content)}, out=said)
    assert status == 1
    assert (
        f'{path.as_posix()}:2:7: E613 这个页面的网址 "search/" 是网站自己生成的页面'
        '（SEARCH_URL = "search/"）所用的，页面会覆盖它：请换一个 Slug'
    ) in said.getvalue()


def test_the_index_of_the_example_is_small(built_index, example_site):
    size = (example_site / "search/index.json").stat().st_size
    assert size < 300_000, size
    assert len(built_index["pages"]) > 100
