"""schema.org JSON-LD for committee and event pages, built from their views.

Only views reach here, never records: a phone that may not be published is
masked in the view (`PhoneView.tel is None`) and is left out entirely, so no
part of a masked number can reach the structured data either. The script is
escaped for HTML: record text cannot close the <script> element or open a
comment inside it.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from .committees.views import CommitteeView, DayRow
from .events.model import EventState, Occurrence
from .events.times import day_of
from .events.views import EventView, iso_instant, last_day
from .values.timeslots import TimeOfDay

SCHEMA = "https://schema.org"
# schema.org's DayOfWeek members, in Python's order (Monday is 0).
DAYS = tuple(
    f"{SCHEMA}/{name}"
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
# How an event stands -> schema.org's EventStatusType.
EVENT_STATUS = {
    EventState.SCHEDULED: f"{SCHEMA}/EventScheduled",
    EventState.CANCELLED: f"{SCHEMA}/EventCancelled",
    EventState.PENDING: f"{SCHEMA}/EventPostponed",  # no new time yet
    EventState.POSTPONED: f"{SCHEMA}/EventRescheduled",  # moved to a known time
}
OFFLINE = f"{SCHEMA}/OfflineEventAttendanceMode"
# Everything here is in Shanghai; the records give the street address.
COUNTRY, LOCALITY = "CN", "上海市"

_FREE = re.compile(r"^\s*(免费|不收费|无需付费|公益)")
_PAID = re.compile(r"\d\s*元|收费")


def postal_address(street: str) -> dict:
    return {
        "@type": "PostalAddress",
        "streetAddress": street,
        "addressLocality": LOCALITY,
        "addressCountry": COUNTRY,
    }


def _clock(moment: TimeOfDay) -> str:
    # schema.org's Time is xsd:time, which has no 24:00: the last minute
    # of the day closes it, as schema.org's own examples do.
    return "23:59" if moment.minutes >= 24 * 60 else str(moment)


def opening_hours(timetable: list[DayRow]) -> list[dict]:
    """One specification per opening range, with every weekday it applies to."""
    by_range: dict[tuple[str, str], list[int]] = {}
    for row in timetable:
        for span in row.spans:
            by_range.setdefault((_clock(span.start), _clock(span.end)), []).append(row.weekday)
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [DAYS[day] for day in sorted(days)],
            "opens": opens,
            "closes": closes,
        }
        for (opens, closes), days in sorted(by_range.items(), key=lambda i: (min(i[1]), i[0]))
    ]


def committee_data(committee: CommitteeView, site_url: str = "") -> dict:
    """A committee's office as a schema.org GovernmentOffice."""
    data: dict = {
        "@context": SCHEMA,
        "@type": "GovernmentOffice",
        "name": committee.name,
        "address": postal_address(committee.address),
    }
    if site_url.startswith(("https://", "http://")):
        data["url"] = f"{site_url.rstrip('/')}/{committee.url}"
    if committee.office_phone.tel is not None:  # a masked number is left out
        data["telephone"] = committee.office_phone.text
    if committee.timetable is not None:
        data["openingHoursSpecification"] = opening_hours(committee.timetable)
    closed = [c for c in committee.closures if c.start is not None and c.last is not None]
    if closed:
        # No opens/closes: closed on those days (schema.org's definition).
        data["specialOpeningHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": closure.start.isoformat(),
                "validThrough": closure.last.isoformat(),
                "description": closure.reason,
            }
            for closure in closed
        ]
    return data


def _when(occurrence: Occurrence) -> tuple[str, str]:
    """ISO start and end: dates for an all-day event, else times at +08:00."""
    if occurrence.all_day:
        return occurrence.start.isoformat(), last_day(occurrence).isoformat()
    return iso_instant(occurrence.start), iso_instant(occurrence.end, as_end=True)


def is_free(fee: str) -> bool | None:
    """What `fee` says plainly, or None when it does not."""
    if _FREE.match(fee):
        return True
    if _PAID.search(fee):
        return False
    return None


def event_data(event: EventView, site_url: str = "") -> list[dict]:
    """A schema.org Event for each time it is held (one for a single event);
    a cancelled or postponed event keeps the time it was announced for."""
    state = event.state
    if state in (EventState.CANCELLED, EventState.PENDING) or not event.occurrences:
        times = [event.first] if event.first is not None else []
    else:
        times = list(event.occurrences)
    common: dict = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "eventStatus": EVENT_STATUS[state],
        "eventAttendanceMode": OFFLINE,
        "location": {
            "@type": "Place",
            "name": event.venue,
            "address": postal_address(event.address),
        },
        "organizer": {"@type": "Organization", "name": event.organiser},
    }
    if site_url.startswith(("https://", "http://")):
        common["url"] = f"{site_url.rstrip('/')}/{event.url}"
    free = is_free(event.fee)
    if free is not None:
        common["isAccessibleForFree"] = free
    found = []
    for occurrence in times:
        start, end = _when(occurrence)
        entry = {**common, "startDate": start, "endDate": end}
        if state is EventState.POSTPONED and event.first is not None:
            # schema.org's range for it is a Date
            entry["previousStartDate"] = day_of(event.first.start).isoformat()
        found.append(entry)
    return found


def as_script(data: dict | list) -> Markup:
    """JSON-LD in a <script> element, safe whatever the text in it: <, > and &
    are written as JSON escapes, so nothing in it can end the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    for character, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escape)
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def json_ld(view, site_url: str = "") -> Markup:
    """The Jinja filter: `{{ committee|json_ld(SITEURL) }}`, `{{ event|json_ld(SITEURL) }}`."""
    if isinstance(view, CommitteeView):
        return as_script(committee_data(view, site_url))
    if isinstance(view, EventView):
        found = event_data(view, site_url)
        return as_script(found[0] if len(found) == 1 else found) if found else Markup("")
    raise TypeError(f"no structured data for {type(view).__name__}")
