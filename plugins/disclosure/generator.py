"""The Pelican generator for record pages: committees, events and the work plan."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from pelican.generators import Generator

from . import json_schemas, output_scan, site_files
from .committees.lookup import address_directory, lookup_data
from .committees.model import CATEGORIES
from .committees.views import committee_view, subdistrict_view
from .completeness.report import REPORT_SCHEMA, DisclosureIncomplete, grouped_lines, site_report
from .completeness.rules import Status
from .content_pages import unread_pages
from .core import collector
from .core.json_text import compact_json, pretty_json
from .core.phases import phase
from .core.problems import RecordsInvalid, Severity
from .events import pages as event_pages
from .events.views import EventUrls, build_events_view
from .listings import committee_pages, disclosure_pages, disclosure_summary, initials, road_pages
from .open_data.datasets import site_open_data
from .paging import page_size
from .pipeline import check, refusal
from .plans import pages as plan_pages
from .plans.views import PlanUrls, plan_view
from .settings import HOME_SAVE_AS, as_of, links_from, page_location, setting, workers
from .signals import report_evaluated, report_ready
from .values.chinese_order import chinese_key

logger = logging.getLogger(__name__)


def report_categories(catalogue) -> list[dict]:
    return [
        {
            "key": key,
            "title": CATEGORIES[key],
            "max_age_days": rule.max_age_days,
            "responsible": rule.responsible,
        }
        for key, rule in catalogue.categories.required().items()
    ]


class DisclosureGenerator(Generator):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Pelican makes every generator before any reads or writes: a settings,
        # record or page problem stops the build here, before Pelican has read
        # a single page or written a single file.
        refused = refusal(self.settings, Path(self.path))
        if refused:
            raise refused
        self.checked = check(Path(self.path), as_of(self.settings), self.settings)
        if self.checked.site.errors:
            raise RecordsInvalid(self.checked.site.problems)

    def generate_context(self) -> None:
        with phase("views"), collector.paused():
            self.make_views()
            # The records and views live until the build ends: the collector
            # need not look at them again (build_site and `finalized`
            # unfreeze). Frozen before it is back, or its first pass walks
            # every object made since it paused (0.1 s of a city's save).
            collector.freeze()

    def make_views(self) -> None:
        # Runs after Pelican read the pages and before anything is written.
        unread = unread_pages(self.context, Path(self.path))
        if unread:
            raise RecordsInvalid(unread)
        today = as_of(self.settings)
        site, report = self.checked.site, self.checked.report
        output_scan.expect(self.settings, site.unpublished_numbers)
        report_evaluated.send(self, report=report)
        if report is not None and setting(self.settings, "DISCLOSURE_STRICT") and report.errors:
            raise DisclosureIncomplete(report)
        self.show([str(p) for p in site.problems if p.severity is Severity.WARNING], report)
        self.report = report
        self.urls = {
            c.slug: page_location(self.settings, "COMMITTEE", slug=c.slug)[0]
            for c in site.committees
        }
        # Chinese order: 日晖一村 before 日晖二村, whatever the files are called
        ordered = sorted(site.committees, key=lambda c: chinese_key(c.name))
        committees = [
            committee_view(
                committee,
                as_of=today,
                url=self.urls[committee.slug],
                disclosure=report.for_committee(committee.slug) if report else None,
            )
            for committee in ordered
        ]
        self.committees = committees
        self.committee_pages = committee_pages(self.settings, committees)
        views = {view.slug: view for view in committees}
        self.addresses = address_directory(ordered, views)
        self.address_pages = road_pages(self.settings, self.addresses)
        link = links_from(self.settings, page_location(self.settings, "ADDRESSES")[1])
        self.lookup = lookup_data(ordered, views, {s: link(u) for s, u in self.urls.items()})
        listings, views = build_events_view(
            site.events,
            site.event_series,
            urls=EventUrls.from_settings(self.settings),
            committees={c.slug: (c.name, self.urls[c.slug]) for c in site.committees},
            as_of=today,
            on_home_page=setting(self.settings, "EVENTS_ON_HOME_PAGE"),
        )
        self.events = event_pages.EventOutput.paged(
            listings, [(event, views[event.key]) for event in site.events], self.settings
        )
        self.disclosure_pages = disclosure_pages(self.settings, report) if report else ([], [])
        self.plan_urls = PlanUrls.from_settings(self.settings)
        self.plans = [plan_view(p, as_of=today, urls=self.plan_urls) for p in site.plans]
        rules = report_categories(site.catalogue) if report else []
        plan_rules = [plan.max_update_age_days for plan in report.plans] if report else []
        self.open_data = site_open_data(
            self.settings,
            committees=list(zip(ordered, committees, strict=True)),
            events=self.events.pairs,
            plans=list(zip(site.plans, self.plans, strict=True)),
            verify_days={rule["title"]: rule["max_age_days"] for rule in rules},
            plan_update_days=min(plan_rules, default=None),
            publisher=site.subdistrict.name,
        )
        self.context.update(
            open_data=self.open_data,
            data_url=self.open_data.url,
            plans=self.plans,
            plans_url=self.plan_urls.index,
            plan_urls={p.slug: self.plan_urls.plan.format(plan=p.slug) for p in site.plans},
            events=listings,
            # What every page's header, footer and breadcrumbs read, apart
            # from the listings and the report they are in: a page that reads
            # no more than these does not change with every event or report.
            events_url=listings.urls.events,
            event_urls=listings.urls,
            events_summary=listings.summary(),
            disclosure=report,
            disclosure_url=setting(self.settings, "DISCLOSURE_URL") if report else None,
            disclosure_title=report.title if report else None,
            categories=report_categories(site.catalogue) if report else [],
            statuses=list(Status),
            committee_urls=self.urls,
            # where each committee's block leaders are written, for problems
            # found while its board notice is made (notices.generator)
            committee_positions={c.slug: c.where("block_leaders") for c in site.committees},
            subdistrict=subdistrict_view(site.subdistrict),
            committees=committees,
            committee_count=len(committees),
            committees_url=setting(self.settings, "COMMITTEES_URL"),
            committees_on_home_page=setting(self.settings, "COMMITTEES_ON_HOME_PAGE"),
            listing_page_size=page_size(self.settings),
            committee_initials=initials(
                (c.name, page.url) for page in self.committee_pages for c in page.items
            ),
            addresses_url=setting(self.settings, "ADDRESSES_URL"),
            roads=self.addresses,
            road_initials=initials(
                (road.road, f"{page.url}#{road.anchor}")
                for page in self.address_pages
                for road in page.items[0]
            ),
            as_of=today,
            sample_data=setting(self.settings, "DISCLOSURE_SAMPLE_DATA"),
            filings=site_files.filings(self.settings),
        )

    def show(self, warnings: list[str], report) -> None:
        lines = warnings + (grouped_lines(report) if report else [])
        if report_ready.receivers:
            report_ready.send(self, lines=lines)
            return
        # Run by plain `pelican`: Pelican's loggers drop repeated messages,
        # which is fine for a single run.
        for line in lines:
            logger.warning("%s", line)

    def generate_output(self, writer) -> None:
        # Pages are held while the rest is written, then made by every core
        # (ModesWriter.shared); plain Pelican's own writer makes them here.
        shared = getattr(writer, "shared", None)
        held = shared(workers(self.settings)) if shared else contextlib.nullcontext()
        with held:
            self.write_pages(writer)

    def write_pages(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        writer.write_file(HOME_SAVE_AS, self.get_template("index"), self.context, relative, url="")
        first = page_location(self.settings, "COMMITTEES")[1]
        self.write_listing(writer, "committees", self.committee_pages, first)
        template = self.get_template("committee")
        # its own events and notice, not the listings they are in: a committee's
        # page is then made again only when what it shows changed (page_keys)
        coming = self.context["events"].by_committee
        notices = self.context.get("notices") or {}
        for committee in self.committees:
            writer.write_file(
                page_location(self.settings, "COMMITTEE", slug=committee.slug)[1],
                template,
                self.context,
                relative,
                url=committee.url,
                committee=committee,
                coming=coming.get(committee.slug, []),
                notice=notices.get(committee.slug),
            )
        self.write_addresses(writer)
        event_pages.write(self, writer, self.events)
        plan_pages.write(self, writer, self.plans, self.plan_urls)
        json_schemas.write(Path(self.output_path) / json_schemas.SCHEMA_DIR)
        with phase("open data"):
            self.open_data.write(Path(self.output_path))
        url, save_as = page_location(self.settings, "DATA")
        writer.write_file(save_as, self.get_template("data"), self.context, relative, url=url)
        if self.report is not None:
            self.write_disclosure(writer)
        site_files.write(self, writer)

    def write_listing(
        self, writer, template: str, listing: list, first: str | None = None, **extra
    ) -> None:
        """Every page of a paged listing; page 1 at `first` where the site
        saves the listing by a setting of its own (X_SAVE_AS)."""
        for page in listing:
            writer.write_file(
                first if first and page.number == 1 else page.save_as,
                self.get_template(template),
                self.context,
                self.settings["RELATIVE_URLS"],
                url=page.url,
                listing=page,
                **extra,
            )

    def write_addresses(self, writer) -> None:
        save_as = page_location(self.settings, "ADDRESSES")[1]
        self.write_listing(writer, "addresses", self.address_pages, save_as)
        folder = Path(self.output_path) / Path(save_as).parent
        folder.mkdir(parents=True, exist_ok=True)  # its page is made later (writer.shared)
        (folder / "lookup.json").write_bytes(compact_json(self.lookup) + b"\n")

    def write_disclosure(self, writer) -> None:
        save_as = page_location(self.settings, "DISCLOSURE")[1]
        needing, complete = self.disclosure_pages
        # what every page of both listings says, counted once
        shared = {
            "summary": disclosure_summary(self.report),
            "taking_part_count": len(self.report.committees),
            "needing_count": sum(len(page.items) for page in needing),
            "complete_count": sum(len(page.items) for page in complete),
            "complete_url": complete[0].url,
        }
        self.write_listing(writer, "disclosure", needing, save_as, **shared)
        self.write_listing(writer, "disclosure_complete", complete, **shared)
        folder = Path(self.output_path) / Path(save_as).parent
        folder.mkdir(parents=True, exist_ok=True)  # its page is made later (writer.shared)
        report = site_report(self.report, self.settings)
        (folder / "report.json").write_bytes(pretty_json(report))
        (folder / "report.schema.json").write_bytes(pretty_json(REPORT_SCHEMA))
