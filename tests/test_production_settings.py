"""Production settings that cannot lie: every entry point refuses the same things."""

from __future__ import annotations

import io
import json
import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import AS_OF, PUBLISHED_URL, ROOT, build, plain_pelican
from disclosure.cli import commands
from disclosure.cli import publish as publishing
from disclosure.settings import as_of

NO_ADDRESS = (
    "S001 没有设置网站地址：正式发布前请设置环境变量 SITE_URL，"
    "例如 https://<网站域名>/jiedao；网页、订阅和日历中的链接都用它"
)
EXAMPLE_UID = (
    'S009 日历和订阅的 ID 域名 DISCLOSURE_ID_DOMAIN = "rihui.example" 是示例：请在 '
    "pelicanconf.py 中设为本站自己的域名；居民订阅日历以后就不要再改，"
    "否则每个活动会重复出现"
)
OWN_UID = "xxgk.rihui-jiedao.cn"
SAMPLE = (
    "S004 网站内容仍是示例数据（DISCLOSURE_SAMPLE_DATA = True）：换成真实记录后，"
    "请把 pelicanconf.py 中的 DISCLOSURE_SAMPLE_DATA 改为 False；只是演示时，"
    "请用 publish --sample-data，每一页都会标明“示例数据”"
)
PINNED = (
    'S005 设置文件把日期固定为 DISCLOSURE_AS_OF = "2026-11-26"：正式网站按上海当天的'
    "日期判断是否过期、今天是否开放；请把它改为 None。要重建过去某一天的网站，"
    "请在命令行用 --as-of"
)


def publish(tmp_path, content=ROOT / "content", **overrides) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = publishing.publish(
        ROOT / "publishconf.py",
        overrides={"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"), **overrides},
        out=out,
    )
    return status, out.getvalue().splitlines()


def test_publish_refuses_the_example_as_it_stands(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    status, lines = publish(tmp_path)
    assert status == 1
    assert lines == [
        NO_ADDRESS,
        SAMPLE,
        EXAMPLE_UID,
        PINNED,
        "没有构建：设置有 4 个问题，网站没有更新（output/ 保持原样）。",
    ]
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    "address",
    [
        "https://rihui.example",
        "https://rihui.example/",
        "http://www.example.com/jiedao",
        "https://EXAMPLE.ORG",
        "https://site.test",
        "https://rihui.invalid",
        "https://www.xxx.gov.cn/jiedao",
    ],
)
def test_a_placeholder_address_is_refused(tmp_path, monkeypatch, address):
    monkeypatch.setenv("SITE_URL", address)
    status, lines = publish(tmp_path, DISCLOSURE_DEMONSTRATION=True)
    shown = address.rstrip("/")
    assert (status, lines[0]) == (
        1,
        f'S002 网站地址 SITE_URL="{shown}" 是示例地址，公众无法访问：请设为本站真实的网址',
    )


@pytest.mark.parametrize(
    "address",
    [
        "https://user:secret@rihui.gov.cn",
        "https://…",
        "https://rihui.gov.cn:99999",
        "https://rihui_site.gov.cn",
        "rihui.xuhui.gov.cn",
        "ftp://rihui.xuhui.gov.cn",
        "https://x.gov.cn/?a=1",
        "https://x.gov.cn/jiedao rihui",
        'https://x.gov.cn/"><script>alert(1)</script>',
        "javascript:alert(1)//x.gov.cn",
    ],
)
def test_an_address_that_is_not_a_web_address_is_refused(tmp_path, monkeypatch, address):
    monkeypatch.setenv("SITE_URL", address)
    status, lines = publish(tmp_path, DISCLOSURE_DEMONSTRATION=True)
    assert status == 1
    shown = json.dumps(address, ensure_ascii=False)
    assert lines[0].startswith(f"S003 网站地址 SITE_URL={shown} 不是完整的网址")


