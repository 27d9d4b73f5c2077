"""Real Pelican builds into tmp_path, asserting on the pages they write."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    AS_OF,
    ROOT,
    build,
    committee_file,
    line_of,
    replace_in,
    tree_digest,
)
from disclosure.cli import commands
from disclosure.core.problems import RecordsInvalid
from html_text import text, urls

AS_OF_DATE = date.fromisoformat(AS_OF)
COMMITTEE_SLUGS = sorted(p.stem for p in (ROOT / "content/data/committees").glob("*.yaml"))
# validate reads every record and every content page
FILES_READ = len(list((ROOT / "content/data").rglob("*.yaml"))) + len(
    list((ROOT / "content/pages").glob("*.md"))
)


def test_example_has_nineteen_committees():
    assert len(COMMITTEE_SLUGS) == 19


def test_every_committee_has_its_page(example_site):
    for slug in COMMITTEE_SLUGS:
        page = example_site / "committees" / slug / "index.html"
        assert page.is_file(), slug


def test_home_page_lists_subdistrict_emergency_numbers_and_committees(example_site):
    home = text(example_site / "index.html")
    assert "日晖街道办事处" in home
    assert "上海市徐汇区日晖路100号" in home
    for number in ("110", "119", "120", "021-6417 0110"):
        assert number in home
    for name in ("日晖六村居民区", "海珠公寓居民区", "嘉馨公寓居民区", "中和村居民区"):
        assert name in home
    links = {value for _, _, value in urls(example_site / "index.html")}
    assert "./committees/rihui-liucun/" in links
    assert "tel:110" in links


def test_every_number_is_shown_grouped_one_way_and_named_digit_by_digit(example_site):
    from disclosure.values.phones import parse_phone

    page = example_site / "committees/rihui-yicun/index.html"
    shown = text(page)
    assert "电话 021-6418 1000" in shown and "02164181000" not in shown
    assert "159 7287 8288" in shown and "186 **** 8949" in shown
    html = page.read_text(encoding="utf-8")
    assert (
        '<a class="phone" href="tel:15972878288" aria-label="拨打石文娟 159 7287 8288'
        '（一五九 七二八七 八二八八）"><span class="phone__group">159</span> '
        '<span class="phone__group">7287</span> <span class="phone__group">8288</span></a>'
    ) in html
    # the stars are not read out: the digits left are, one by one
    assert (
        '<span class="phone phone--masked"><span aria-hidden="true">'
        '<span class="phone__group">186</span> <span class="phone__group">****</span> '
        '<span class="phone__group">8949</span></span>'
        '<span class="visually-hidden">一八六，隐去四位，八九四九</span></span>'
    ) in html
    links = 0
    for file in example_site.rglob("*.html"):
        written = file.read_text(encoding="utf-8")
        for tel, inner in re.findall(r'<a [^>]*href="tel:([^"]+)"[^>]*>(.*?)</a>', written):
            number, _, extension = tel.partition(",")
            grouped = parse_phone(number + (f"转{extension}" if extension else "")).display
            visible = re.sub(r"<[^>]+>", "", inner)
            assert visible == grouped or visible.startswith(grouped + " "), (file, tel, visible)
            links += 1
    assert links > 300


def test_committee_index_links_every_committee(example_site):
    links = {value for _, _, value in urls(example_site / "committees/index.html")}
    for slug in COMMITTEE_SLUGS:
        assert f"../committees/{slug}/" in links


def test_committee_page_shows_the_three_disclosures(example_site):
    page = example_site / "committees/rihui-liucun/index.html"
    shown = text(page)
    for heading in ("全岗服务时间", "分片包块块长", "紧急联络机制"):
        assert heading in shown
    assert "信息核实 2026年11月22日" in shown
    assert "周一 08:30–11:30、13:00–17:00" in shown
    assert "周二 08:30–11:30、13:00–17:00、18:00–20:00" in shown
    assert "周六 不开放" in shown
    # closures: the coming ones shown, the past National Day one not
    assert "2026年12月10日（周四）：全体社工参加区里培训" in shown
    assert "2027年1月1日（周五）至1月3日（周日）：元旦放假" in shown
    assert "国庆节" not in shown
    assert "1号楼、2号楼、3号楼" in shown
    assert "接听时间 周一至周五 00:00–08:30、17:00–24:00 周六、周日 00:00–24:00" in shown


def test_every_phone_that_may_be_published_is_a_tel_link(example_site):
    page = example_site / "committees/rihui-liucun/index.html"
    links = [value for _, name, value in urls(page) if value.startswith("tel:")]
    assert "tel:02164181185" in links  # office, written 021-6418 1185
    assert "tel:15890688082" in links  # a block leader who consented
    assert "tel:18953885767" in links  # the duty mobile, published by the committee


def test_unquoted_times_and_phone_numbers_keep_every_digit(content, tmp_path):
    path = committee_file(content)
    replace_in(path, "office_phone: 021-6418 1185", "office_phone: 02164001234")
    replace_in(path, "hours: 8:30-17:00\n    what_to_do", "hours: 8:30-17:00\n    what_to_do")
    replace_in(
        path,
        "    - days: 周一至周五\n      hours: [08:30-11:30, 13:00-17:00]",
        "    - days: 周一至周五\n      hours: 8:30-17:00",
    )
    out = build(content, tmp_path / "output").output
    shown = text(out / "committees/rihui-liucun/index.html")
    assert "电话 021-6400 1234" in shown  # every number is shown in the site's groups
    assert "周一 08:30–17:00" in shown
    assert "周三 08:30–17:00" in shown
    assert 'href="tel:02164001234"' in (out / "committees/rihui-liucun/index.html").read_text()


def test_a_time_of_25_fails_with_file_line_and_column(content, tmp_path):
    path = committee_file(content)
    replace_in(path, "hours: 18:00-20:00", "hours: 18:00-25:00")
    with pytest.raises(RecordsInvalid) as caught:
        build(content, tmp_path / "output")
    line = line_of(path, "18:00-25:00")
    assert [str(p) for p in caught.value.problems] == [
        f"{path.as_posix()}:{line}:20: E103 时间 25:00 不存在：小时应为 00–23，分钟应为 00–59"
        "（字段 service_hours.weekly[1].hours）"
    ]
    assert not (tmp_path / "output").exists()


def test_a_duplicate_key_fails_validation(content):
    path = committee_file(content, "haizhu-gongyu")
    replace_in(path, "verified: ", "verified: 2026-11-01\nverified: ")
    out = io.StringIO()
    assert commands.validate(content, as_of=AS_OF_DATE, out=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f'{path.as_posix()}:8:1: E004 字段 "verified" 重复，第 7 行已经写过；'
        "请删除其中一个（YAML 会悄悄只保留后一个）"
    )
    assert lines[1].startswith(f"校验未通过：读取 {FILES_READ} 个文件，发现 1 个错误、0 个警告")


def test_validate_reports_all_problems_of_all_files(content):
    replace_in(committee_file(content, "haizhu-gongyu"), "hours: 8:30-17:00", "hours: 8:30-1700")
    replace_in(committee_file(content, "zhonghecun"), "name: ", "nmae: ")
    (content / "data/committees/mingyuan.yaml").write_bytes("name: 明园\n".encode("gbk"))
    out = io.StringIO()
    assert commands.validate(content, as_of=AS_OF_DATE, out=out) == 1
    codes = re.findall(r"\.yaml:\d+:\d+: (E\d+)", out.getvalue())
    assert sorted(codes) == ["E001", "E100", "E101", "E102"]
    assert "发现 4 个错误" in out.getvalue()


def test_example_content_validates_cleanly():
    out = io.StringIO()
    assert commands.validate(ROOT / "content", as_of=AS_OF_DATE, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"记录格式正确：读取 {FILES_READ} 个文件，没有发现问题")
    assert lines[1] == (
        "公开情况（截至 2026-11-26）：参加公开的 12 个居委会中 12 个完整、0 个不完整；0 个错误、0 个警告。"
    )


def test_a_failed_build_leaves_the_previous_output_byte_for_byte(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    before = tree_digest(output)
    replace_in(committee_file(content), "verified: 2026-11-22", "verified: 2026-11-32")
    with pytest.raises(RecordsInvalid):
        build(content, output)
    assert tree_digest(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_a_crash_while_writing_leaves_the_previous_output(content, tmp_path, monkeypatch):
    output = tmp_path / "output"
    build(content, output)
    before = tree_digest(output)
    from disclosure import generator

    def broken(self, writer):
        writer.write_file("index.html", self.get_template("index"), self.context, True)
        raise OSError("disk full")

    monkeypatch.setattr(generator.DisclosureGenerator, "generate_output", broken)
    with pytest.raises(OSError, match="disk full"):
        build(content, output)
    assert tree_digest(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_build_command_prints_problems_and_keeps_output(content, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "output"
    build(content, output)
    before = tree_digest(output)
    replace_in(committee_file(content), "phone: 15890688082", "phone: 1589068808")
    out = io.StringIO()
    status = commands.build(
        ROOT / "pelicanconf.py",
        overrides={"PATH": str(content), "OUTPUT_PATH": str(output)},
        out=out,
    )
    assert status == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("content/data/committees/rihui-liucun.yaml:")
    assert " E107 " in lines[0] and "block_leaders[0].phone" in lines[0]
    assert lines[-1] == "构建未完成：发现 1 个错误，网站没有更新（output/ 保持原样）。"
    assert tree_digest(output) == before


def test_a_masked_number_is_absent_from_every_output_file(content, tmp_path):
    path = committee_file(content)
    # 陆桂英 did not consent; write her number with separators too
    replace_in(path, "phone: 13642116136", "phone: 136 4211 6136")
    out = build(content, tmp_path / "output").output
    page = out / "committees/rihui-liucun/index.html"
    assert "136 **** 6136" in text(page)
    for file in out.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            digits_only = re.sub(rb"[^0-9]", b"", data)
            assert b"13642116136" not in digits_only, file
            assert b"4211" not in data, file


def test_a_named_emergency_contact_without_consent_is_masked(example_site):
    page = example_site / "committees/rihui-yicun/index.html"
    source = (ROOT / "content/data/committees/rihui-yicun.yaml").read_text(encoding="utf-8")
    police = re.search(r"role: 社区民警\n    name: \S+\n    phone: (\d+)", source).group(1)
    assert police not in page.read_text()
    assert f"{police[:3]} **** {police[-4:]}" in text(page)


def test_record_text_is_escaped_and_markdown_sanitised(content, tmp_path):
    path = committee_file(content)
    replace_in(path, "name: 日晖六村居民区", 'name: 日晖六村<script>alert(1)</script>"居民区')
    replace_in(
        path,
        "  notes: 午间",
        "  notes: |\n    <img src=x onerror=alert(1)> [点我](javascript:alert(1)) "
        "[官网](https://example.org) <script>alert(2)</script>**加粗**\n    午间",
    )
    out = build(content, tmp_path / "output").output
    html = (out / "committees/rihui-liucun/index.html").read_text()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;居民区" in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<strong>加粗</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">官网</a>' in html


def test_pages_request_nothing_outside_the_site(example_site):
    for page in example_site.rglob("*.html"):
        if page.name == "404.html":
            continue  # served at any address: its links start at the root (test_site_files)
        for tag, attribute, value in urls(page):
            if tag == "a" and re.match(r"^https://", value):
                continue  # a link a resident may follow (online registration), never fetched
            assert not re.match(r"^(https?:)?//", value), (page, tag, attribute, value)
            assert re.match(
                r"^(tel:|#|\.|[a-z0-9-]+/|[a-z0-9.-]+\.(html|json)|$)", value
            ) or value.startswith("../"), (page, value)


def test_pages_are_chinese_with_skip_link_and_landmarks(example_site):
    for page in [example_site / "index.html", *example_site.glob("committees/**/index.html")]:
        html = page.read_text()
        assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN" data-mode=')
        assert '<a class="skip-link" href="#main">跳到正文</a>' in html
        assert '<main id="main"' in html and "<header" in html and "<footer" in html
        assert "示例数据" in html


def test_sample_notice_follows_the_setting(content, tmp_path):
    out = build(content, tmp_path / "output", DISCLOSURE_SAMPLE_DATA=False).output
    assert "示例数据" not in (out / "index.html").read_text()


def test_json_schemas_are_published(example_site):
    schema = json.loads((example_site / "schemas/committee.schema.json").read_text())
    assert schema["title"] == "居委会"
    assert schema["required"] == ["name", "address", "office_phone", "verified"]
    assert "service_hours" in schema["properties"]


def test_content_pages_are_built(example_site):
    for slug, title in (
        ("about", "关于本站"),
        ("privacy", "个人信息保护说明"),
        ("guide", "如何使用本站"),
    ):
        assert title in text(example_site / slug / "index.html")


def test_production_settings_use_absolute_urls(content, tmp_path, monkeypatch):
    # the address comes from the environment, as CI sets it; a trailing / is dropped
    monkeypatch.setenv("SITE_URL", "https://xxgk.rihui.test.cn/jiedao/rihui/")
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "DISCLOSURE_DEMONSTRATION": True,
    }
    out = commands.build_site(ROOT / "publishconf.py", overrides=overrides).output
    links = {value for _, _, value in urls(out / "index.html")}
    assert "https://xxgk.rihui.test.cn/jiedao/rihui/committees/rihui-liucun/" in links


def test_no_page_uses_an_id_twice(example_site):
    # a repeated id breaks anchors and the names screen readers give to charts
    for page in example_site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert repeated == [], (page, repeated)


def test_every_page_kind_takes_its_url_and_file_the_pelican_way(tmp_path):
    out = build(
        ROOT / "content",
        tmp_path / "output",
        COMMITTEE_URL="juweihui/{slug}.html",
        COMMITTEE_SAVE_AS="juweihui/{slug}.html",
        PLAN_URL="jihua/{plan}/",
    ).output
    assert (out / "juweihui/rihui-liucun.html").is_file()
    assert not (out / "committees/rihui-liucun").exists()
    assert (out / "jihua/2020-h2/index.html").is_file()
    links = {value for _, _, value in urls(out / "committees/index.html")}
    assert "../juweihui/rihui-liucun.html" in links


def test_a_build_clears_what_killed_builds_left_behind(tmp_path):
    import os

    output = tmp_path / "output"
    dead = tmp_path / ".output-building-999999999-x1"  # no such process
    retired = tmp_path / ".output-old-999999999-x2"
    discarded = tmp_path / ".output-trash-999999999-x4"  # being deleted when killed
    legacy = tmp_path / ".output-building-abc123"  # named before builds carried their pid
    alive = tmp_path / f".output-building-{os.getpid()}-x3"  # a build still running
    unrelated = tmp_path / ".output-checked.json"
    for folder in (dead, retired, legacy, alive, discarded):
        (folder / "committees").mkdir(parents=True)
    unrelated.write_text("{}")
    build(ROOT / "content", output)
    assert not dead.exists() and not retired.exists() and not legacy.exists()
    assert not discarded.exists()
    assert alive.exists() and unrelated.exists()
    assert (output / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if "-building-" in p.name] == [alive.name]


def test_ctrl_c_during_a_build_leaves_output_as_it_was(tmp_path, monkeypatch):
    import io

    from disclosure.cli import commands as cli

    output = tmp_path / "output"
    build(ROOT / "content", output)
    before = tree_digest(output)

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr("pelican.Pelican.run", interrupted)
    said = io.StringIO()
    status = cli.build(
        ROOT / "pelicanconf.py",
        overrides={"OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF},
        out=said,
    )
    assert (status, said.getvalue()) == (130, "已中断：网站没有更新（output/ 保持原样）。\n")
    assert tree_digest(output) == before
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def timetable_rows(page: Path) -> dict[int, str]:
    """The committee page's timetable without script: weekday -> the row's text."""
    html = page.read_text(encoding="utf-8")
    rows = re.findall(r'<tr [^>]*data-weekday="(\d)">(.*?)</tr>', html, re.S)
    return {int(day): " ".join(re.sub(r"<[^>]+>", " ", row).split()) for day, row in rows}


@pytest.mark.parametrize(
    ("as_of", "weekday", "note"),
    [
        # two days before a one-day closure, and on the day
        ("2026-12-08", 3, "12月10日暂停服务 （全体社工参加区里培训，当天暂停服务）"),
        ("2026-12-10", 3, "12月10日暂停服务 （全体社工参加区里培训，当天暂停服务）"),
        # inside 元旦 (1–3 January): Saturday and Sunday are closed anyway
        ("2027-01-01", 4, "1月1日暂停服务 （元旦放假）"),
        # the day after: next Thursday is a normal one
        ("2026-12-11", None, None),
    ],
    ids=["two-days-before", "on-the-day", "inside-new-year", "the-day-after"],
)
def test_the_timetable_dates_a_closure_of_the_coming_week_in_its_row(
    content, tmp_path, as_of, weekday, note
):
    out = build(content, tmp_path / "output", DISCLOSURE_AS_OF=as_of).output
    rows = timetable_rows(out / "committees/rihui-liucun/index.html")
    assert len(rows) == 7
    usual = {
        3: "08:30–11:30 、 13:00–17:00 、 18:00–20:00",
        4: "08:30–11:30 、 13:00–17:00",
    }
    for day, shown in rows.items():
        if day == weekday:
            label = "周四" if day == 3 else "周五"
            # dated, with the reason, and the other weeks' hours after it
            assert shown == f"{label} {note} 其他{label} {usual[day]}"
        else:
            assert "暂停服务" not in shown, shown
    assert rows[0] == "周一 08:30–11:30 、 13:00–17:00"
