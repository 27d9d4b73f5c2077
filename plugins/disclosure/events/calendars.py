"""Calendar feeds (RFC 5545), built with the icalendar library.

Times come from the typed record, words from the event's view (so a masked
registration number stays masked in calendars too). Nothing here depends on
the day of the build: UIDs and DTSTAMPs come from the record, so the same
records always give the same bytes and residents' calendars never see an
event twice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from ..core.memo import ByIdentity
from ..settings import TIMEZONE
from .model import Event, EventState
from .times import Moment, aware, is_all_day
from .views import EventView

PRODUCT_ID = "-//Rihui Subdistrict//Disclosure Site//ZH"
_ICAL_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "CONFIRMED"}
# Shanghai has kept +08:00 since 1991, so one STANDARD component is the whole story.
_VTIMEZONE = Timezone.from_tzinfo(
    TIMEZONE, tzid="Asia/Shanghai", first_date=date(2000, 1, 1), last_date=date(2100, 1, 1)
)


def uid(event: Event, domain: str) -> str:
    """Stable for as long as the file keeps its folder and name."""
    return f"{event.year}-{event.slug}@{domain}"


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=TIMEZONE).astimezone(UTC)


def _value(moment: Moment, *, as_end: bool = False) -> date | datetime:
    if is_all_day(moment):
        # DTEND of an all-day event is the day after its last day (RFC 5545 3.6.1)
        return aware(moment, as_end=as_end).date() if as_end else moment
    return aware(moment)


def _description(view: EventView, site_url: str) -> str:
    lines = [view.summary, ""]
    if view.status == "cancelled":
        lines.insert(0, "【本活动已取消】" + (view.status_note or ""))
    elif view.status == "postponed":
        moved = f"原定 {view.original_when}，改为 {view.when}" if view.original_when else ""
        lines.insert(
            0, "【本活动已延期，新时间另行通知】" if view.pending else f"【已改期】{moved}"
        )
        if view.status_note:
            lines.insert(1, view.status_note)
    lines.append(f"主办：{view.organiser}")
    lines.append(f"费用：{view.fee}")
    registration = view.registration
    if registration is None or not registration.required:
        lines.append("报名：无需报名")
    else:
        how = [
            part
            for part in (
                registration.how,
                f"电话 {registration.phone.text}" if registration.phone else None,
                registration.url,
                f"截止 {registration.until}" if registration.until else None,
            )
            if part
        ]
        lines.append("报名：需要报名，" + "；".join(how))
    if view.accessibility:
        lines.append(f"无障碍：{view.accessibility}")
    if site_url:
        lines.append(f"详情：{site_url}/{view.url}")
    return "\n".join(lines)


def vevent(event: Event, view: EventView, *, domain: str, site_url: str) -> VEvent:
    component = VEvent()
    component.add("uid", uid(event, domain))
    component.add("dtstamp", _stamp(event.updated or event.announced))
    component.add("created", _stamp(event.announced))
    component.add("last-modified", _stamp(event.updated or event.announced))
    occurrence = event.moved_to or event.first
    component.add("dtstart", _value(occurrence.start))
    component.add("dtend", _value(occurrence.end, as_end=True))
    if event.repeat is not None:
        component.add("rrule", event.repeat.rule.rrule_parts(event.start))
        skipped = sorted(event.skipped)
        if skipped:
            at_time = None if is_all_day(event.start) else event.start.time()
            component.add(
                "exdate",
                [
                    day if at_time is None else aware(datetime.combine(day, at_time))
                    for day in skipped
                ],
            )
    # a calendar entry keeps its time when moved, so only these need saying
    prefix = view.state.marked if view.state in (EventState.CANCELLED, EventState.PENDING) else ""
    component.add("summary", prefix + event.title)
    component.add("location", f"{event.venue}（{event.address}）")
    component.add("description", _description(view, site_url))
    component.add("categories", [c for c in (event.category, view.series_name) if c])
    component.add("status", "TENTATIVE" if view.pending else _ICAL_STATUS[event.status])
    component.add("transp", "TRANSPARENT")  # a resident is not "busy" because of a listing
    if site_url:
        component.add("url", f"{site_url}/{view.url}")
    return component


def entry(event: Event, view: EventView, *, domain: str, site_url: str) -> bytes:
    """One event's VEVENT as it stands in every calendar that holds it."""
    return vevent(event, view, domain=domain, site_url=site_url).to_ical()


