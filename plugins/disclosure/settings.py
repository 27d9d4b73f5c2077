"""Settings this plugin reads, with their defaults, and the checks a published site needs."""

from __future__ import annotations

import difflib
import posixpath
import re
import string
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .core.problems import Problem, Severity, quoted, quoted_short
from .core.workers import available_cores
from .values.dates import outside

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
    # Every page kind has an X_URL; its file is the URL's index.html
    # (save_as_of), or the committee pages' X_SAVE_AS where a site sets one.
    "COMMITTEE_URL": "committees/{slug}/",
    "COMMITTEE_SAVE_AS": None,
    "COMMITTEES_URL": "committees/",
    "COMMITTEES_SAVE_AS": None,
    # The home page lists every committee only while there are at most this
    # many; a district's or a city's are reached from the committee index.
    "COMMITTEES_ON_HOME_PAGE": 60,
    "DISCLOSURE_URL": "disclosure/",
    "DISCLOSURE_SAVE_AS": None,
    # 公开情况 leads with what needs work; the committees whose every
    # category is in order are counted there and listed here.
    "DISCLOSURE_COMPLETE_URL": "disclosure/complete/",
    # A listing that grows with the records (the committee index, 公开情况,
    # the events, the archive's years, a series or category) holds at most
    # this many entries a page; page 1 is at the listing's own URL, page N
    # at LISTING_PAGE_URL with {listing} that URL.
    "LISTING_PAGE_SIZE": 100,
    "LISTING_PAGE_URL": "{listing}page/{number}/",
    # 找我的居委会: every road, lane and number with its committee and block
    # leader; the lookup box reads lookup.json beside it.
    "ADDRESSES_URL": "addresses/",
    "ADDRESSES_SAVE_AS": None,
    # Event pages; each page is saved as its URL + index.html, and the
    # calendars sit beside their page (events/2020/chongyang.ics).
    "EVENTS_URL": "events/",
    "EVENTS_ARCHIVE_URL": "events/archive/",
    # One archive page per year (of the events' start), listed on EVENTS_ARCHIVE_URL.
    "EVENTS_ARCHIVE_YEAR_URL": "events/archive/{year}/",
    "EVENT_URL": "events/{year}/{slug}/",
    "EVENT_SERIES_URL": "events/series/{slug}/",
    "EVENT_CATEGORY_URL": "events/category/{slug}/",
    # The domain in every calendar UID and feed id (events and plans alike):
    # never change it once residents subscribe, or every entry appears twice.
    "DISCLOSURE_ID_DOMAIN": None,
    # Its older name, still honoured when DISCLOSURE_ID_DOMAIN is not set.
    "EVENTS_UID_DOMAIN": "rihui.example",
    "EVENTS_ON_HOME_PAGE": 4,
    # Work-plan pages: {plan} is the file name (2020-h2), {section} 1 … 8.
    "PLANS_URL": "plans/",
    "PLAN_URL": "plans/{plan}/",
    "PLAN_SECTION_URL": "plans/{plan}/{section}/",
    "PLAN_TASK_URL": "plans/{plan}/tasks/{task}/",
    # Open data: the 数据下载 page, with the data files in its folder, and the
    # DCAT catalogue of them at the site's root, where catalogue readers look.
    "DATA_URL": "data/",
    "DATA_CATALOG_URL": "data.json",
    # What anyone may do with the data files, said on the page and in each file.
    "DISCLOSURE_DATA_LICENCE": "本站数据可自由使用、复制、传播和再加工，请注明来源。",
    # What a Chinese government site shows in its footer, where the office
    # has one (None: not shown): 网站标识码, ICP备案号, 公安备案号.
    "DISCLOSURE_SITE_CODE": None,
    "DISCLOSURE_ICP": None,
    "DISCLOSURE_PSB": None,
    # The search page; the index its script reads (index.json) is written beside it.
    "SEARCH_URL": "search/",
    # The address the site is read at, for what is read away from it: the QR
    # code on each committee's board notice (公示栏, notice.pdf) leads there.
    # None: SITEURL, when that is an absolute address (publishconf.py). Not
    # named *_URL: those are the page kinds (content_pages.reserved).
    "DISCLOSURE_PUBLIC_SITEURL": None,
    # The board notice beside each committee page: committees/<slug>/notice.pdf.
    "NOTICE_FILE": "notice.pdf",
    # How many processes make the pages, calendars, notices and checks
    # (None: one per core this build may use). The output is the same
    # byte for byte whatever the number; 1 makes everything in one process.
    "DISCLOSURE_WORKERS": None,
}

