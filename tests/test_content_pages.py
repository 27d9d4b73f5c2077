"""Staff's content pages (content/pages): Markdown only, checked like records.

Every hostile page is a real build into tmp_path that fails with exact,
positioned Chinese lines and leaves output/ as it was; validate and plain
`pelican` say the same lines.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import disclosure
import pytest
from conftest import AS_OF, ROOT, build, plain_pelican, publish, tree_digest
from disclosure import content_pages, pipeline
from disclosure.cli import commands
from pelican.readers import MarkdownReader, Readers
from pelican.settings import read_settings

UNCONSENTED = "13642116136"  # 陆桂英 in rihui-liucun.yaml did not consent


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A finished build of the example site: what output/ holds before a failing build."""
    output = tmp_path_factory.mktemp("previous") / "output"
    build(ROOT / "content", output)
    return output


@pytest.fixture
def output(previous, tmp_path) -> Path:
    target = tmp_path / "output"
    shutil.copytree(previous, target)
    return target


def page(content: Path, name: str, text: str | bytes) -> Path:
    path = content / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def built(content: Path, output: Path) -> tuple[int, list[str]]:
    said = io.StringIO()
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF}
    status = commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=said)
    return status, said.getvalue().splitlines()


def validated(content: Path) -> tuple[int, list[str]]:
    said = io.StringIO()
    status = commands.validate_site(ROOT / "pelicanconf.py", {"PATH": str(content)}, out=said)
    return status, said.getvalue().splitlines()


def problem_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if re.search(r":\d+:\d+: [A-Z]\d{3} ", line)]


def refused(content: Path, output: Path, expected: list[str]) -> None:
    """The build fails with exactly `expected`, output/ untouched; validate agrees."""
    before = tree_digest(output)
    status, lines = built(content, output)
    assert (status, problem_lines(lines)) == (1, expected)
    assert lines[-1].endswith("网站没有更新（output/ 保持原样）。")
    assert tree_digest(output) == before
    status, lines = validated(content)
    assert (status, problem_lines(lines)) == (1, expected)


# ---- formats --------------------------------------------------------------------


def test_an_rst_page_including_a_record_is_refused_and_never_read(content, output):
    record = content / "data/committees/rihui-liucun.yaml"
    path = page(content, "contacts.rst", f"通讯录\n======\n\n.. include:: {record}\n")
    refused(
        content,
        output,
        [
            f'{path.as_posix()}:1:1: E601 页面只能用 Markdown 编写，文件名应以 .md 结尾，实际为 "contacts.rst"：'
            "请把内容改写为 Markdown，另存为 contacts.md（Windows 可能隐藏了扩展名）"
        ],
    )
    assert not any(UNCONSENTED in f.read_text("utf-8", "replace") for f in output.rglob("*.html"))


def test_pelican_has_no_reader_but_markdown(monkeypatch, content, tmp_path):
    # Even were the check to miss an .rst page, Pelican would not read it:
    # the include never runs and nothing of the record is published.
    disclosure.register()
    readers = Readers(read_settings(str(ROOT / "pelicanconf.py")))
    assert set(readers.readers) == {"md", "markdown"}
    record = content / "data/committees/rihui-liucun.yaml"
    page(content, "contacts.rst", f"Contacts\n========\n\n.. include:: {record}\n")
    page(content, "raw.rst", "Raw\n===\n\n.. raw:: html\n\n   <script>alert(1)</script>\n")
    monkeypatch.setattr(pipeline, "check_pages", lambda *a, **k: content_pages.PagesChecked())
    out = build(content, tmp_path / "out").output
    for file in out.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert UNCONSENTED.encode() not in re.sub(rb"[^0-9]", b"", data), file
            assert b"alert(1)" not in data, file


@pytest.mark.parametrize("name", ["notes.html", "notes.txt", "notes.markdown.bak", "NOTES.rst"])
def test_any_other_file_among_the_pages_is_an_error(content, output, name):
    path = page(content, name, "Title: 说明\n\n正文\n")
    stem = Path(name).stem
    refused(
        content,
        output,
        [
            f"{path.as_posix()}:1:1: E601 页面只能用 Markdown 编写，文件名应以 .md 结尾，"
            f'实际为 "{name}"：请把内容改写为 Markdown，另存为 {stem}.md（Windows 可能隐藏了扩展名）'
        ],
    )


