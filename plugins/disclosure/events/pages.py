"""Write the event pages, calendars and feed that DisclosureGenerator prepared."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .. import page_keys
from ..core.phases import phase
from ..core.tree import FoundFile
from ..core.workers import map_forked
from ..paging import Page, cut_groups, page_size, pages
from ..settings import id_domain, save_as_of, workers
from . import calendars
from . import feed as event_feed
from .model import Event
from .views import EventsView, EventUrls, EventView, MonthGroup, months_label


@dataclass
class EventOutput:
    """What the generator hands over: the listings, each record with its view,
    and the pages of every listing by month (made once: the pages and the
    sitemap both read them).

    Every listing by month is paged the same way: at most LISTING_PAGE_SIZE
    occurrences a page, each page named by the months it holds; a page's
    items are one list of months per part of the listing."""

    view: EventsView
    pairs: list[tuple[Event, EventView]]
    listing: list[Page]  # 文化活动: from this month on
    archive: list[tuple]  # 往期活动: (year, its pages), newest first
    collections: list[tuple]  # (kind, series or category, its pages): coming, then over

    @classmethod
    def paged(
        cls, view: EventsView, pairs: list[tuple[Event, EventView]], settings: dict
    ) -> EventOutput:
        kinds = [("series", c) for c in view.series]
        kinds += [("category", c) for c in view.categories]
        return cls(
            view,
            pairs,
            listing=_paged(settings, view.urls.events, [view.upcoming]),
            archive=[
                (year, _paged(settings, year.url, [year.months])) for year in view.archive_years
            ],
            collections=[
                (kind, c, _paged(settings, c.url, [c.upcoming, c.past])) for kind, c in kinds
            ],
        )


def _paged(settings: dict, url: str, sections: list[list[MonthGroup]]) -> list[Page]:
    chunks = cut_groups(
        sections,
        page_size(settings),
        lambda group: group.items,
        lambda group, items, continued: replace(group, items=items, continued=continued),
    )
    labels = [months_label([g for part in chunk for g in part]) for chunk in chunks]
    return pages(settings, url, chunks, labels)


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

    for listing in output.listing:
        page("events", listing.url, listing=listing)
    page("events_archive", urls.archive, archive=output.archive)
    for year, listings in output.archive:
        for listing in listings:
            page("events_archive_year", listing.url, year=year, listing=listing)
    for _, view in output.pairs:
        page("event", view.url, event=view)
    for kind, collection, listings in output.collections:
        for listing in listings:
            page("event_collection", listing.url, collection=collection, kind=kind, listing=listing)

    root = Path(generator.output_path)
    site_url = "" if relative else settings["SITEURL"].rstrip("/")
    domain = id_domain(settings)
    sitename = settings["SITENAME"]

    live = page_keys.live_folder(root)

    def save(job: tuple[str, bytes]) -> tuple[FoundFile, bool]:
        """The live file taken for the calendar (`serve`: the save did not
        change it), or the file written for it as found once written; and
        whether it was taken."""
        taken = None if live is None else page_keys.same_as_live(live / job[0], job[0], job[1])
        if taken is not None:
            return taken, True
        path = root / job[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(job[1])
        return FoundFile(str(path), job[0], os.lstat(path)), False

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
        made = calendars.calendars(
            [job[1:] for job in jobs],
            domain=domain,
            site_url=site_url,
            made_by=lambda function, items: map_forked(function, items, count),
        )
        files = [(job[0], one) for job, one in zip(jobs, made, strict=True)]
        found_before = [
            None if live is None else page_keys.taken_before(live / name, name, data)
            for name, data in files
        ]
        saved: list = [None if found is None else (found, True) for found in found_before]
        # the others are read (a save leaves few: reading a hundred costs
        # what forking does), and written where they differ
        left = [index for index, found in enumerate(saved) if found is None]
        for index, found in zip(
            left, map_forked(save, [files[i] for i in left], count, least=100), strict=True
        ):
            saved[index] = found
        page_keys.took(
            root,
            [found for found, taken in saved if taken],
            {name: (data, found) for (name, data), (found, _) in zip(files, saved, strict=True)},
        )

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