# Each event's entry as the last build made it (core.memo): icalendar takes
# about half a millisecond an event, a second and a half for a city's.
_ENTRIES: ByIdentity[bytes] = ByIdentity(within_build=False)


def entries(
    pairs: list[tuple[Event, EventView]],
    *,
    domain: str,
    site_url: str,
    made_by: Callable[[Callable, list], list],
) -> dict[str, bytes]:
    """`entry()` of each pair by event key: kept ones as they were, the others
    made by `made_by(function, pairs)` (map_forked among the cores)."""
    found: dict[str, bytes] = {}
    wanted = []
    for pair in pairs:
        kept = _ENTRIES.find(pair, (domain, site_url))
        if kept is None:
            wanted.append(pair)
        else:
            found[pair[0].key] = kept
    made = made_by(functools.partial(_entry, domain=domain, site_url=site_url), wanted)
    for pair, one in zip(wanted, made, strict=True):
        _ENTRIES.keep(pair, (domain, site_url), one)
        found[pair[0].key] = one
    return found


def _entry(pair: tuple[Event, EventView], *, domain: str, site_url: str) -> bytes:
    return entry(*pair, domain=domain, site_url=site_url)


_END = b"END:VCALENDAR\r\n"


def calendar(
    name: str,
    description: str,
    pairs: list[tuple[Event, EventView]],
    *,
    domain: str,
    site_url: str,
    entries: dict[str, bytes] | None = None,
) -> bytes:
    """One VCALENDAR of the given events, with the Shanghai VTIMEZONE.

    `entries` (event key -> `entry()`) are the events made once for every
    calendar of a build: an event is in its own, its series' and the
    all-events calendar. The bytes are what icalendar writes for the whole.
    """
    head = empty_calendar(name, description, pairs).to_ical()
    events = [
        entries[event.key] if entries else entry(event, view, domain=domain, site_url=site_url)
        for event, view in sorted(pairs, key=lambda pair: pair[0].key)
    ]
    return head.removesuffix(_END) + b"".join(events) + _END


# Each calendar as the last build made it, by its events and views (core.memo).
_CALENDARS: ByIdentity[bytes] = ByIdentity(within_build=False)


def calendars(
    wanted: list[tuple[str, str, list[tuple[Event, EventView]]]],
    *,
    domain: str,
    site_url: str,
    made_by: Callable[[Callable, list], list],
) -> list[bytes]:
    """`calendar(name, description, pairs)` of each, with every event's entry
    made once: kept ones as they were, the others made by `made_by` (map_forked)."""
    pairs = {pair[0].key: pair for _, _, members in wanted for pair in members}
    made_once = entries(list(pairs.values()), domain=domain, site_url=site_url, made_by=made_by)

    def made_from(members: list) -> tuple:
        return tuple(one for pair in members for one in pair)

    found: list[bytes | None] = [
        _CALENDARS.find(made_from(members), (name, description, domain, site_url))
        for name, description, members in wanted
    ]
    left = [index for index, kept in enumerate(found) if kept is None]
    one = functools.partial(_calendar, domain=domain, site_url=site_url, entries=made_once)
    for index, made in zip(left, made_by(one, [wanted[i] for i in left]), strict=True):
        name, description, members = wanted[index]
        _CALENDARS.keep(made_from(members), (name, description, domain, site_url), made)
        found[index] = made
    return found


def _calendar(job, *, domain: str, site_url: str, entries: dict[str, bytes]) -> bytes:
    name, description, members = job
    return calendar(name, description, members, domain=domain, site_url=site_url, entries=entries)


def empty_calendar(name: str, description: str, pairs: list[tuple[Event, EventView]]) -> Calendar:
    """The calendar's own properties, and the time zone its timed events need."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    if any(not is_all_day(event.start) for event, _ in pairs):
        cal.add_component(_VTIMEZONE)
    return cal
