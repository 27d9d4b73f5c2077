"""Every calendar and feed the build writes, parsed back with icalendar and an XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import PUBLISHED_URL, ROOT, build, replace_in
from dateutil.rrule import rrulestr
from icalendar import Calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVENT_FILES = sorted((ROOT / "content/data/events").rglob("*.yaml"))
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(path) -> Calendar:
    calendar = Calendar.from_ical(path.read_bytes())
    calendar.validate()  # the properties and components RFC 5545 requires
    return calendar


def by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture(scope="module")
def all_events(example_site) -> dict:
    return by_uid(parse(example_site / "events/events.ics"))


def test_every_calendar_parses_and_names_its_time_zone(example_site):
    files = sorted(example_site.rglob("*.ics"))
    assert len(files) == 1 + len(EVENT_FILES) + 5  # all, one per event, one per series
    for path in files:
        calendar = parse(path)
        assert str(calendar["VERSION"]) == "2.0"
        assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
        timed = [e for e in calendar.walk("VEVENT") if isinstance(e["DTSTART"].dt, datetime)]
        zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
        assert zones == (["Asia/Shanghai"] if timed else []), path
        for event in timed:
            assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"


def test_the_calendar_of_all_events_has_each_event_once(all_events):
    assert len(all_events) == len(EVENT_FILES)
    expected = {f"{p.parent.name}-{p.stem}@rihui.example" for p in EVENT_FILES}
    assert set(all_events) == expected


def test_times_are_local_to_shanghai(all_events):
    festival = all_events["2020-zhongqiu-guoqing-youyuanhui@rihui.example"]
    start = festival["DTSTART"].dt
    assert start == datetime(2020, 10, 1, 9, 0, tzinfo=SHANGHAI)
    assert start.astimezone(ZoneInfo("UTC")).hour == 1  # 09:00 in Shanghai is 01:00 UTC
    assert festival["DTEND"].dt == datetime(2020, 10, 1, 11, 30, tzinfo=SHANGHAI)
    assert str(festival["LOCATION"]) == "海珀旭晖邻里汇（上海市徐汇区龙华东路68弄1号）"
    assert str(festival["STATUS"]) == "CONFIRMED"


def test_all_day_events_use_dates_with_an_exclusive_end(all_events):
    exhibition = all_events["2020-xiqu-fushi-zhan@rihui.example"]
    assert exhibition["DTSTART"].dt == date(2020, 11, 2)
    assert exhibition["DTEND"].dt == date(2020, 12, 1)  # the day after 11-30 (RFC 5545 3.6.1)


def test_recurring_events_have_rrule_and_exdate_that_give_the_listed_dates(all_events):
    opera = all_events["2020-yueju-zhezixi@rihui.example"]
    assert opera["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20201031T155959Z;BYDAY=SA"
    excluded = [d.dt for d in opera["EXDATE"].dts]
    assert excluded == [datetime(2020, 10, 24, 14, 0, tzinfo=SHANGHAI)]
    start = opera["DTSTART"].dt
    rule = rrulestr(opera["RRULE"].to_ical().decode(), dtstart=start)
    held = [d for d in rule if d not in excluded]
    assert [(d.month, d.day, d.hour) for d in held] == [(10, 10, 14), (10, 17, 14), (10, 31, 14)]


def test_a_cancelled_event_is_cancelled_in_calendars(all_events, example_site):
    cancelled = all_events["2026-zuojia-jianmianhui@rihui.example"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]) == "【已取消】汇阅读·作家见面会"
    assert str(cancelled["DESCRIPTION"]).startswith("【本活动已取消】嘉宾行程冲突")
    own = by_uid(parse(example_site / "events/2026/zuojia-jianmianhui.ics"))
    assert str(own["2026-zuojia-jianmianhui@rihui.example"]["STATUS"]) == "CANCELLED"


def test_postponed_events_in_calendars(all_events):
    moved = all_events["2020-shudian-zhi-ye@rihui.example"]
    assert moved["DTSTART"].dt == datetime(2020, 10, 17, 19, 0, tzinfo=SHANGHAI)
    assert moved["DTEND"].dt - moved["DTSTART"].dt == timedelta(minutes=90)
    assert str(moved["STATUS"]) == "CONFIRMED"
    assert "原定 2020年9月12日（周六）19:00–20:30" in str(moved["DESCRIPTION"])
    pending = all_events["2020-huyu-gushihui@rihui.example"]
    assert str(pending["STATUS"]) == "TENTATIVE"
    assert str(pending["SUMMARY"]).startswith("【已延期】")


def test_series_calendars_hold_their_series(example_site):
    youxi = by_uid(parse(example_site / "events/series/rihui-youxi.ics"))
    assert set(youxi) == {
        "2020-yueju-zhezixi@rihui.example",
        "2020-shaoer-jingju-ban@rihui.example",
        "2020-huju-zhuanchang@rihui.example",
        "2020-xiqu-fushi-zhan@rihui.example",
        "2026-jingju-mingduan@rihui.example",
    }


def test_calendars_are_the_same_bytes_whichever_day_they_are_built(content, tmp_path, example_site):
    again = build(content, tmp_path / "output", DISCLOSURE_AS_OF="2020-10-15").output
    for path in example_site.rglob("*.ics"):
        relative = path.relative_to(example_site)
        assert (again / relative).read_bytes() == path.read_bytes(), relative


def test_uids_survive_an_edit_and_dtstamp_follows_the_record(content, tmp_path, example_site):
    path = content / "data/events/2020/chongyang-chahuahui.yaml"
    replace_in(path, "end: 16:00", "end: 16:30\nupdated: 2020-10-20")
    again = by_uid(parse(build(content, tmp_path / "output").output / "events/events.ics"))
    before = by_uid(parse(example_site / "events/events.ics"))
    assert set(again) == set(before)
    event = again["2020-chongyang-chahuahui@rihui.example"]
    assert event["DTEND"].dt == datetime(2020, 10, 25, 16, 30, tzinfo=SHANGHAI)
    assert event["DTSTAMP"].dt == datetime(2020, 10, 19, 16, 0, tzinfo=ZoneInfo("UTC"))


def test_published_calendars_link_back_to_the_event_page(content, tmp_path):
    out = build(content, tmp_path / "output", settings="publishconf.py").output
    event = by_uid(parse(out / "events/events.ics"))["2020-chongyang-chahuahui@rihui.example"]
    page = f"{PUBLISHED_URL}/events/2020/chongyang-chahuahui/"
    assert str(event["URL"]) == page
    assert f"详情：{page}" in str(event["DESCRIPTION"])


def test_atom_feed_of_newly_announced_events(example_site):
    feed = ET.parse(example_site / "events/feed.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(EVENT_FILES)
    first = entries[0]
    assert first.find(f"{ATOM}updated").text == "2026-11-25T00:00:00+08:00"
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "【已取消】汇阅读·作家见面会" in titles
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    assert "tag:rihui.example,2020:events/2020/chongyang-chahuahui" in ids


def test_a_calendar_of_entries_made_once_is_what_icalendar_writes_for_the_whole():
    # each event's entry is made once and put in its own, its series' and the
    # all-events calendar: the bytes must be icalendar's own for each calendar
    from disclosure.events import calendars
    from disclosure.events.views import EventUrls, build_events_view
    from disclosure.site import load_site_data

    site = load_site_data(ROOT / "content")
    _, views = build_events_view(
        site.events,
        site.event_series,
        urls=EventUrls.from_settings({}),
        committees={c.slug: (c.name, f"committees/{c.slug}/") for c in site.committees},
        as_of=date(2026, 11, 26),
        on_home_page=4,
    )
    pairs = [(event, views[event.key]) for event in site.events]
    where = {"domain": "rihui.example", "site_url": PUBLISHED_URL}
    entries = {event.key: calendars.entry(event, view, **where) for event, view in pairs}
    for chosen in (pairs, pairs[:1], [p for p in pairs if p[0].series], []):
        spliced = calendars.calendar("名", "说明", chosen, entries=entries, **where)
        plain = _whole_calendar("名", "说明", chosen, **where)
        assert spliced == plain


def _whole_calendar(name, description, pairs, *, domain, site_url) -> bytes:
    """The calendar as icalendar serialises it in one piece (as before entries were shared)."""
    from disclosure.events import calendars

    cal = calendars.empty_calendar(name, description, pairs)
    for event, view in sorted(pairs, key=lambda pair: pair[0].key):
        cal.add_component(calendars.vevent(event, view, domain=domain, site_url=site_url))
    return cal.to_ical()
