"""The site's paged listings of committees: which entries, in which order,
each page named by what it holds (the events' are in events/pages.py)."""

from __future__ import annotations

from dataclasses import replace

from .completeness.rules import Status
from .paging import cut, cut_groups, page_size, pages, span_label
from .settings import page_location, setting
from .values.chinese_order import chinese_key, initial


def paged_by_name(settings: dict, url: str, committees: list) -> list:
    """Committees (or their statuses) in pages, each named by its first and last."""
    chunks = cut(committees, page_size(settings))
    labels = [span_label(c[0].name, c[-1].name) if c else "" for c in chunks]
    return pages(settings, url, chunks, labels)


def committee_pages(settings: dict, committees: list) -> list:
    """The committee index, in Chinese order as given."""
    return paged_by_name(settings, setting(settings, "COMMITTEES_URL"), committees)


def initials(names) -> list[tuple[str, str]]:
    """(initial, where the first name under it is) for (name, URL) in Chinese
    order, A to Z: a reader who knows the name jumps to its page."""
    found: dict[str, str] = {}
    for name, url in names:
        found.setdefault(initial(name), url)
    return sorted(found.items())


def road_pages(settings: dict, roads: list) -> list:
    """找我的居委会 in pages of at most LISTING_PAGE_SIZE lines, a road
    whole where it fits, each page named by its first and last road."""
    chunks = cut_groups(
        [roads],
        page_size(settings),
        lambda road: road.entries,
        lambda road, entries, continued: replace(road, entries=entries, continued=continued),
        # an address weighs as much as the lines it takes: its block leaders'
        weight=lambda entry: 1 + len(entry.stretches),
    )
    labels = [span_label(c[0][0].road, c[0][-1].road) if c[0] else "" for c in chunks]
    return pages(settings, setting(settings, "ADDRESSES_URL"), chunks, labels)


# What a district office reads first: what is missing, then what is out of
# date, then what has gaps.
_URGENCY = {Status.MISSING: 0, Status.STALE: 1, Status.INCOMPLETE: 2, Status.COMPLETE: 3}


def disclosure_pages(settings: dict, report) -> tuple[list, list]:
    """公开情况 in pages: the committees that need work, the most urgent first;
    and, on pages of their own, those whose every category is in order."""

    def urgency(status) -> tuple:
        worst = min(_URGENCY[c.status] for c in status.categories) if status.categories else 3
        return (worst, chinese_key(status.name))

    needing = sorted(
        (c for c in report.committees if not c.complete or c.has_findings), key=urgency
    )
    complete = sorted(
        (c for c in report.committees if c.complete and not c.has_findings),
        key=lambda c: chinese_key(c.name),
    )
    return (
        paged_by_name(settings, page_location(settings, "DISCLOSURE")[0], needing),
        paged_by_name(settings, page_location(settings, "DISCLOSURE_COMPLETE")[0], complete),
    )


def disclosure_summary(report) -> list[tuple[str, dict]]:
    """(category, {status: how many committees}) in the catalogue's order."""
    found: dict[str, dict] = {}
    for committee in report.committees:
        for category in committee.categories:
            counts = found.setdefault(category.title, dict.fromkeys(Status, 0))
            counts[category.status] += 1
    return list(found.items())