def test_sample_data_publishes_only_as_a_demonstration(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", PUBLISHED_URL)
    status, lines = publish(tmp_path, DISCLOSURE_DEMONSTRATION=True)
    assert status == 0, lines
    home = (tmp_path / "output/index.html").read_text("utf-8")
    assert "示例数据" in home  # a demonstration says so on every page
    assert f'href="{PUBLISHED_URL}/committees/rihui-liucun/"' in home


def test_real_records_with_a_demonstration_flag_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", PUBLISHED_URL)
    status, lines = publish(
        tmp_path,
        DISCLOSURE_SAMPLE_DATA=False,
        DISCLOSURE_AS_OF=None,
        DISCLOSURE_DEMONSTRATION=True,
    )
    assert (status, lines[0]) == (
        1,
        "S006 --sample-data 只用于发布示例数据，而本站内容不是示例数据"
        "（DISCLOSURE_SAMPLE_DATA = False）：请去掉 --sample-data",
    )


def test_real_records_are_judged_as_of_today_in_shanghai(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", PUBLISHED_URL)
    # A pinned day in the settings is refused, whatever the records are, and so
    # is the example domain in calendar UIDs …
    status, lines = publish(tmp_path, DISCLOSURE_SAMPLE_DATA=False)
    assert (status, lines) == (
        1,
        [EXAMPLE_UID, PINNED, "没有构建：设置有 2 个问题，网站没有更新（output/ 保持原样）。"],
    )
    # … and without it the day is today in Shanghai, not the machine's zone.
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert as_of({"DISCLOSURE_AS_OF": None}) == today
    # --as-of on the command line rebuilds a past day, and is allowed.
    settings = {"DISCLOSURE_AS_OF": None, "DISCLOSURE_AS_OF_OVERRIDE": AS_OF}
    assert as_of(settings) == date(2026, 11, 26)
    status, lines = publish(
        tmp_path,
        DISCLOSURE_SAMPLE_DATA=False,
        DISCLOSURE_AS_OF=None,
        DISCLOSURE_AS_OF_OVERRIDE=AS_OF,
        DISCLOSURE_ID_DOMAIN=OWN_UID,
    )
    assert status == 0, lines
    home = (tmp_path / "output/index.html").read_text("utf-8")
    assert "示例数据" not in home
    assert "本站内容生成于 2026年11月26日" in home
    assert f"@{OWN_UID}" in (tmp_path / "output/events/events.ics").read_text("utf-8")
    # … but not a day still to come: a published site does not pretend.
    tomorrow = (today + timedelta(days=1)).isoformat()
    status, lines = publish(
        tmp_path,
        DISCLOSURE_SAMPLE_DATA=False,
        DISCLOSURE_AS_OF=None,
        DISCLOSURE_AS_OF_OVERRIDE=tomorrow,
        DISCLOSURE_ID_DOMAIN=OWN_UID,
    )
    assert (status, lines[0]) == (
        1,
        f"S010 --as-of {tomorrow} 晚于今天（上海）：正式发布只能按今天或过去的某一天生成",
    )


def test_validate_says_what_publish_says(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    content, day, refused = commands.settings_for(ROOT / "publishconf.py")
    out = io.StringIO()
    assert commands.validate(content, as_of=day, out=out, refused=refused) == 1
    assert out.getvalue().splitlines()[:4] == [NO_ADDRESS, SAMPLE, EXAMPLE_UID, PINNED]


def test_plain_pelican_refuses_the_same_without_a_traceback(tmp_path):
    finished = plain_pelican(tmp_path / "out", settings="publishconf.py")
    said = finished.stdout + finished.stderr
    assert finished.returncode == 1
    # each problem whole on its own line, however narrow the console
    assert [line for line in said.splitlines() if line.startswith("S0")] == [
        NO_ADDRESS,
        SAMPLE,
        EXAMPLE_UID,
        PINNED,
    ]
    assert "没有生成网站：设置有 4 个问题" in said.splitlines()
    assert "Traceback" not in said
    assert not (tmp_path / "out").exists()


def test_plain_pelican_reports_record_problems_without_a_traceback(tmp_path, content):
    path = content / "data/committees/rihui-liucun.yaml"
    path.write_text(path.read_text("utf-8").replace("08:30-11:30", "8:3-11:30", 1), "utf-8")
    finished = plain_pelican(tmp_path / "out", content=content)
    said = finished.stdout + finished.stderr
    assert finished.returncode == 1
    assert (
        f'{path.as_posix()}:12:15: E102 时间格式应为 HH:MM，实际为 "8:3"'
        "（字段 service_hours.weekly[0].hours[0]）"
    ) in said.splitlines()
    assert "没有生成网站：记录有 1 个错误" in said.splitlines()
    assert "Traceback" not in said


def test_output_is_readable_by_a_web_server_whatever_the_staging(tmp_path):
    previous = os.umask(0o022)
    try:
        out = build(ROOT / "content", tmp_path / "output").output
    finally:
        os.umask(previous)
    modes = {p.stat().st_mode & 0o777 for p in [out, *out.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    assert {p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()} == {0o644}


@pytest.mark.parametrize("day", ["2026-13-01", "2026/11/26", "明天"])
def test_a_day_that_is_not_a_date_is_refused_by_every_entry_point(tmp_path, monkeypatch, day):
    monkeypatch.setenv("SITE_URL", PUBLISHED_URL)
    message = f"S007 --as-of 应为 YYYY-MM-DD 格式的日期，例如 2026-11-26，实际为 {json.dumps(day, ensure_ascii=False)}"
    status, lines = publish(tmp_path, DISCLOSURE_DEMONSTRATION=True, DISCLOSURE_AS_OF_OVERRIDE=day)
    assert (status, lines[0]) == (1, message)
    out = io.StringIO()
    assert (
        commands.build(
            ROOT / "pelicanconf.py",
            overrides={"OUTPUT_PATH": str(tmp_path / "dev"), "DISCLOSURE_AS_OF_OVERRIDE": day},
            out=out,
        )
        == 1
    )
    assert out.getvalue().splitlines()[0] == message
    _content, _as_of_day, refused = commands.settings_for(
        ROOT / "pelicanconf.py", {"DISCLOSURE_AS_OF_OVERRIDE": day}
    )
    assert refused == [message]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"])
def test_a_day_outside_the_years_a_record_may_name_is_refused(tmp_path, day):
    message = f"S007 --as-of 应在 2000-01-01 至 2099-12-31 之间，实际为 {day}"
    out = io.StringIO()
    overrides = {"OUTPUT_PATH": str(tmp_path / "dev"), "DISCLOSURE_AS_OF_OVERRIDE": day}
    assert commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=out) == 1
    assert out.getvalue().splitlines()[0] == message
    assert not (tmp_path / "dev").exists()
    _content, _day, refused = commands.settings_for(
        ROOT / "pelicanconf.py", {"DISCLOSURE_AS_OF_OVERRIDE": day}
    )
    assert refused == [message]


@pytest.mark.parametrize("address", ["http://www.rihui.gov.cn", "http://10.0.0.8/jiedao"])
def test_a_public_address_must_use_https(tmp_path, monkeypatch, address):
    monkeypatch.setenv("SITE_URL", address)
    status, lines = publish(tmp_path, DISCLOSURE_DEMONSTRATION=True)
    assert (status, lines[0]) == (
        1,
        f'S008 网站地址 SITE_URL="{address}" 没有用 https://：公开的网站请用 https；'
        "只有在本机测试时才可以用 http://127.0.0.1",
    )


@pytest.mark.parametrize("address", ["https://日晖.中国/jiedao", "https://a.gov.cn/日晖"])
def test_chinese_addresses_publish_and_pass_the_gate(tmp_path, monkeypatch, address):
    monkeypatch.setenv("SITE_URL", address)
    status, lines = publish(tmp_path, DISCLOSURE_DEMONSTRATION=True)
    assert status == 0, lines


def test_a_mistyped_or_misspelt_plugin_setting_is_reported_at_start(tmp_path):
    out = io.StringIO()
    overrides = {
        "OUTPUT_PATH": str(tmp_path / "output"),
        "EVENT_URLS": "huodong/",
        "EVENTS_ON_HOME_PAGE": "4",
        "DISCLOSURE_STRICT": "yes",
    }
    assert commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=out) == 1
    assert out.getvalue().splitlines() == [
        "S012 设置 DISCLOSURE_STRICT 应为 True 或 False，实际为 'yes'",
        "S012 设置 EVENTS_ON_HOME_PAGE 应为 整数，实际为 '4'",
        "S011 不认识的设置 EVENT_URLS：是否想写 EVENT_URL？",
        "没有构建：设置有 3 个问题，网站没有更新（output/ 保持原样）。",
    ]
    assert not (tmp_path / "output").exists()


def test_the_old_name_of_the_id_domain_still_works_and_another_timezone_is_refused(tmp_path):
    out = tmp_path / "output"
    build(
        ROOT / "content",
        out,
        DISCLOSURE_ID_DOMAIN=None,
        EVENTS_UID_DOMAIN="xxgk.example-old.cn",
    )
    assert "@xxgk.example-old.cn" in (out / "events/events.ics").read_text("utf-8")
    assert "tag:xxgk.example-old.cn," in (out / "plans/2020-h2/feed.atom").read_text("utf-8")
    said = io.StringIO()
    assert (
        commands.build(
            ROOT / "pelicanconf.py",
            overrides={"OUTPUT_PATH": str(tmp_path / "other"), "TIMEZONE": "Asia/Tokyo"},
            out=said,
        )
        == 1
    )
    assert said.getvalue().splitlines()[0] == (
        'S013 本站的记录都按上海时间解释，TIMEZONE 应为 "Asia/Shanghai"，实际为 "Asia/Tokyo"'
    )


def test_settings_and_record_problems_are_reported_together(tmp_path, content):
    # `pelican content -s publishconf.py` with no address and a broken committee
    # file: every problem at once, each on its own line, no traceback.
    path = content / "data/committees/rihui-liucun.yaml"
    path.write_text(path.read_text("utf-8").replace("08:30-11:30", "8:3-11:30", 1), "utf-8")
    finished = plain_pelican(tmp_path / "out", content=content, settings="publishconf.py")
    said = finished.stdout + finished.stderr
    assert finished.returncode == 1
    lines = said.splitlines()
    assert lines[:4] == [NO_ADDRESS, SAMPLE, EXAMPLE_UID, PINNED]
    assert lines[4] == (
        f'{path.as_posix()}:12:15: E102 时间格式应为 HH:MM，实际为 "8:3"'
        "（字段 service_hours.weekly[0].hours[0]）"
    )
    assert "Traceback" not in said
    assert not (tmp_path / "out").exists()
    out = io.StringIO()
    assert (
        commands.build(
            ROOT / "publishconf.py",
            overrides={"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "o")},
            out=out,
        )
        == 1
    )
    assert out.getvalue().splitlines()[-1] == (
        "没有构建：设置有 4 个问题、记录有 1 个错误，网站没有更新（output/ 保持原样）。"
    )


def test_a_settings_typo_does_not_change_the_day_validate_judges(tmp_path):
    _content, day, refused = commands.settings_for(
        ROOT / "pelicanconf.py",
        {"EVENT_URLS": "x/", "DISCLOSURE_AS_OF_OVERRIDE": "2020-10-31"},
    )
    assert day == date(2020, 10, 31)
    assert refused == ["S011 不认识的设置 EVENT_URLS：是否想写 EVENT_URL？"]


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (
            "LISTING_PAGE_SIZE",
            0,
            "S016 设置 LISTING_PAGE_SIZE（长列表每页最多列出几项）应为正整数，实际为 0",
        ),
        (
            "LISTING_PAGE_URL",
            "{listing}page/",
            "S016 设置 LISTING_PAGE_URL 应以 {listing} 开头并含 {number}，"
            '例如 "{listing}page/{number}/"，实际为 "{listing}page/"',
        ),
    ],
)
def test_listings_need_a_page_size_and_an_address_per_page(tmp_path, name, value, said):
    out = io.StringIO()
    overrides = {"OUTPUT_PATH": str(tmp_path / "output"), name: value}
    assert commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=out) == 1
    assert out.getvalue().splitlines()[0] == said
    assert not (tmp_path / "output").exists()
