"""Write the event pages, calendars and feed that DisclosureGenerator prepared."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.phases import phase
from ..core.workers import map_forked
from ..settings import id_domain, save_as_of, workers
from . import calendars
from . import feed as event_feed
from .model import Event
from .views import EventsView, EventUrls, EventView


@dataclass
class EventOutput:
    """What the generator hands over: the listings and each record with its view."""

    view: EventsView
    pairs: list[tuple[Event, EventView]]


def write(generator, writer, output: EventOutput) -> None:
    settings = generator.settings
    relative = settings["RELATIVE_URLS"]
    urls: EventUrls = output.view.urls
    context = generator.context

    def page(template: str, url: str, **extra) -> None:
        writer.write_file(
            save_as_of(url),
            generator.get_template(template),
            context,
            relative,
            url=url,
            **extra,
        )

    page("events", urls.events)
    page("events_archive", urls.archive)
    for _, view in output.pairs:
        page("event", view.url, event=view)
    for collection in output.view.series:
        page("event_collection", collection.url, collection=collection, kind="series")
    for collection in output.view.categories:
        page("event_collection", collection.url, collection=collection, kind="category")

    root = Path(generator.output_path)
    site_url = "" if relative else settings["SITEURL"].rstrip("/")
    domain = id_domain(settings)
    sitename = settings["SITENAME"]

    def entry(pair: tuple[Event, EventView]) -> bytes:
        return calendars.entry(*pair, domain=domain, site_url=site_url)

    def ics(job: tuple[str, str, str, list]) -> None:
        url, name, description, pairs = job
        path = root / url
        path.parent.mkdir(parents=True, exist_ok=True)
        made = calendars.calendar(
            name, description, pairs, domain=domain, site_url=site_url, entries=entries
        )
        path.write_bytes(made)

    jobs = [(urls.all_ics, f"{sitename}·文化活动", "日晖街道全部文化活动", output.pairs)]
    jobs += [(view.ics_url, view.title, view.summary, [(e, view)]) for e, view in output.pairs]
    in_series: dict[str, list] = {}
    for pair in output.pairs:
        in_series.setdefault(pair[0].series, []).append(pair)
    for collection in output.view.series:
        members = in_series.get(collection.slug, [])
        jobs.append(
            (collection.ics_url, f"{collection.name}（{sitename}）", collection.name, members)
        )
    with phase("calendars"):
        count = workers(settings)
        made = map_forked(entry, output.pairs, count)
        entries = {event.key: one for (event, _), one in zip(output.pairs, made, strict=True)}
        map_forked(ics, jobs, count)

    atom = root / urls.atom
    atom.parent.mkdir(parents=True, exist_ok=True)
    atom.write_text(
        event_feed.atom(
            [view for _, view in output.pairs],
            title=f"{sitename}·文化活动",
            site_url=site_url,
            feed_url=urls.atom,
            page_url=urls.events,
            domain=domain,
        ),
        encoding="utf-8",
    )
