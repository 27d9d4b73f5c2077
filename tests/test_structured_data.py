"""schema.org JSON-LD on committee and event pages: the vocabulary it uses, the
values it holds, and that nothing in a record can break out of the script."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import PUBLISHED_URL, build, committee_file, replace_in
from disclosure.committees.views import CommitteeView
from disclosure.structured_data import as_script, committee_data, is_free
from disclosure.values.phones import PhoneView

S = "https://schema.org/"

# The part of the schema.org vocabulary these pages use, transcribed from the
# type and property pages of schema.org release 28 (https://schema.org/docs/releases.html).
# type -> its direct supertypes
TYPES = {
    "Thing": (),
    "Place": ("Thing",),
    "Organization": ("Thing",),
    "LocalBusiness": ("Organization", "Place"),
    "GovernmentOffice": ("LocalBusiness",),
    "Event": ("Thing",),
    "Intangible": ("Thing",),
    "StructuredValue": ("Intangible",),
    "ContactPoint": ("StructuredValue",),
    "PostalAddress": ("ContactPoint",),
    "OpeningHoursSpecification": ("StructuredValue",),
}
# property -> (the types it may be used on: its domain, the values it expects: its range)
PROPERTIES = {
    "name": ({"Thing"}, {"Text"}),
    "description": ({"Thing"}, {"Text", "TextObject"}),
    "url": ({"Thing"}, {"URL"}),
    "address": (
        {"Place", "Organization", "Person", "GeoCoordinates", "GeoShape"},
        {"PostalAddress", "Text"},
    ),
    "telephone": ({"Place", "Organization", "Person", "ContactPoint"}, {"Text"}),
    "openingHoursSpecification": ({"Place"}, {"OpeningHoursSpecification"}),
    "specialOpeningHoursSpecification": ({"Place"}, {"OpeningHoursSpecification"}),
    "streetAddress": ({"PostalAddress"}, {"Text"}),
    "addressLocality": ({"PostalAddress"}, {"Text"}),
    "addressCountry": (
        {"PostalAddress", "DefinedRegion", "GeoShape", "Place"},
        {"Country", "Text"},
    ),
    "dayOfWeek": (
        {"OpeningHoursSpecification", "EducationalOccupationalProgram", "Offer"},
        {"DayOfWeek"},
    ),
    "opens": ({"OpeningHoursSpecification", "LocationFeatureSpecification"}, {"Time"}),
    "closes": ({"OpeningHoursSpecification", "LocationFeatureSpecification"}, {"Time"}),
    "validFrom": (
        {"OpeningHoursSpecification", "Offer", "PriceSpecification", "Demand"},
        {"Date", "DateTime"},
    ),
    "validThrough": (
        {"OpeningHoursSpecification", "Offer", "PriceSpecification", "Demand", "JobPosting"},
        {"Date", "DateTime"},
    ),
    "startDate": ({"Event", "CreativeWorkSeason", "Role", "Schedule"}, {"Date", "DateTime"}),
    "endDate": ({"Event", "CreativeWorkSeason", "Role", "Schedule"}, {"Date", "DateTime"}),
    "previousStartDate": ({"Event"}, {"Date"}),
    "eventStatus": ({"Event"}, {"EventStatusType"}),
    "eventAttendanceMode": ({"Event"}, {"EventAttendanceModeEnumeration"}),
    "location": (
        {"Event", "Organization", "Action", "InteractionCounter"},
        {"Place", "PostalAddress", "Text", "VirtualLocation"},
    ),
    "organizer": ({"Event", "Action"}, {"Organization", "Person"}),
    "isAccessibleForFree": ({"Event", "Place", "CreativeWork", "Offer"}, {"Boolean"}),
}
# Enumerations: their members, written as schema.org URLs.
ENUMERATIONS = {
    "DayOfWeek": {
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "PublicHolidays",
    },
    "EventStatusType": {
        "EventScheduled",
        "EventCancelled",
        "EventPostponed",
        "EventRescheduled",
        "EventMovedOnline",
    },
    "EventAttendanceModeEnumeration": {
        "OfflineEventAttendanceMode",
        "OnlineEventAttendanceMode",
        "MixedEventAttendanceMode",
    },
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?\+08:00")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")


def ancestry(kind: str) -> set[str]:
    found = {kind}
    for parent in TYPES[kind]:
        found |= ancestry(parent)
    return found


def _fits(value, expected: set[str]) -> bool:
    if isinstance(value, dict):
        return bool(ancestry(value["@type"]) & expected)
    if isinstance(value, bool):
        return "Boolean" in expected
    if not isinstance(value, str):
        return False
    for kind in expected:
        if kind in ENUMERATIONS and value.removeprefix(S) in ENUMERATIONS[kind]:
            return value.startswith(S)
    checks = {
        "Text": lambda v: bool(v.strip()),
        "URL": lambda v: v.startswith(("https://", "http://")),
        "Date": lambda v: bool(_DATE.fullmatch(v)) and bool(date.fromisoformat(v)),
        "DateTime": lambda v: bool(_DATETIME.fullmatch(v)),
        "Time": lambda v: bool(_TIME.fullmatch(v)),
    }
    return any(checks[kind](value) for kind in expected if kind in checks)


def vocabulary_problems(node, where: str = "") -> list[str]:
    """Every type, property and value that schema.org does not allow where it stands."""
    if isinstance(node, list):
        return [
            p for i, item in enumerate(node) for p in vocabulary_problems(item, f"{where}[{i}]")
        ]
    problems = []
    kind = node.get("@type")
    if kind not in TYPES:
        return [f"{where}: unknown type {kind!r}"]
    for name, value in node.items():
        if name == "@context":
            if value != "https://schema.org":
                problems.append(f"{where}: @context {value!r}")
            continue
        if name == "@type":
            continue
        if name not in PROPERTIES:
            problems.append(f"{where}.{name}: not a property we know")
            continue
        domain, expected = PROPERTIES[name]
        if not ancestry(kind) & domain:
            problems.append(f"{where}.{name}: not a property of {kind}")
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if not _fits(item, expected):
                problems.append(f"{where}.{name}[{i}]: {item!r} is not {sorted(expected)}")
            if isinstance(item, dict):
                problems += vocabulary_problems(item, f"{where}.{name}[{i}]")
    return problems


_SCRIPT = re.compile(r'<script type="application/ld\+json">\n(.*?)\n</script>', re.S)


def json_ld(page: Path):
    found = _SCRIPT.findall(page.read_text("utf-8"))
    assert len(found) == 1, page
    return json.loads(found[0])


# ---- the vocabulary ---------------------------------------------------------------------------


def test_every_committee_and_event_page_uses_schema_org_as_defined(example_site):
    pages = [
        *example_site.glob("committees/*/index.html"),
        *example_site.glob("events/2*/*/index.html"),
    ]
    assert len(pages) == 19 + 24
    for page in pages:
        assert vocabulary_problems(json_ld(page)) == [], page


def test_the_checker_itself_refuses_what_schema_org_does_not_allow():
    bad = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "x",
        "telephone": "021-1",  # not a property of Event
        "eventStatus": "Cancelled",  # not a member URL
        "startDate": "2026-11-28 14:00",  # not ISO 8601
        "location": {"@type": "Place", "opens": "08:30"},  # not a property of Place
    }
    assert len(vocabulary_problems(bad)) == 4


def test_no_other_page_carries_structured_data(example_site):
    for page in example_site.rglob("*.html"):
        if re.search(r"/(committees/[^/]+|events/\d{4}/[^/]+)/index\.html$", page.as_posix()):
            continue
        assert "application/ld+json" not in page.read_text("utf-8"), page


# ---- committees ---------------------------------------------------------------------------------


def test_a_committee_is_a_government_office_with_its_hours_and_closures(example_site):
    data = json_ld(example_site / "committees/rihui-liucun/index.html")
    assert data["@type"] == "GovernmentOffice"
    assert data["name"] == "日晖六村居民区"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "上海市徐汇区零陵路80弄1号",
        "addressLocality": "上海市",
        "addressCountry": "CN",
    }
    assert data["telephone"] == "021-6418 1185"
    weekdays = [S + d for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
    hours = {
        (spec["opens"], spec["closes"]): spec["dayOfWeek"]
        for spec in data["openingHoursSpecification"]
    }
    # as the page's table says: 周一至周五 08:30–11:30、13:00–17:00, 周二、周四 also 18:00–20:00
    assert hours == {
        ("08:30", "11:30"): weekdays,
        ("13:00", "17:00"): weekdays,
        ("18:00", "20:00"): [S + "Tuesday", S + "Thursday"],
    }
    # closures still to come, closed all day (no opens/closes); the past one is not there
    assert data["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-12-10",
            "validThrough": "2026-12-10",
            "description": "全体社工参加区里培训，当天暂停服务",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2027-01-01",
            "validThrough": "2027-01-03",
            "description": "元旦放假",
        },
    ]
    assert "url" not in data  # a preview has no address to give


def test_a_masked_number_is_left_out_entirely(example_site):
    view = CommitteeView(
        slug="x",
        url="committees/x/",
        name="测试居民区",
        address="上海市徐汇区测试路1号",
        office_phone=PhoneView("138 **** 5678", None, True, "一三八，隐去四位，五六七八"),
        verified=None,
        description="",
        timetable=None,
        hours_notes="",
        closures=[],
        block_leaders=[],
        uncovered=[],
        addresses=[],
        emergency=[],
        open_days="未公开",
    )
    data = committee_data(view)
    assert "telephone" not in data and "openingHoursSpecification" not in data
    assert "5678" not in json.dumps(data)
    published = dataclasses.replace(
        view,
        office_phone=PhoneView(
            "021-6418 1185", "tel:02164181185", False, "零二一 六四一八 一一八五"
        ),
    )
    assert committee_data(published)["telephone"] == "021-6418 1185"


def test_published_pages_name_their_absolute_address(content, tmp_path):
    out = build(content, tmp_path / "output", "publishconf.py").output
    committee = json_ld(out / "committees/rihui-liucun/index.html")
    assert committee["url"] == f"{PUBLISHED_URL}/committees/rihui-liucun/"
    event = json_ld(out / "events/2026/zuojia-jianmianhui/index.html")
    assert event["url"] == f"{PUBLISHED_URL}/events/2026/zuojia-jianmianhui/"
    assert vocabulary_problems(committee) == vocabulary_problems(event) == []


# ---- events ------------------------------------------------------------------------------------


def test_an_event_with_its_place_organiser_and_fee(example_site):
    data = json_ld(example_site / "events/2026/zuojia-jianmianhui/index.html")
    assert data["@type"] == "Event"
    assert data["name"] == "汇阅读·作家见面会"
    assert data["eventStatus"] == S + "EventCancelled"
    assert data["eventAttendanceMode"] == S + "OfflineEventAttendanceMode"
    # a cancelled event keeps the time it was announced for
    assert (data["startDate"], data["endDate"]) == (
        "2026-12-12T14:00:00+08:00",
        "2026-12-12T15:30:00+08:00",
    )
    assert data["location"]["@type"] == "Place" and data["location"]["name"]
    assert data["location"]["address"]["addressCountry"] == "CN"
    assert data["organizer"]["@type"] == "Organization" and data["organizer"]["name"]
    assert data["isAccessibleForFree"] is True
    assert data["description"]


@pytest.mark.parametrize(
    ("page", "status", "start", "previous"),
    [
        ("2020/shudian-zhi-ye", "EventRescheduled", "2020-10-17T19:00:00+08:00", "2020-09-12"),
        ("2020/huyu-gushihui", "EventPostponed", "2020-11-28T14:00:00+08:00", None),
        ("2020/guangchangwu-xuanba", "EventCancelled", "2020-08-08T18:30:00+08:00", None),
    ],
)
def test_changed_events_say_how_they_stand(example_site, page, status, start, previous):
    data = json_ld(example_site / f"events/{page}/index.html")
    assert (data["eventStatus"], data["startDate"]) == (S + status, start)
    assert data.get("previousStartDate") == previous


def test_a_recurring_event_is_one_event_per_time_it_is_held(example_site):
    data = json_ld(example_site / "events/2026/jingju-mingduan/index.html")
    # every Saturday 2026-11-28 to 2026-12-19, 14:00–16:00, except 2026-12-12
    assert [(e["startDate"], e["endDate"]) for e in data] == [
        (f"2026-{day}T14:00:00+08:00", f"2026-{day}T16:00:00+08:00")
        for day in ("11-28", "12-05", "12-19")
    ]
    assert {e["eventStatus"] for e in data} == {S + "EventScheduled"}


def test_an_all_day_event_gives_its_days(example_site):
    data = json_ld(example_site / "events/2026/laozhaopian-zhan/index.html")
    assert (data["startDate"], data["endDate"]) == ("2026-11-10", "2026-12-20")


@pytest.mark.parametrize(
    ("fee", "free"),
    [
        ("免费", True),
        ("免费（戏服由基地提供）", True),
        ("每人 20 元", False),
        ("材料费自理", None),
        ("收费，详见海报", False),
    ],
)
def test_free_only_where_the_fee_says_so_plainly(fee, free):
    assert is_free(fee) is free


# ---- escaping ------------------------------------------------------------------------------------

HOSTILE = "</script><script>alert(1)</script><!-- 戏 & 曲 -->"


def test_record_text_cannot_end_the_script(content, tmp_path):
    record = content / "data/events/2026/zuojia-jianmianhui.yaml"
    replace_in(record, "title: 汇阅读·作家见面会", f"title: '汇阅读{HOSTILE}'")
    replace_in(committee_file(content), "name: 日晖六村居民区", "name: '日晖六村</SCRIPT >居民区'")
    out = build(content, tmp_path / "output").output
    for page, field, expected in (
        ("events/2026/zuojia-jianmianhui/index.html", "name", f"汇阅读{HOSTILE}"),
        ("committees/rihui-liucun/index.html", "name", "日晖六村</SCRIPT >居民区"),
    ):
        script = _SCRIPT.findall((out / page).read_text("utf-8"))[0]
        assert "<" not in script and ">" not in script and "&" not in script
        assert json.loads(script)[field] == expected


def test_as_script_escapes_what_html_would_read():
    text = str(as_script({"@type": "Thing", "name": "a</script>b<!--c-->&d\u2028e"}))
    inner = text.split("\n", 1)[1].rsplit("\n", 1)[0]
    assert inner.count("<") == inner.count(">") == 0
    assert "\u2028" not in inner
    assert json.loads(inner)["name"] == "a</script>b<!--c-->&d\u2028e"