# The home page's file; every other page kind is placed by its X_URL in DEFAULTS.
HOME_SAVE_AS = "index.html"
# Files at the site's root whose names hosts, browsers and crawlers look for
# (a bucket's error document, /robots.txt, /favicon.ico): fixed, not settings.
SITE_FILES = {
    "404.html": "找不到页面时显示的 404 页面",
    "robots.txt": "给搜索引擎的 robots.txt",
    "sitemap.xml": "网站地图 sitemap.xml",
    "favicon.ico": "网站图标 favicon.ico",
    "favicon.svg": "网站图标 favicon.svg",
}

# Names reserved for documentation and testing (RFC 2606, RFC 6761): an
# address under one of them can never be the public site.
_RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".local")
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def kept_between_processes(settings: dict) -> Path | None:
    """Where a build keeps what it worked out for the next process (typed
    records, files the leak scan found clean, pages as search read them):
    CACHE_PATH. A build meant for the public (DISCLOSURE_PUBLISH) neither
    takes nor keeps any: whatever it publishes is worked out from the files
    in hand, so nothing an earlier process left on disk vouches for it."""
    if setting(settings, "DISCLOSURE_PUBLISH") or not settings.get("CACHE_PATH"):
        return None
    return Path(settings["CACHE_PATH"])


def save_as_of(url: str) -> str:
    """The file a page URL is served from: a folder URL's index.html."""
    return url + "index.html" if url.endswith("/") or not url else url


def page_location(settings: dict, name: str, **fields) -> tuple[str, str]:
    """(url, save_as) of a page kind, Pelican's pair: NAME_URL, and NAME_SAVE_AS
    when the site sets one, else the URL's own index.html."""
    url = setting(settings, f"{name}_URL").format(**fields)
    pattern = settings.get(f"{name}_SAVE_AS") or DEFAULTS.get(f"{name}_SAVE_AS")
    return url, pattern.format(**fields) if pattern else save_as_of(url)


def links_from(settings: dict, location: str) -> Callable[[str], str]:
    """How a data file at `location` (disclosure/report.json, data/, addresses/)
    names a page of the site. Data is read away from the site: by the page's
    absolute address when the site has one, else relative to the file's folder."""
    relative = settings.get("RELATIVE_URLS") or not settings.get("SITEURL")
    base = "" if relative else str(settings["SITEURL"]).rstrip("/") + "/"
    base = base or "../" * location.count("/")
    return lambda url: base + url or "./"


def id_domain(settings: dict) -> str:
    """The domain of calendar UIDs and feed ids, by its new name or its old one."""
    return str(setting(settings, "DISCLOSURE_ID_DOMAIN") or setting(settings, "EVENTS_UID_DOMAIN"))


def workers(settings: dict) -> int:
    return setting(settings, "DISCLOSURE_WORKERS") or available_cores()


def as_of(settings: dict) -> date:
    value = setting(settings, "DISCLOSURE_AS_OF_OVERRIDE") or setting(settings, "DISCLOSURE_AS_OF")
    if value is None:
        return datetime.now(TIMEZONE).date()
    day = _valid_day(value)
    if day is None:  # settings_problems refuses it (S007) before anything is built
        raise ValueError(f"not a day: {value!r}")
    return day


def _valid_day(value) -> date | None:
    """A day written as records write one: 2026-11-26, 2026-1-5, full-width digits."""
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text, re.ASCII)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class SettingsInvalid(Exception):
    """Settings that must not build; every problem, worded for staff, and the
    records' own problems found alongside (all are reported together)."""

    def __init__(self, problems: list[str], records: list[Problem] | None = None):
        self.problems = problems
        self.records = sorted(records or [], key=lambda p: p.sort_key)
        super().__init__("设置有问题，没有生成网站：\n" + "\n".join(self.lines))

    @property
    def lines(self) -> list[str]:
        return self.problems + [str(p) for p in self.records]

    @property
    def summary(self) -> str:
        errors = sum(1 for p in self.records if p.severity is Severity.ERROR)
        records = f"、记录有 {errors} 个错误" if errors else ""
        return f"设置有 {len(self.problems)} 个问题{records}"


