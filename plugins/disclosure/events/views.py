"""What event templates see: each event, each time it takes place, listings by month.

As for committees, templates never receive a record: a registration phone
that may not be published reaches them only masked. "Over" is decided here
against the build's as-of date; the pages carry each occurrence's end as an
absolute time so that a small script can hide what is over on the day a
resident reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from markupsafe import Markup

from ..core.memo import ByIdentity
from ..settings import setting
from ..values.dates import zh_date
from ..values.markup import render_markdown
from ..values.phones import PhoneView, phone_view
from ..values.timeslots import WEEKDAY_LABELS, describe_days
from .model import EVENT_CATEGORIES, Event, EventState, Occurrence, Registration, Series
from .times import Moment, aware, day_of, is_all_day


@dataclass(frozen=True)
class EventUrls:
    events: str
    archive: str
    archive_year: str
    event: str
    series: str
    category: str

    @classmethod
    def from_settings(cls, settings: dict) -> EventUrls:
        return cls(
            events=setting(settings, "EVENTS_URL"),
            archive=setting(settings, "EVENTS_ARCHIVE_URL"),
            archive_year=setting(settings, "EVENTS_ARCHIVE_YEAR_URL"),
            event=setting(settings, "EVENT_URL"),
            series=setting(settings, "EVENT_SERIES_URL"),
            category=setting(settings, "EVENT_CATEGORY_URL"),
        )

    def event_page(self, event: Event) -> str:
        return self.event.format(year=event.year, slug=event.slug)

    def archive_year_page(self, year: int) -> str:
        return self.archive_year.format(year=year)

    def series_page(self, slug: str) -> str:
        return self.series.format(slug=slug)

    def category_page(self, slug: str) -> str:
        return self.category.format(slug=slug)

    @property
    def all_ics(self) -> str:
        return self.events + "events.ics"

    @property
    def atom(self) -> str:
        return self.events + "feed.atom"

    @staticmethod
    def ics_beside(page_url: str) -> str:
        """events/2020/chongyang/ -> events/2020/chongyang.ics"""
        return page_url.rstrip("/") + ".ics"


# ---- words for dates and times --------------------------------------------------


def weekday_of(day: date) -> str:
    return WEEKDAY_LABELS[day.weekday()]


def month_day(day: date, *, year_of: date | None) -> str:
    """10月10日 when `year_of` is in the same year; 2020年10月10日 otherwise or without it."""
    if year_of is None or day.year != year_of.year:
        return zh_date(day)
    return f"{day.month}月{day.day}日"


def clock(moment: datetime, *, end: bool = False) -> str:
    """14:00; an end at midnight is 24:00 of the day before, as staff write it."""
    if end and moment.time() == time():
        return "24:00"
    return moment.strftime("%H:%M")


def last_day(occurrence: Occurrence) -> date:
    """The last day it takes place: an event ending at 24:00 ends on the day before."""
    end = occurrence.end
    if isinstance(end, datetime):
        if end.time() == time() and end > occurrence.start:
            return end.date() - timedelta(days=1)
        return end.date()
    return end


def span_text(occurrence: Occurrence, *, year_of: date | None = None) -> str:
    """2020年10月10日（周六）14:00–16:30, or the days of a longer event."""
    first, last = day_of(occurrence.start), last_day(occurrence)
    start_text = f"{month_day(first, year_of=year_of)}（{weekday_of(first)}）"
    if occurrence.all_day:
        if last == first:
            return f"{start_text} 全天"
        return f"{start_text}至{month_day(last, year_of=first)}（{weekday_of(last)}）"
    start, end = occurrence.start, occurrence.end
    if last == first:
        return f"{start_text}{clock(start)}–{clock(end, end=True)}"
    end_text = f"{month_day(last, year_of=first)}（{weekday_of(last)}）"
    return f"{start_text}{clock(start)}至{end_text}{clock(end, end=True)}"


def hours_text(occurrence: Occurrence) -> str:
    if occurrence.all_day:
        return "全天"
    if last_day(occurrence) != day_of(occurrence.start):
        return f"{clock(occurrence.start)}起"
    return f"{clock(occurrence.start)}–{clock(occurrence.end, end=True)}"


def iso_instant(moment: Moment, *, as_end: bool = False) -> str:
    return aware(moment, as_end=as_end).isoformat()


def _moment_text(moment: Moment) -> str:
    day = day_of(moment)
    text = f"{zh_date(day)}（{weekday_of(day)}）"
    return text if is_all_day(moment) else f"{text}{clock(moment)}"


# ---- one event --------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationView:
    required: bool
    how: str | None
    phone: PhoneView | None
    url: str | None
    until: str | None


def registration_view(registration: Registration | None) -> RegistrationView | None:
    if registration is None:
        return None
    phone = None
    if registration.phone is not None:
        phone = phone_view(registration.phone, public=registration.phone_published)
    until = _moment_text(registration.until) if registration.until is not None else None
    return RegistrationView(registration.required, registration.how, phone, registration.url, until)


@dataclass(frozen=True)
class ScheduleLine:
    """One date of a recurring event on its page: held, or skipped and why."""

    text: str
    skipped: bool
    reason: str | None
    ends_iso: str
    over: bool


@dataclass(frozen=True)
class EventView:
    key: str
    slug: str
    year: int
    url: str
    ics_url: str
    title: str
    summary: str
    description: Markup
    category: str
    category_url: str
    series_name: str | None
    series_url: str | None
    venue: str
    address: str
    committee_name: str | None
    committee_url: str | None
    organiser: str
    fee: str
    capacity: int | None
    accessibility: str | None
    registration: RegistrationView | None
    status: str
    status_note: str | None
    when: str  # the time, or for a recurring event the rule in words
    original_when: str | None  # a postponed event's first time
    schedule: list[ScheduleLine]  # every date of a recurring event, skipped ones too
    ends_iso: str  # when its last occurrence ends
    over: bool  # as of the build
    announced: date
    updated: date | None

    state: EventState = EventState.SCHEDULED  # the record's, see Event.state
    # When it takes place, as values (for structured data): every time it is
    # held, and the time first announced (a postponed event's original time).
    occurrences: tuple[Occurrence, ...] = ()
    first: Occurrence | None = None

    @property
    def pending(self) -> bool:
        """Postponed with no new time yet."""
        return self.state is EventState.PENDING


def _repeat_text(event: Event, occurrences: list[Occurrence]) -> str:
    repeat = event.repeat
    first, last = occurrences[0], occurrences[-1]
    days = describe_days(repeat.days) if repeat.days else weekday_of(day_of(event.start))
    rhythm = {
        "每天": "每天",
        "每周": f"每{days}",
        "每两周": f"每两周的{days}",
        "每月": f"每月{day_of(event.start).day}日",
    }[repeat.every]
    hours = hours_text(first)
    span = zh_date(day_of(first.start))
    if len(occurrences) > 1:
        span += f"至{month_day(day_of(last.start), year_of=day_of(first.start))}"
    return f"{span}，{rhythm} {hours}（共 {len(occurrences)} 次）"


def event_view(
    event: Event,
    *,
    urls: EventUrls,
    series: dict[str, Series],
    committees: dict[str, tuple[str, str]],
    as_of: date,
) -> EventView:
    committee = committees.get(event.committee) if event.committee else None
    in_series = series.get(event.series) if event.series else None
    return _VIEWS.get(
        (event, in_series),
        (urls, committee, as_of),
        lambda: _view(event, urls, in_series, committee, as_of),
    )


# Made again only for an event whose record, series, committee or day changed (core.memo).
_VIEWS: ByIdentity[EventView] = ByIdentity()


def _view(
    event: Event,
    urls: EventUrls,
    in_series: Series | None,
    committee: tuple[str, str] | None,
    as_of: date,
) -> EventView:
    occurrences = event.occurrences()
    cutoff = aware(as_of)
    moved = event.moved_to
    schedule: list[ScheduleLine] = []
    if event.repeat is not None:
        for occurrence, skip in event.sessions():
            ends = aware(occurrence.end, as_end=True)
            schedule.append(
                ScheduleLine(
                    span_text(occurrence, year_of=as_of),
                    skip is not None,
                    skip.reason if skip else None,
                    ends.isoformat(),
                    ends <= cutoff,
                )
            )
        when = _repeat_text(event, occurrences)
    else:
        when = _moment_span(moved or event.first)
    last_end = aware(occurrences[-1].end, as_end=True)
    url = urls.event_page(event)
    return EventView(
        key=event.key,
        slug=event.slug,
        year=event.year,
        url=url,
        ics_url=urls.ics_beside(url),
        title=event.title,
        summary=event.summary,
        description=render_markdown(event.description),
        category=event.category,
        category_url=urls.category_page(EVENT_CATEGORIES[event.category]),
        series_name=in_series.name if in_series else None,
        series_url=urls.series_page(in_series.slug) if in_series else None,
        venue=event.venue,
        address=event.address,
        committee_name=committee[0] if committee else None,
        committee_url=committee[1] if committee else None,
        organiser=event.organiser,
        fee=event.fee,
        capacity=event.capacity,
        accessibility=event.accessibility,
        registration=registration_view(event.registration),
        status=event.status,
        status_note=event.status_note,
        state=event.state,
        when=when,
        original_when=_moment_span(event.first) if moved else None,
        schedule=schedule,
        ends_iso=last_end.isoformat(),
        over=last_end <= cutoff,
        announced=event.announced,
        updated=event.updated,
        occurrences=tuple(occurrences),
        first=event.first,
    )


def _moment_span(occurrence: Occurrence) -> str:
    return span_text(occurrence, year_of=None)


# ---- listings -----------------------------------------------------------------------


@dataclass(frozen=True)
class ListedOccurrence:
    """One line of a listing: one time an event takes place."""

    event: EventView
    start: Moment
    day: str  # 10月10日
    weekday: str  # 周六, or 至11月30日 for a longer event
    hours: str
    datetime_attr: str
    ends: datetime  # the instant it is over, in Shanghai
    over: bool

    @property
    def ends_iso(self) -> str:
        return self.ends.isoformat()

    @property
    def sort_key(self) -> tuple:
        start = (
            self.start if isinstance(self.start, datetime) else datetime.combine(self.start, time())
        )
        return (start, self.event.title)


# The same object for the same occurrence from build to build, as its event's
# view is (core.memo): a committee's page is keyed by those it lists (page_keys).
_LISTED: ByIdentity[ListedOccurrence] = ByIdentity()


def listed(view: EventView, occurrence: Occurrence, cutoff: datetime) -> ListedOccurrence:
    return _LISTED.get(
        (view,),
        (occurrence.start, occurrence.end, cutoff),
        lambda: _listed(view, occurrence, cutoff),
    )


def _listed(view: EventView, occurrence: Occurrence, cutoff: datetime) -> ListedOccurrence:
    first, last = day_of(occurrence.start), last_day(occurrence)
    weekday = weekday_of(first)
    if last != first:
        weekday = f"{weekday_of(first)}至{month_day(last, year_of=first)}"
    ends = aware(occurrence.end, as_end=True)
    return ListedOccurrence(
        event=view,
        start=occurrence.start,
        day=f"{first.month}月{first.day}日",
        weekday=weekday,
        hours=hours_text(occurrence),
        datetime_attr=(first.isoformat() if occurrence.all_day else iso_instant(occurrence.start)),
        ends=ends,
        over=ends <= cutoff,
    )


@dataclass(frozen=True)
class MonthGroup:
    year: int
    month: int
    items: list[ListedOccurrence]
    continued: bool = False  # the rest of a month too long for one page

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月" + ("（续）" if self.continued else "")

    @property
    def month_label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def anchor(self) -> str:
        return f"m-{self.year}-{self.month:02d}"


def by_month(
    items: Iterable[ListedOccurrence], *, newest_first: bool = False, not_before: date | None = None
) -> list[MonthGroup]:
    """Group by the month an occurrence starts in; one that began before
    `not_before`'s month and goes on is listed under that month."""
    groups: dict[tuple[int, int], list[ListedOccurrence]] = defaultdict(list)
    for item in items:
        start = day_of(item.start)
        key = (start.year, start.month)
        if not_before is not None:
            key = max(key, (not_before.year, not_before.month))
        groups[key].append(item)
    return [
        MonthGroup(year, month, sorted(groups[(year, month)], key=lambda i: i.sort_key))
        for year, month in sorted(groups, reverse=newest_first)
    ]


