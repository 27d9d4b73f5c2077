"""The gate: a finished build is checked before anything leaves the machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, PUBLISHED_URL, ROOT, line_of, publish, tree_digest
from disclosure.publishing import checked_build, gate, html_check

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>页</title></head>
<body>
<main id="main">
{body}
</main>
</body>
</html>
"""


def site(tmp_path: Path, pages: dict[str, str]) -> Path:
    folder = tmp_path / "site"
    for name, body in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(body=body) if name.endswith(".html") else body, "utf-8")
    return folder


def problems(folder: Path, site_url: str = "https://x.gov.cn/jiedao/rihui") -> list[str]:
    return [str(p) for p in gate.check_site(folder, site_url, "output")]


def test_links_resolve_to_files_under_the_sub_path(tmp_path):
    folder = site(
        tmp_path,
        {
            "index.html": (
                '<a href="https://x.gov.cn/jiedao/rihui/committees/a/">a</a>\n'
                '<a href="committees/a/#top">top</a>\n'
                '<a href="committees/b/">missing</a>\n'
                '<a href="/committees/a/">root</a>\n'
                '<a href="committees/a">no slash</a>\n'
                '<a href="committees/a/#nowhere">anchor</a>\n'
                '<a href="https://www.gov.cn/">other site</a>\n'
                '<a href="tel:02164170000">phone</a>\n'
                '<img src="theme/logo.png" alt="">\n'
                '<a href="webcal://x.gov.cn/jiedao/rihui/events/all.ics">cal</a>'
            ),
            "committees/a/index.html": '<h1 id="top">A</h1>',
            "events/all.ics": "BEGIN:VCALENDAR\r\nURL:https://x.gov.cn/jiedao/rihui/gone/\r\nEND:VCALENDAR\r\n",
        },
    )
    assert problems(folder) == [
        'output/events/all.ics:2:1: G001 链接 "https://x.gov.cn/jiedao/rihui/gone/" 的目标 gone/index.html 不存在',
        'output/index.html:8:1: G001 链接 "committees/b/" 的目标 committees/b/index.html 不存在',
        'output/index.html:9:1: G002 链接 "/committees/a/" 指向网站地址 https://x.gov.cn/jiedao/rihui/ 之外，网站放在子路径下时会打不开：模板中的链接请以 SITEURL 开头',
        'output/index.html:10:1: G003 链接 "committees/a" 指向文件夹，结尾少了 /：静态托管不会自动补上',
        'output/index.html:11:1: G004 链接 "committees/a/#nowhere" 指向的页面上没有 id 为 "nowhere" 的位置',
        'output/index.html:14:1: G001 链接 "theme/logo.png" 的目标 theme/logo.png 不存在',
    ]


def test_invalid_html_is_reported_with_its_place(tmp_path):
    folder = site(
        tmp_path,
        {"index.html": '<p id="a">一</p>\n<p id="a">二</p>\n<ul><p>三</p></ul>'},
    )
    found = problems(folder)
    assert all(" G101 HTML 不合规范：" in p for p in found), found
    assert found[0].startswith("output/index.html:7:")
    assert "Duplicate ID “a”" in found[0]
    assert any(p.startswith("output/index.html:8:") and "“p” not allowed" in p for p in found)


def test_the_html_checker_must_run(tmp_path, monkeypatch):
    folder = site(tmp_path, {"index.html": "<p>一</p>"})
    monkeypatch.setattr(html_check.shutil, "which", lambda name: None)
    assert problems(folder) == [
        "output:1:1: G100 HTML 检查需要 Java 运行环境，本机没有 java："
        "请安装（Debian/Ubuntu：apt-get install default-jre-headless）后重试"
    ]


def test_files_a_host_could_not_serve(tmp_path):
    folder = site(tmp_path, {"index.html": "<p>一</p>", "notes.docx": "x", "data.json": "{}"})
    (folder / "data.json").chmod(0o600)
    assert problems(folder) == [
        "output/data.json:1:1: G301 网页服务器无权读取（权限 -rw-------）："
        "文件夹应为 755、文件应为 644，请检查 umask（应为 022）",
        "output/notes.docx:1:1: G201 不知道用什么类型（Content-Type）发布 notes.docx："
        "请在 publishing/content_types.py 的 CONTENT_TYPES 中登记，或不要输出这个文件",
    ]


def test_a_report_with_errors_is_not_published(tmp_path):
    report = {"summary": {"errors": 2}, "committees": []}
    folder = site(
        tmp_path, {"index.html": "<p>一</p>", "disclosure/report.json": json.dumps(report)}
    )
    assert problems(folder) == [
        "output/disclosure/report.json:1:1: G401 公开情况报告中有 2 个错误：有错误时不能正式发布"
    ]


def test_the_example_passes_the_gate_under_a_sub_path(tmp_path):
    output = tmp_path / "output"
    status, said = publish(ROOT / "content", output)
    lines = said.splitlines()
    assert status == 0, lines
    assert lines[-1].startswith("发布检查通过：")
    assert f"网站地址 {PUBLISHED_URL}，按 2026-11-26 的日期生成" in lines[-1]
    checked = checked_build.read(output)
    assert checked.digest == checked_build.tree_digest(output)[0]
    assert (checked.site_url, checked.as_of, checked.demonstration) == (
        PUBLISHED_URL,
        AS_OF,
        True,
    )


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            "[往期](../events/archives/)",
            'G001 链接 "../events/archives/" 的目标 events/archives/index.html 不存在',
        ),
        (
            "[首页](/)",
            'G002 链接 "/" 指向网站地址 {site}/ 之外，网站放在子路径下时会打不开：模板中的链接请以 SITEURL 开头',
        ),
    ],
)
def test_a_broken_link_stops_the_publish_and_keeps_the_last_good_site(
    content, tmp_path, link, expected
):
    output = tmp_path / "output"
    assert publish(content, output)[0] == 0
    before = tree_digest(output)
    page = content / "pages/about.md"
    page.write_text(page.read_text("utf-8") + f"\n另见{link}。\n", "utf-8")
    status, said = publish(content, output)
    lines = said.splitlines()
    assert status == 1
    # the page was never written, so the message names the file staff will open
    message = f"{expected.format(site=PUBLISHED_URL)}（这一页由 {page.as_posix()} 生成）"
    # once on the page and once on its 长辈版 twin, which links the same way
    for written, said_here in (
        ("output/about/index.html:", message),
        ("output/elder/about/index.html:", message.replace("的目标 ", "的目标 elder/")),
    ):
        assert any(line.startswith(written) and line.endswith(said_here) for line in lines), lines
    assert lines[-1] == "发布检查未通过：发现 2 个问题，网站没有更新（output/ 保持原样）。"
    assert tree_digest(output) == before
    # and nothing is recorded as ready to deploy
    assert checked_build.read(output) is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output-building")] == []
    assert line_of(page, "另见") > 0
