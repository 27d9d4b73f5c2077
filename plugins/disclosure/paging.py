"""Listings that grow with the records, cut into pages a phone can open.

A listing of a few hundred committees or events is one page; of thousands it
would be megabytes. Each listing is cut into pages of at most
LISTING_PAGE_SIZE entries: page 1 stays at the listing's own address (so
every link to it keeps working), page N is at LISTING_PAGE_URL. Every page
carries links to all the others, each named by what it holds (日晖一村 … ,
2020年10月 …), so a reader can jump rather than step through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .settings import page_location, save_as_of, setting

T = TypeVar("T")
G = TypeVar("G")


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    label: str  # what the page holds, for the navigation


@dataclass(frozen=True)
class Page(Generic[T]):
    number: int
    url: str
    items: Sequence[T]
    links: tuple[PageLink, ...]  # every page of the listing, this one included

    @property
    def save_as(self) -> str:
        return save_as_of(self.url)

    @property
    def count(self) -> int:
        return len(self.links)

    @property
    def previous(self) -> PageLink | None:
        return self.links[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.links[self.number] if self.number < len(self.links) else None

    @property
    def label(self) -> str:
        return self.links[self.number - 1].label


def page_size(settings: dict) -> int:
    return setting(settings, "LISTING_PAGE_SIZE")


def page_url(settings: dict, listing: str, number: int) -> str:
    """Page `number` of the listing whose first page is at `listing`."""
    if number == 1:
        return listing
    return page_location(settings, "LISTING_PAGE", listing=listing, number=number)[0]


def cut(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Runs of at most `size`, in order; an empty listing is one empty page."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def cut_groups(
    sections: Sequence[Sequence[G]],
    size: int,
    members: Callable[[G], Sequence],
    part: Callable[[G, Sequence, bool], G],
    weight: Callable[[object], int] = lambda member: 1,
) -> list[tuple[list[G], ...]]:
    """Listings of groups (months, roads) cut into pages of at most `size`
    entries, in order; a member counts as `weight` entries (an address as its
    lines). `sections` (a collection's upcoming and past) run on from one to
    the next, and each page holds its share of each. A group stays whole on
    a page where it fits; one longer than a page goes on over the next ones,
    `part(group, members, continued)` making each share."""
    cut_pages: list[list[list[G]]] = []
    room = 0

    def new_page() -> int:
        cut_pages.append([[] for _ in sections])
        return size

    for index, groups in enumerate(sections):
        for group in groups:
            left, continued = list(members(group)), False
            while left:
                need = sum(weight(m) for m in left)
                if room <= 0 or room < need <= size:
                    room = new_page()
                taken, used = [], 0
                for member in left:
                    if taken and used + weight(member) > room:
                        break
                    taken.append(member)
                    used += weight(member)
                if used > room and room < size:  # not even one fits what is left of the page
                    room = new_page()
                    continue
                cut_pages[-1][index].append(part(group, taken, continued))
                left, room, continued = left[len(taken) :], room - used, True
    return [tuple(page) for page in cut_pages] or [tuple([] for _ in sections)]


def pages(
    settings: dict, listing: str, chunks: Sequence[Sequence[T]], labels: Sequence[str]
) -> list[Page[T]]:
    """The pages of a listing already cut into `chunks`, one label each."""
    links = tuple(
        PageLink(number, page_url(settings, listing, number), label)
        for number, label in enumerate(labels, start=1)
    )
    return [
        Page(number, link.url, chunk, links)
        for number, (link, chunk) in enumerate(zip(links, chunks, strict=True), start=1)
    ]


def span_label(first: str, last: str) -> str:
    return first if first == last else f"{first} 至 {last}"