def months_label(groups: list[MonthGroup]) -> str:
    """What a page of a listing by month holds: 2020年10月 至 2020年12月."""
    if not groups:
        return ""
    first, last = groups[0].month_label, groups[-1].month_label
    return first if first == last else f"{first} 至 {last}"


@dataclass(frozen=True)
class ArchiveYear:
    """What was over, in one year (of the occurrences' start): a page of the archive."""

    year: int
    url: str
    months: list[MonthGroup]  # newest first

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.months)


@dataclass(frozen=True)
class CollectionPage:
    """A series or a category: its events, upcoming and past."""

    slug: str
    name: str
    url: str
    description: Markup
    organiser: str | None
    ics_url: str | None
    upcoming: list[MonthGroup]
    past: list[MonthGroup]
    events: list[EventView]


@dataclass(frozen=True)
class CollectionLink:
    name: str
    url: str


@dataclass(frozen=True)
class EventsSummary:
    """What every page of the events listing says of all the events: a few
    values, so that such a page is made again only when one of them changed
    (page_keys), not with every event."""

    as_of: date
    upcoming_count: int
    archive_count: int
    series: tuple[CollectionLink, ...]
    categories: tuple[CollectionLink, ...]


@dataclass
class EventsView:
    """Everything the event pages, the home page and committee pages show."""

    urls: EventUrls
    events: list[EventView]
    upcoming: list[MonthGroup]  # from the start of the as-of month
    archive: list[MonthGroup]  # what is over, newest month first
    next_up: list[ListedOccurrence]  # for the home page
    next_up_shown: int
    by_committee: dict[str, list[ListedOccurrence]]
    series: list[CollectionPage]
    categories: list[CollectionPage]
    as_of: date

    @property
    def upcoming_count(self) -> int:
        return sum(1 for g in self.upcoming for i in g.items if not i.over)

    @property
    def archive_count(self) -> int:
        return sum(len(g.items) for g in self.archive)

    def summary(self) -> EventsSummary:
        return EventsSummary(
            as_of=self.as_of,
            upcoming_count=self.upcoming_count,
            archive_count=self.archive_count,
            series=tuple(CollectionLink(c.name, c.url) for c in self.series),
            categories=tuple(CollectionLink(c.name, c.url) for c in self.categories),
        )

    @property
    def archive_years(self) -> list[ArchiveYear]:
        """The archive by year, newest first; each year its own page."""
        years: dict[int, list[MonthGroup]] = defaultdict(list)
        for group in self.archive:
            years[group.year].append(group)
        return [ArchiveYear(y, self.urls.archive_year_page(y), years[y]) for y in years]