def test_markdown_pages_cannot_include_files(content, tmp_path):
    # extra, toc and Pelican's meta: no extension that reads another file
    reader = MarkdownReader(read_settings(str(ROOT / "pelicanconf.py")))
    assert reader.settings["MARKDOWN"]["extensions"] == [
        "markdown.extensions.extra",
        "markdown.extensions.toc",
        "markdown.extensions.meta",
    ]
    record = content / "data/committees/rihui-liucun.yaml"
    page(
        content,
        "tricks.md",
        f'Title: 试试\nSlug: tricks\n\n{{!{record}!}}\n\n--8<-- "{record}"\n\n![x]({record})\n',
    )
    out = build(content, tmp_path / "out").output
    html = (out / "tricks/index.html").read_text("utf-8")
    assert "8&lt;--" in html or "8<--" in html
    assert UNCONSENTED not in html


# ---- reading --------------------------------------------------------------------


def test_a_gbk_page_is_an_error_at_its_first_bad_byte(content, output):
    path = page(content, "notice.md", "Title: 关于停水\nSlug: notice\n\n停水通知".encode("gbk"))
    refused(
        content,
        output,
        [
            f"{path.as_posix()}:1:8: E001 文件不是 UTF-8 编码（字节 0xB9），看起来是 GBK/GB18030 编码"
            "（Windows 中文版的默认编码）：请在编辑器中选择“另存为”，编码选 UTF-8 后保存"
        ],
    )


def test_an_empty_page_is_an_error(content, output):
    path = page(content, "blank.md", "\n  \n")
    refused(
        content,
        output,
        [
            f"{path.as_posix()}:1:1: E602 页面是空的：请写上标题和正文（第一行写 Title: 页面标题），"
            "或删除这个文件"
        ],
    )


def test_yaml_front_matter_is_explained(content, output):
    path = page(content, "notice.md", '---\ntitle: "通知"\nslug: notice\n---\n\n正文\n')
    refused(
        content,
        output,
        [
            f"{path.as_posix()}:1:1: E603 页面开头的信息不用 YAML 的“---”格式：请删除“---”那几行，"
            "第一行写 Title: 页面标题，第二行写 Slug: 网址名（英文冒号），然后空一行再写正文"
        ],
    )


def test_a_page_without_a_title_is_an_error(content, output):
    untitled = page(content, "untitled.md", "Slug: untitled\n\n正文\n")
    empty = page(content, "empty-title.md", "Title:\nSlug: empty-title\n\n正文\n")
    prose = page(content, "prose.md", "本站由日晖街道维护。\n")
    how = "第一行写 Title: 页面标题，第二行写 Slug: 网址名（英文冒号），然后空一行再写正文"
    refused(
        content,
        output,
        [
            f"{empty.as_posix()}:1:1: E604 Title 后面没有写标题：请写上页面标题",
            f"{prose.as_posix()}:1:1: E604 页面没有标题：{how}",
            f"{untitled.as_posix()}:1:1: E604 页面没有标题：{how}",
        ],
    )


def test_a_chinese_colon_is_pointed_at(content, output):
    title = page(content, "a.md", "Title：通知\n\n正文\n")
    slug = page(content, "b.md", "Title: 通知\nSlug：notice-b\n\n正文\n")
    refused(
        content,
        output,
        [
            f"{title.as_posix()}:1:6: E615 Title 后面用了中文冒号“：”：页面开头的信息要用英文冒号，"
            "写成 Title: …",
            f"{slug.as_posix()}:2:5: E615 Slug 后面用了中文冒号“：”：页面开头的信息要用英文冒号，"
            "写成 Slug: …",
        ],
    )


def test_invisible_characters_are_errors(content, output):
    path = page(content, "notice.md", "Title: 通知\u0007\nSlug: notice\n\n正文\n")
    refused(
        content,
        output,
        [
            f"{path.as_posix()}:1:10: E011 这里有一个看不见的控制字符（U+0007），请删除它"
            "（常见于从网页或文档复制来的文字）"
        ],
    )


# ---- metadata -------------------------------------------------------------------


def test_each_bad_metadata_line_is_an_error_at_its_line(content, output):
    path = page(
        content,
        "notice.md",
        "Title: 通知\nSlug: notice\nDate: 2026/11/26\nStatus: secret\nTemplate: nosuch\n"
        "Titel: 又一个\nTags: 停水\nSummary:\nSlug: again\n\n正文\n",
    )
    allowed = "Title、Slug、Date、Modified、Status、Summary、Template"
    p = path.as_posix()
    refused(
        content,
        output,
        [
            f'{p}:3:7: E610 Date 应写成 YYYY-MM-DD（例如 2026-11-26），也可以加上时间（2026-11-26 09:30），实际为 "2026/11/26"',
            f'{p}:4:9: E609 Status 只能是 published（公开，不写即为公开）、hidden（公开，但不列出）或 draft（草稿），实际为 "secret"',
            f'{p}:5:11: E608 主题里没有名为 "nosuch" 的页面模板：请删除 Template 这一行（页面会用默认的 page 模板）',
            f'{p}:6:1: E605 不认识的页面信息 "Titel"：是否想写 Title？页面开头只能写 {allowed}（如果这是正文，请在它前面空一行）',
            f'{p}:7:1: E605 不认识的页面信息 "Tags"：页面开头只能写 {allowed}（如果这是正文，请在它前面空一行）',
            f"{p}:8:1: E614 Summary 后面没有写内容：请填写，或删除这一行",
            f"{p}:9:1: E607 Slug 写了两次（第一次在第 2 行）：请只保留一行",
        ],
    )