# Settings whose names start so belong to this plugin: any other such name is
# a typo that would otherwise be silently ignored (EVENT_URLS for EVENTS_URL).
_OURS = ("DISCLOSURE_", "COMMITTEE", "EVENT", "PLAN", "DATA_", "SEARCH_", "NOTICE_", "LISTING_")
# Settings whose default is None, and what they may be instead.
_OPTIONAL = {
    "COMMITTEE_SAVE_AS": (str,),
    "COMMITTEES_SAVE_AS": (str,),
    "DISCLOSURE_SAVE_AS": (str,),
    "DISCLOSURE_AS_OF": (str, date),
    "DISCLOSURE_AS_OF_OVERRIDE": (str, date),
    "DISCLOSURE_ID_DOMAIN": (str,),
    "DISCLOSURE_SITE_CODE": (str,),
    "DISCLOSURE_ICP": (str,),
    "DISCLOSURE_PSB": (str,),
    "DISCLOSURE_PUBLIC_SITEURL": (str,),
    "DISCLOSURE_WORKERS": (int,),
}


def _known_problems(settings: dict) -> list[str]:
    problems = []
    for name in sorted(settings):
        if not name.startswith(_OURS):
            continue
        value = settings[name]
        if name not in DEFAULTS:
            close = difflib.get_close_matches(name, list(DEFAULTS), n=1, cutoff=0.75)
            hint = f"是否想写 {close[0]}？" if close else "本插件的设置见 settings.py 的 DEFAULTS"
            problems.append(f"S011 不认识的设置 {name}：{hint}")
            continue
        if name in ("DISCLOSURE_AS_OF", "DISCLOSURE_AS_OF_OVERRIDE"):
            continue  # a day is checked as a day (S007) below
        wanted = _OPTIONAL.get(name) or type(DEFAULTS[name])
        if (value is not None and not isinstance(value, wanted)) or (
            value is None and name not in _OPTIONAL
        ):
            kind = wanted if isinstance(wanted, type) else wanted[0]
            expected = {bool: "True 或 False", int: "整数", str: "文字（加引号）"}[kind]
            problems.append(f"S012 设置 {name} 应为 {expected}，实际为 {value!r}")
    return problems


def settings_problems(settings: dict) -> list[str]:
    """Why these settings must not build, one line each (none when they may).

    Every entry point (validate, build, publish, plain `pelican`) asks here,
    so each gives the same answer.
    """
    problems = _known_problems(settings)
    zone = settings.get("TIMEZONE", "Asia/Shanghai")
    if zone != "Asia/Shanghai":
        # Records are read as Shanghai time throughout (events.times, calendars).
        problems.append(
            f'S013 本站的记录都按上海时间解释，TIMEZONE 应为 "Asia/Shanghai"，实际为 {quoted(zone)}'
        )
    for name, shown in (
        ("DISCLOSURE_AS_OF_OVERRIDE", "--as-of"),
        ("DISCLOSURE_AS_OF", "DISCLOSURE_AS_OF"),
    ):
        value = setting(settings, name)
        if value is None:
            continue
        day = _valid_day(value)
        if day is None:
            problems.append(
                f"S007 {shown} 应为 YYYY-MM-DD 格式的日期，例如 2026-11-26，"
                f"实际为 {quoted_short(value)}"
            )
        elif (why := outside(day)) is not None:
            # the same window as every date in a record: nothing judged from
            # this day may leave what a date can hold
            problems.append(f"S007 {shown} {why}，实际为 {day.isoformat()}")
    count = setting(settings, "DISCLOSURE_WORKERS")
    if isinstance(count, bool) or (isinstance(count, int) and count < 1):
        problems.append(
            "S017 设置 DISCLOSURE_WORKERS 应为 1 或更大的整数（同时工作的进程数），"
            f"实际为 {count!r}"
        )
    problems += _theme_static_problems(settings)
    return (
        problems
        + _listing_problems(settings)
        + _filing_problems(settings)
        + _public_url_problems(settings)
        + _publishing_problems(settings)
    )