def build_events_view(
    events: list[Event],
    series: list[Series],
    *,
    urls: EventUrls,
    committees: dict[str, tuple[str, str]],
    as_of: date,
    on_home_page: int,
) -> tuple[EventsView, dict[str, EventView]]:
    """The listings, and each event's view by key (for the calendars)."""
    cutoff = aware(as_of)
    month_start = aware(as_of.replace(day=1))
    series_by_slug = {s.slug: s for s in series}
    views: dict[str, EventView] = {}
    occurrences: list[ListedOccurrence] = []
    for event in events:
        view = event_view(
            event, urls=urls, series=series_by_slug, committees=committees, as_of=as_of
        )
        views[event.key] = view
        occurrences += [listed(view, o, cutoff) for o in event.occurrences()]
    occurrences.sort(key=lambda item: item.sort_key)

    upcoming = [i for i in occurrences if i.ends > month_start]
    past = [i for i in occurrences if i.over]
    coming = [i for i in occurrences if not i.over]

    committee_of = {event.key: event.committee for event in events if event.committee}
    committee_lists: dict[str, list[ListedOccurrence]] = defaultdict(list)
    for item in coming:  # already in date order
        if item.event.key in committee_of:
            committee_lists[committee_of[item.event.key]].append(item)

    def collection(slug, name, url, members, *, description=None, organiser=None, ics=None):
        keys = {v.key for v in members}
        return CollectionPage(
            slug=slug,
            name=name,
            url=url,
            description=render_markdown(description),
            organiser=organiser,
            ics_url=ics,
            upcoming=by_month((i for i in coming if i.event.key in keys), not_before=as_of),
            past=by_month((i for i in past if i.event.key in keys), newest_first=True),
            events=members,
        )

    series_pages = []
    for s in series:
        url = urls.series_page(s.slug)
        members = [v for e, v in _pairs(events, views) if e.series == s.slug]
        series_pages.append(
            collection(
                s.slug,
                s.name,
                url,
                members,
                description=s.description,
                organiser=s.organiser,
                ics=urls.ics_beside(url),
            )
        )
    category_pages = []
    for name, slug in EVENT_CATEGORIES.items():
        members = [v for e, v in _pairs(events, views) if e.category == name]
        if members:
            category_pages.append(collection(slug, name, urls.category_page(slug), members))

    home = coming[: on_home_page * 2]  # spares for when the page's script hides what is over
    view = EventsView(
        urls=urls,
        events=sorted(views.values(), key=lambda v: v.key),
        upcoming=by_month(upcoming, not_before=as_of),
        archive=by_month(past, newest_first=True),
        next_up=home,
        next_up_shown=on_home_page,
        by_committee=dict(committee_lists),
        series=series_pages,
        categories=category_pages,
        as_of=as_of,
    )
    return view, views


def _pairs(events: list[Event], views: dict[str, EventView]):
    return ((event, views[event.key]) for event in events)