@pytest.mark.parametrize("key", ["Save_as", "save_as", "URL", "Url"])
def test_a_page_cannot_choose_its_own_file(content, output, key):
    path = page(content, "home.md", f"Title: 首页\n{key}: index.html\n\n<h1>假首页</h1>\n")
    refused(
        content,
        output,
        [
            f"{path.as_posix()}:2:1: E606 页面不能写 {key}：网址由 Slug 决定，{key} 会让这个页面"
            "覆盖网站的其他页面（例如首页）；请删除这一行，需要时改写 Slug"
        ],
    )
    assert "假首页" not in (output / "index.html").read_text("utf-8")


def test_a_bad_slug_is_an_error(content, output):
    typed = page(content, "a.md", "Title: 通知\nSlug: Ting Shui/../x\n\n正文\n")
    derived = page(content, "b.md", "Title: ！！！\n\n正文\n")
    refused(
        content,
        output,
        [
            f"{typed.as_posix()}:2:7: E611 Slug 会成为网址，只能用小写字母、数字和连字符（例如 about），"
            '实际为 "Ting Shui/../x"',
            f'{derived.as_posix()}:1:8: E611 没有写 Slug，按标题生成的网址 "" 不能用作网址：'
            "请在 Title 下面加一行 Slug: 网址名（小写字母、数字和连字符，例如 about）",
        ],
    )


def test_a_template_of_the_theme_and_the_other_metadata_are_accepted(content, tmp_path):
    page(
        content,
        "notice.md",
        "Title: 停水通知\nSlug: notice\nDate: 2026-11-26 09:30\nModified: 2026-11-27\n"
        "Status: hidden\nTemplate: page\nSummary: 11月28日\n    全天停水\n\n正文\n",
    )
    out = build(content, tmp_path / "out").output
    assert "停水通知" in (out / "notice/index.html").read_text("utf-8")


# ---- where pages go ---------------------------------------------------------------


def test_two_pages_with_one_url_are_an_error_at_both(content, output):
    about = content / "pages/about.md"
    copy = page(content, "about-copy.md", "Title: 关于\nSlug: about\n\n正文\n")
    refused(
        content,
        output,
        [
            f'{copy.as_posix()}:2:7: E612 这个页面的网址 "about/" 与 {about.as_posix()} 相同：'
            "请给其中一个换一个 Slug",
            f'{about.as_posix()}:2:7: E612 这个页面的网址 "about/" 与 {copy.as_posix()} 相同：'
            "请给其中一个换一个 Slug",
        ],
    )


@pytest.mark.parametrize(
    ("slug", "owner"),
    [
        ("committees", 'COMMITTEES_URL = "committees/"'),
        ("disclosure", 'DISCLOSURE_URL = "disclosure/"'),
        ("events", 'EVENTS_URL = "events/"'),
        ("plans", 'PLANS_URL = "plans/"'),
        ("schemas", "数据格式文件夹 schemas/"),
        ("theme", "样式和脚本文件夹 theme/"),
    ],
)
def test_a_page_over_the_sites_own_pages_is_an_error(content, output, slug, owner):
    path = page(content, "x.md", f"Title: 冒充\nSlug: {slug}\n\n正文\n")
    refused(
        content,
        output,
        [
            f'{path.as_posix()}:2:7: E613 这个页面的网址 "{slug}/" 是网站自己生成的页面（{owner}）'
            "所用的，页面会覆盖它：请换一个 Slug"
        ],
    )


def test_the_reserved_places_follow_the_settings():
    settings = {
        **read_settings(str(ROOT / "pelicanconf.py")),
        "EVENT_URL": "huodong/{year}/{slug}/",
        "COMMITTEE_URL": "{slug}/",
    }
    taken = content_pages.reserved(settings)

    def owner(location: str) -> str | None:
        return next((r.what for r in taken if r.holds(location)), None)

    assert owner("index.html") == "首页"
    assert owner("") == "首页"
    assert owner("huodong/2020/chongyang/index.html") == 'EVENT_URL = "huodong/{year}/{slug}/"'
    assert owner("huodong/2020/chongyang.ics") == 'EVENT_URL = "huodong/{year}/{slug}/"'
    assert owner("huodong") == 'EVENT_URL = "huodong/{year}/{slug}/"'
    # committees at the top: any one-folder page might be a committee's
    assert owner("about/index.html") == 'COMMITTEE_URL = "{slug}/"'
    assert owner("about/more/index.html") is None
    assert owner("disclosure/report.json") == 'DISCLOSURE_URL = "disclosure/"'


