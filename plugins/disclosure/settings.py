"""Settings this plugin reads, with their defaults, and the checks a published site needs."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .problems import quoted

TIMEZONE = ZoneInfo("Asia/Shanghai")

DEFAULTS = {
    "DISCLOSURE_SAMPLE_DATA": False,  # show the 示例数据 notice on every page
    "DISCLOSURE_AS_OF": None,  # ISO date the content describes; None means today in Shanghai
    # The day given on the command line (--as-of) for one run; it wins over
    # DISCLOSURE_AS_OF and, unlike it, is allowed when publishing.
    "DISCLOSURE_AS_OF_OVERRIDE": None,
    "DISCLOSURE_STRICT": False,  # error-level completeness problems fail the build
    # A build meant for the public (publishconf.py): refuses a placeholder
    # address, sample data and a day pinned in the settings.
    "DISCLOSURE_PUBLISH": False,
    # Publishing the sample data as a demonstration (publish --sample-data).
    "DISCLOSURE_DEMONSTRATION": False,
    "COMMITTEE_URL": "committees/{slug}/",
    "COMMITTEE_SAVE_AS": "committees/{slug}/index.html",
    "COMMITTEES_URL": "committees/",
    "COMMITTEES_SAVE_AS": "committees/index.html",
    "DISCLOSURE_URL": "disclosure/",
    "DISCLOSURE_SAVE_AS": "disclosure/index.html",
    # Event pages; each page is saved as its URL + index.html, and the
    # calendars sit beside their page (events/2020/chongyang.ics).
    "EVENTS_URL": "events/",
    "EVENTS_ARCHIVE_URL": "events/archive/",
    "EVENT_URL": "events/{year}/{slug}/",
    "EVENT_SERIES_URL": "events/series/{slug}/",
    "EVENT_CATEGORY_URL": "events/category/{slug}/",
    # The domain part of calendar UIDs: never change it once calendars are
    # subscribed, or every event appears twice in residents' calendars.
    "EVENTS_UID_DOMAIN": "rihui.example",
    "EVENTS_ON_HOME_PAGE": 4,
    # Work-plan pages: {plan} is the file name (2020-h2), {section} 1 … 8.
    "PLANS_URL": "plans/",
    "PLAN_URL": "plans/{plan}/",
    "PLAN_SECTION_URL": "plans/{plan}/{section}/",
    "PLAN_TASK_URL": "plans/{plan}/tasks/{task}/",
}

# Names reserved for documentation and testing (RFC 2606, RFC 6761): an
# address under one of them can never be the public site.
_RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".local")
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def as_of(settings: dict) -> date:
    value = setting(settings, "DISCLOSURE_AS_OF_OVERRIDE") or setting(settings, "DISCLOSURE_AS_OF")
    if value is None:
        return datetime.now(TIMEZONE).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class SettingsInvalid(Exception):
    """Settings that would publish a site that lies; every problem, worded for staff."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("正式发布的设置有问题，没有生成网站：\n" + "\n".join(problems))


def settings_problems(settings: dict) -> list[str]:
    """Why these settings must not build, one line each (none when they may).

    Every entry point (validate, build, publish, plain `pelican`) asks here,
    so each gives the same answer.
    """
    problems = []
    for name, shown in (
        ("DISCLOSURE_AS_OF_OVERRIDE", "--as-of"),
        ("DISCLOSURE_AS_OF", "DISCLOSURE_AS_OF"),
    ):
        value = setting(settings, name)
        if value is None or isinstance(value, date):
            continue
        try:
            date.fromisoformat(str(value))
        except ValueError:
            problems.append(
                f"S007 {shown} 应为 YYYY-MM-DD 格式的日期，例如 2026-11-26，实际为 {quoted(value)}"
            )
    return problems + _publishing_problems(settings)


def _publishing_problems(settings: dict) -> list[str]:
    """Only builds meant for the public (DISCLOSURE_PUBLISH) are held to these."""
    if not setting(settings, "DISCLOSURE_PUBLISH"):
        return []
    problems = _site_url_problems(str(settings.get("SITEURL") or ""))
    sample = setting(settings, "DISCLOSURE_SAMPLE_DATA")
    demonstration = setting(settings, "DISCLOSURE_DEMONSTRATION")
    if sample and not demonstration:
        problems.append(
            "S004 网站内容仍是示例数据（DISCLOSURE_SAMPLE_DATA = True）：换成真实记录后，"
            "请把 pelicanconf.py 中的 DISCLOSURE_SAMPLE_DATA 改为 False；只是演示时，"
            "请用 publish --sample-data，每一页都会标明“示例数据”"
        )
    if demonstration and not sample:
        problems.append(
            "S006 --sample-data 只用于发布示例数据，而本站内容不是示例数据"
            "（DISCLOSURE_SAMPLE_DATA = False）：请去掉 --sample-data"
        )
    pinned = setting(settings, "DISCLOSURE_AS_OF")
    # The sample describes one day; a demonstration of it may keep that day.
    if pinned is not None and not (sample and demonstration):
        problems.append(
            f"S005 设置文件把日期固定为 DISCLOSURE_AS_OF = {quoted(pinned)}：正式网站按上海当天的"
            "日期判断是否过期、今天是否开放；请把它改为 None。要重建过去某一天的网站，"
            "请在命令行用 --as-of"
        )
    return problems


def _site_url_problems(url: str) -> list[str]:
    if not url.strip():
        return [
            "S001 没有设置网站地址：正式发布前请设置环境变量 SITE_URL，"
            "例如 SITE_URL=https://www.xxx.gov.cn/jiedao；网页、订阅和日历中的链接都用它"
        ]
    parts = urlsplit(url)
    odd = re.search(r"[\s\"'<>\\^`{|}]", url)
    if (
        odd
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        return [
            f"S003 网站地址 SITE_URL={quoted(url)} 不是完整的网址：应以 https:// 开头，"
            "不含空格、引号、尖括号、? 和 #，例如 https://www.xxx.gov.cn/jiedao"
        ]
    host = parts.hostname.lower().rstrip(".")
    reserved = host.endswith(_RESERVED_SUFFIXES) or any(
        host == d or host.endswith("." + d) for d in _RESERVED_DOMAINS
    )
    if reserved or host in ("example", "invalid", "test"):
        return [
            f"S002 网站地址 SITE_URL={quoted(url)} 是示例地址，公众无法访问：请设为本站真实的网址"
        ]
    return []