def theme_static_folder(settings: dict) -> str | None:
    """Where in the site Pelican copies the theme's files ("." for the site's
    root), or None for a THEME_STATIC_DIR that leads out of it: Pelican joins
    it to OUTPUT_PATH as written, so "/" or "../x" would copy them into the
    machine's root folder or beside output/."""
    folder = settings.get("THEME_STATIC_DIR", "theme")
    if not isinstance(folder, str):
        return None
    normal = posixpath.normpath(folder.replace("\\", "/"))
    return None if normal.startswith(("/", "../")) or normal == ".." else normal


def _theme_static_problems(settings: dict) -> list[str]:
    if theme_static_folder(settings) is not None:
        return []
    folder = settings.get("THEME_STATIC_DIR")
    return [
        'S018 设置 THEME_STATIC_DIR 应为网站里的一个文件夹，例如 "theme"，'
        f"实际为 {folder!r}：主题的样式和脚本会被复制到网站以外的地方"
    ]


def public_url(settings: dict) -> str | None:
    """The absolute address the site is read at (no trailing /), or None.

    DISCLOSURE_PUBLIC_SITEURL when set, else SITEURL when that is absolute: a
    development build (SITEURL "", RELATIVE_URLS) names its pages relatively,
    but a printed QR code must lead to the published site.
    """
    chosen = setting(settings, "DISCLOSURE_PUBLIC_SITEURL") or settings.get("SITEURL") or ""
    url = str(chosen).strip().rstrip("/")
    return url if _absolute_problem(url) is None else None


def _is_full_url(url: str) -> bool:
    """An http(s) address with a valid host and nothing a page address cannot carry."""
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    return not (
        re.search(r"[\s\"'<>\\^`{|}]", url)
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or not _host_is_valid(parts.hostname)
        or not port_ok
        or parts.username is not None
        or parts.query
        or parts.fragment
    )


def _absolute_problem(url: str) -> str | None:
    """Why `url` cannot be printed as the site's address (None: it can)."""
    parts = urlsplit(url)
    if not _is_full_url(url):
        return "不是完整的网址"
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        return "没有用 https://"
    return None


def _public_url_problems(settings: dict) -> list[str]:
    """The board notices need an absolute address for their QR codes.

    Only for settings Pelican has read (they always hold SITEURL): a bare
    dict of a few settings, as tests of other settings give, builds nothing.
    """
    if setting(settings, "DISCLOSURE_PUBLIC_SITEURL") is None and (
        "SITEURL" not in settings or setting(settings, "DISCLOSURE_PUBLISH")
    ):
        return []  # publishing checks SITEURL itself (S001 …)
    given = setting(settings, "DISCLOSURE_PUBLIC_SITEURL")
    name = "DISCLOSURE_PUBLIC_SITEURL" if given is not None else "SITEURL"
    url = str(given if given is not None else settings.get("SITEURL") or "").strip()
    if not isinstance(given, str | None):
        return []  # a wrong type is S012
    why = _absolute_problem(url.rstrip("/")) if url else "是空的"
    if why is None:
        return []
    shown = f"{name}={quoted(url)}" if url else f"{name} "
    return [
        f"S015 公示栏告示上的二维码要指向公开的网站，但网站地址 {shown}{why}："
        "请在 pelicanconf.py 中把 DISCLOSURE_PUBLIC_SITEURL 设为本站公开的完整网址（https://，可带子路径），"
        "例如 https://<网站域名>/jiedao/rihui"
    ]


def _listing_problems(settings: dict) -> list[str]:
    """Paged listings need a page size and a page address that differs page
    by page (a wrong type is S012)."""
    problems = []
    size = setting(settings, "LISTING_PAGE_SIZE")
    if isinstance(size, int) and not isinstance(size, bool) and size < 1:
        problems.append(
            f"S016 设置 LISTING_PAGE_SIZE（长列表每页最多列出几项）应为正整数，实际为 {size!r}"
        )
    pattern = setting(settings, "LISTING_PAGE_URL")
    if isinstance(pattern, str):
        fields = {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}
        if fields != {"listing", "number"} or not pattern.startswith("{listing}"):
            problems.append(
                f"S016 设置 LISTING_PAGE_URL 应以 {{listing}} 开头并含 {{number}}，"
                f"例如 {quoted(DEFAULTS['LISTING_PAGE_URL'])}，实际为 {quoted(pattern)}"
            )
    return problems