# ---- every entry point ------------------------------------------------------------


def test_plain_pelican_and_publish_say_the_same_lines(content, tmp_path):
    gbk = page(content, "notice.md", "Title: 关于停水\nSlug: notice\n\n停水".encode("gbk"))
    home = page(content, "home.md", "Title: 首页\nSave_as: index.html\n\n假首页\n")
    rst = page(content, "x.rst", "X\n=\n\n.. include:: /etc/passwd\n")
    _, expected = validated(content)
    expected = problem_lines(expected)
    assert [line.split(": ")[1].split()[0] for line in expected] == ["E606", "E001", "E601"]
    assert [line.split(":")[0] for line in expected] == [
        home.as_posix(),
        gbk.as_posix(),
        rst.as_posix(),
    ]
    finished = plain_pelican(tmp_path / "plain", content=content)
    said = finished.stdout + finished.stderr
    assert finished.returncode == 1
    assert problem_lines(said.splitlines()) == expected
    assert "没有生成网站：记录有 3 个错误" in said.splitlines()
    assert "Traceback" not in said
    assert "root:x:" not in said
    assert not (tmp_path / "plain").exists()
    status, lines = publish(content, tmp_path / "published")
    assert (status, problem_lines(lines.splitlines())) == (1, expected)
    assert not (tmp_path / "published").exists()


def test_a_page_pelican_cannot_read_still_fails_the_build(monkeypatch, content, output):
    # The last line, should a page get past the checks: Pelican's reader
    # fails, logs in English and goes on; our build does not.
    path = page(content, "notice.md", "Title: 关于停水\nSlug: notice\n\n停水".encode("gbk"))
    monkeypatch.setattr(pipeline, "check_pages", lambda *a, **k: content_pages.PagesChecked())
    before = tree_digest(output)
    status, lines = built(content, output)
    assert (status, problem_lines(lines)) == (
        1,
        [
            f"{path.as_posix()}:1:1: E616 Pelican 无法读取这个页面（原因见上面的英文日志）："
            "请检查页面开头的 Title、Slug 等信息"
        ],
    )
    assert tree_digest(output) == before


def test_the_example_pages_pass():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    checked = content_pages.check_pages(ROOT / "content", settings, base=ROOT)
    assert checked.problems == []
    assert sorted((p.url, p.save_as) for p in checked.pages) == [
        ("about/", "about/index.html"),
        ("accessibility/", "accessibility/index.html"),
        ("guide/", "guide/index.html"),
        ("privacy/", "privacy/index.html"),
    ]


def test_a_page_cannot_borrow_a_record_template(content, output):
    path = page(content, "borrow.md", "Title: 借用\nTemplate: committee\n\n正文\n")
    refused(
        content,
        output,
        [
            f'{path.as_posix()}:2:11: E608 主题里没有名为 "committee" 的页面模板：请删除 Template 这一行'
            "（页面会用默认的 page 模板）"
        ],
    )


def test_a_draft_is_published_nowhere(content, tmp_path):
    page(content, "draft.md", "Title: 草稿\nStatus: draft\n\n还没写完的通知\n")
    output = tmp_path / "site"
    build(content, output)
    written = [p for p in output.rglob("*") if p.is_file()]
    assert not any("还没写完" in p.read_text("utf-8", errors="replace") for p in written)


def test_a_folder_link_back_up_is_named_not_walked(content, output):
    loop = content / "pages" / "loop"
    loop.symlink_to(".", target_is_directory=True)
    refused(
        content,
        output,
        [f"{loop.as_posix()}:1:1: E617 这个文件夹链接指回了它的上层文件夹（循环）：请删除这个链接"],
    )


def test_ctrl_c_under_plain_pelican_is_not_a_success(capsys):
    import logging

    from disclosure.plain_pelican import StaffProblems

    record = logging.LogRecord(
        "pelican", logging.WARNING, __file__, 1, "Keyboard interrupt received. Exiting.", (), None
    )
    with pytest.raises(SystemExit) as stopped:
        StaffProblems().filter(record)
    assert stopped.value.code == 130
    assert capsys.readouterr().out.startswith("已中断：output/ 里可能只写了一部分")
