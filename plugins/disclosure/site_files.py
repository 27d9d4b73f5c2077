"""What every public site has at its root: the 404 page, robots.txt,
sitemap.xml and the favicon; and the filing numbers its footer carries.

Nothing here depends on the day or the time of the build: the sitemap's
`lastmod` dates come from the records themselves (when a committee's
information was verified, when an event was announced or last changed,
the newest progress update of a task), so a rebuild with the same records
writes the same bytes.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit
from xml.sax.saxutils import escape

from .settings import psb_record_code, setting

NOT_FOUND = "404.html"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
FAVICONS = ("favicon.ico", "favicon.svg")
# Where the theme keeps the icons (not under static/, which Pelican copies
# to theme/: the icons belong at the root, where browsers ask for them).
FAVICON_FOLDER = "favicon"

ICP_LOOKUP = "https://beian.miit.gov.cn/"
PSB_RECORD = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"


# ---- the footer's filing numbers --------------------------------------------------


@dataclass(frozen=True)
class Filing:
    label: str  # 网站标识码
    text: str  # as the office was given it
    url: str | None  # its public record, where there is one


def filings(settings: dict) -> list[Filing]:
    """The numbers the office has, in the order government sites show them."""
    found = []
    code = setting(settings, "DISCLOSURE_SITE_CODE")
    if code:
        found.append(Filing("网站标识码", code.strip(), None))
    icp = setting(settings, "DISCLOSURE_ICP")
    if icp:
        found.append(Filing("ICP备案号", icp.strip(), ICP_LOOKUP))
    psb = setting(settings, "DISCLOSURE_PSB")
    if psb:
        record = psb_record_code(psb)
        found.append(
            Filing("公安备案号", psb.strip(), PSB_RECORD.format(code=record) if record else None)
        )
    return found


# ---- lastmod: the records' own dates -------------------------------------------------


def _newest(*dates: date | None) -> date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _event_date(view) -> date:
    return view.updated or view.announced


def _content_date(page) -> date | None:
    value = page.metadata.get("modified") or page.metadata.get("date")
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def page_dates(generator) -> dict[str, date | None]:
    """Every HTML page the site has, by URL, with the date its records last
    changed (None where nothing dates it). List pages take the newest date of
    what they list."""
    settings, context = generator.settings, generator.context
    dates: dict[str, date | None] = {}
    events = [view for _, view in generator.events.pairs]
    for view in events:
        dates[view.url] = _event_date(view)
    held_at: dict[str, list] = {}
    for view in events:
        held_at.setdefault(view.committee_url, []).append(dates[view.url])
    for committee in generator.committees:
        dates[committee.url] = _newest(committee.verified, *held_at.get(committee.url, ()))
    listings = generator.events.view
    every_event = _newest(*(_event_date(v) for v in events))
    dates[listings.urls.archive] = every_event
    # Which page of a listing an event is on moves with the day (what is
    # over goes to the archive): every page is dated by the whole listing,
    # so that a rebuild of the same records gives the same sitemap.
    output = generator.events
    for page in output.listing:
        dates[page.url] = every_event
    for _, pages in output.archive:
        for page in pages:
            dates[page.url] = every_event
    for _, collection, pages in output.collections:
        for page in pages:
            dates[page.url] = _newest(*(_event_date(v) for v in collection.events))
    plan_dates = []
    for plan in generator.plans:
        section_dates = []
        for section in plan.sections:
            task_dates = []
            for task in section.tasks:
                dates[task.url] = _newest(*(u.day for u in task.history))
                task_dates.append(dates[task.url])
            dates[section.url] = _newest(*task_dates)
            section_dates.append(dates[section.url])
        dates[plan.url] = _newest(*section_dates)
        plan_dates.append(dates[plan.url])
    dates[generator.plan_urls.index] = _newest(*plan_dates)
    every_committee = _newest(*(c.verified for c in generator.committees))
    for page in generator.committee_pages:
        dates[page.url] = _newest(*(c.verified for c in page.items))
    dates[setting(settings, "COMMITTEES_URL")] = every_committee
    for page in generator.address_pages:  # they list the committees' addresses
        dates[page.url] = every_committee
    data = getattr(generator, "open_data", None)
    if data is not None:  # the 数据下载 page changes when a data file does
        dates[data.url] = _newest(*(d.modified for d in data.datasets))
    subdistrict = context.get("subdistrict")
    everything = _newest(
        every_committee, every_event, *plan_dates, subdistrict.verified if subdistrict else None
    )
    if generator.report is not None:
        needing, complete = generator.disclosure_pages
        for page in [*needing, *complete]:
            dates[page.url] = everything  # each names the report's day and its totals
    dates[""] = everything  # the home page shows a little of everything
    for page in [*context.get("pages", []), *context.get("hidden_pages", [])]:
        if page.save_as:
            dates[page.url] = _content_date(page)
    return dates


# ---- the files ------------------------------------------------------------------------


def _absolute(site_url: str, url: str) -> str:
    """The sitemap protocol wants URLs as RFC 3986 writes them (a Chinese
    host in IDNA, a Chinese path percent-encoded) and XML entities escaped."""
    parts = urlsplit(f"{site_url}/{url}")
    host = parts.hostname.encode("idna").decode("ascii") if parts.hostname else ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = quote(parts.path, safe="/!$&'()*+,;=:@%~")
    return escape(urlunsplit((parts.scheme, netloc, path, parts.query, "")))


def sitemap(site_url: str, dates: dict[str, date | None]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in sorted(dates):
        lastmod = dates[url]
        modified = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{_absolute(site_url, url)}</loc>{modified}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site_url: str) -> str:
    """Everything may be crawled; the sitemap is named where the site has an address."""
    text = "User-agent: *\nDisallow:\n"
    if site_url:
        text += f"\nSitemap: {site_url}/{SITEMAP}\n"
    return text


def site_url_of(settings: dict) -> str:
    """The site's absolute address, or "" for a build with relative links."""
    url = str(settings.get("SITEURL") or "").rstrip("/")
    return url if url.startswith(("https://", "http://")) else ""


def write(generator, writer) -> None:
    """Write the root files after every page: the sitemap lists them all."""
    settings = generator.settings
    output = Path(generator.output_path)
    # A 404 page is served at whatever address was asked for, so its links
    # cannot be relative to where it is saved: write them from SITEURL (the
    # site's address when published, "" and so /… in a local preview).
    writer.write_file(
        NOT_FOUND,
        generator.get_template("not_found"),
        generator.context,
        False,
        url=NOT_FOUND,
        elder_version=False,
    )
    site_url = site_url_of(settings)
    (output / ROBOTS).write_text(robots(site_url), encoding="utf-8")
    if site_url:
        # The protocol needs absolute addresses: only a build with an address has one.
        (output / SITEMAP).write_text(sitemap(site_url, page_dates(generator)), encoding="utf-8")
    theme = settings.get("THEME")
    if theme:
        for name in FAVICONS:
            source = Path(theme) / FAVICON_FOLDER / name
            if source.is_file():
                shutil.copyfile(source, output / name)