# The footer's filing numbers: what each looks like, shown in a problem.
_FILINGS = {
    "DISCLOSURE_SITE_CODE": ("网站标识码", "应为 10 位字母或数字，照分配的原样填写", "3101040001"),
    "DISCLOSURE_ICP": ("ICP备案号", "应照工信部备案信息原样填写", "沪ICP备12345678号-1"),
    "DISCLOSURE_PSB": ("公安备案号", "应照公安备案信息原样填写", "沪公网安备31010402000001号"),
}


def _filing_problems(settings: dict) -> list[str]:
    """A filing number the footer cannot show as it is (a wrong type is S012)."""
    problems = []
    for name, (what, how, example) in _FILINGS.items():
        value = setting(settings, name)
        if not isinstance(value, str):
            continue
        text = unicodedata.normalize("NFKC", value).strip()
        if name == "DISCLOSURE_SITE_CODE":
            wrong = not re.fullmatch(r"[A-Za-z0-9]{10}", text, re.ASCII)
        elif name == "DISCLOSURE_ICP":
            wrong = not re.search(r"ICP[备证]\s*\d+", text, re.ASCII | re.IGNORECASE)
        else:
            wrong = psb_record_code(text) is None
        if wrong:
            shown = f"实际为 {quoted_short(value)}" if text else "实际是空的"
            problems.append(
                f"S014 {what} {name} {how}，例如 {quoted(example)}，{shown}；"
                "没有的请写 None（网站底部就不显示这一项）"
            )
    return problems


def psb_record_code(text: str) -> str | None:
    """The record number of a 公安备案号 (its digits), which its record page is found by."""
    match = re.fullmatch(r"\D*?(\d{10,16})\s*号?\s*", unicodedata.normalize("NFKC", text), re.ASCII)
    return match.group(1) if match else None


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
    uid_domain = id_domain(settings)
    if _is_placeholder(uid_domain) and not (sample and demonstration):
        problems.append(
            f"S009 日历和订阅的 ID 域名 DISCLOSURE_ID_DOMAIN = {quoted(uid_domain)} 是示例：请在 "
            "pelicanconf.py 中设为本站自己的域名；居民订阅日历以后就不要再改，"
            "否则每个活动会重复出现"
        )
    override = setting(settings, "DISCLOSURE_AS_OF_OVERRIDE")
    if override and _valid_day(override) and _valid_day(override) > as_of({}):
        problems.append(
            f"S010 --as-of {override} 晚于今天（上海）：正式发布只能按今天或过去的某一天生成"
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


def _is_placeholder(host: str) -> bool:
    host = host.lower().rstrip(".")
    labels = host.split(".")
    return (
        host.endswith(_RESERVED_SUFFIXES)
        or any(host == d or host.endswith("." + d) for d in _RESERVED_DOMAINS)
        or host in ("example", "invalid", "test")
        # the shape our own messages use as an example: www.xxx.gov.cn
        or any(set(label) <= {"x"} for label in labels if label)
    )


_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$")


def _host_is_valid(host: str) -> bool:
    if host.startswith("[") or ":" in host:
        return host.strip("[]") == "::1"
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    return bool(_HOST.match(ascii_host))


def _site_url_problems(url: str) -> list[str]:
    example = "例如 https://<网站域名>/jiedao"
    if not url.strip():
        return [
            "S001 没有设置网站地址：正式发布前请设置环境变量 SITE_URL，"
            f"{example}；网页、订阅和日历中的链接都用它"
        ]
    parts = urlsplit(url)
    if not _is_full_url(url):
        return [
            f"S003 网站地址 SITE_URL={quoted(url)} 不是完整的网址：应以 https:// 开头，"
            f"不含用户名密码、空格、引号、尖括号、? 和 #，{example}"
        ]
    if _is_placeholder(parts.hostname):
        return [
            f"S002 网站地址 SITE_URL={quoted(url)} 是示例地址，公众无法访问：请设为本站真实的网址"
        ]
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        return [
            f"S008 网站地址 SITE_URL={quoted(url)} 没有用 https://：公开的网站请用 https；"
            "只有在本机测试时才可以用 http://127.0.0.1"
        ]
    return []
