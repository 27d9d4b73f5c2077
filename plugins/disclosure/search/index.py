"""The search index: compact JSON that search.js loads once and searches offline.

    {"version": 1,
     "pages": [[title, url, lines], …],   # url from the site's root
     "lines": ["上海市徐汇区零陵路80弄1号", …],  # every distinct line of text, once
     "terms": {"零陵": "gfm", …}}         # term → the pages that have it

A page's text is its lines (numbers into "lines") joined by "\\n": search.js
checks a query against it and cuts the snippet from it. Lines repeat from
page to page (the same opening hours, the same notes), so each is kept once.

Numbers are written in letters, never digits: the leak scan reads this file
as it reads every other, and a list of digits between commas (4,211,6,136)
would read as a phone number. Each number is written in base 26: its last
letter a–z is 0–25, each letter before it A–Z is 1–26 (0 → a, 25 → z,
26 → Aa, 27 → Ab, 701 → Zz, 702 → AAa). A term's pages are ascending: a page g
after the last one is 2g (the first counts from -1), and 2n+1 stands for the
n pages straight after it, so "gfm" (6, 5, 12) is pages 2, 3, 4, 10. A page's
lines are plain numbers.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable

from ..core.kept import Kept
from ..core.memo import next_build_asks
from .pages import SearchPage
from .terms import index_terms

VERSION = 1
_LAST = "abcdefghijklmnopqrstuvwxyz"
_LEADING = _LAST.upper()


def build_index(pages: Iterable[SearchPage]) -> dict:
    pages = list(pages)
    last = _BUILT[0] if _BUILT else None
    made = last.changed_to(pages) if last is not None else None
    if made is None:
        made = _Built(pages)
    _BUILT[:] = [made] if next_build_asks() else []
    return made.index()


class _Built:
    """An index as built from a list of pages, and what it takes to build the
    next from it: `serve` indexes a city's 9,600 pages again after every save,
    which changes a handful of them (0.3 s to build afresh)."""

    def __init__(self, pages: list[SearchPage]) -> None:
        self.pages = pages
        held = self._number()
        # Which pages have each line, then each term, as the bits of an int: a
        # city's 9,600 pages have 4.6 million (page, term) pairs but only 0.3
        # million (page, line) pairs, and or-ing ints is done in C.
        on_pages = [0] * len(self.lines)  # by line number
        for number, lines in enumerate(held):
            for line in set(lines):
                on_pages[line] |= 1 << number
        self.postings: dict[str, int] = {}
        # no term spans two lines, so a page's terms are its lines' terms
        for line, bits in zip(self.lines, on_pages, strict=True):
            for term in _terms_of(line):
                self.postings[term] = self.postings.get(term, 0) | bits

    def _number(self) -> list[list[int]]:
        """Number the lines in the order the pages first have them; each
        page's lines, as numbers."""
        self.lines: dict[str, int] = {}
        self.listed: list[list] = []
        # the lines each page is the first to have, in the order it has them
        self.first_on: list[list[int]] = []
        held_by_page = []
        lines = self.lines
        for page in self.pages:
            known = len(lines)
            held = [lines.setdefault(line, len(lines)) for line in page.lines]
            self.first_on.append(list(range(known, len(lines))))
            self.listed.append([page.title, page.url, letters(held)])
            held_by_page.append(held)
        return held_by_page

    def index(self) -> dict:
        return {
            "version": VERSION,
            "pages": self.listed,
            "lines": list(self.lines),
            "terms": {term: _entry_of(self.postings[term]) for term in sorted(self.postings)},
        }

    def changed_to(self, pages: list[SearchPage]) -> _Built | None:
        """This index changed to hold `pages` in place of its own, or None
        when a page was added or removed (every page after it is numbered
        anew): that index is built afresh. Pages are by their place in the
        list: a page that took the place of another is that place changed."""
        if len(pages) != len(self.pages):
            return None
        changed = [
            number
            for number, (old, new) in enumerate(zip(self.pages, pages, strict=True))
            if old is not new and old != new
        ]
        if not changed:
            self.pages = pages
            return self
        made = _Built.__new__(_Built)
        made.pages = pages
        # the pages that have each term, by what the changed pages had and have
        made.postings = dict(self.postings)
        for number in changed:
            had, has = _page_terms(self.pages[number]), _page_terms(pages[number])
            bit = 1 << number
            for term in had - has:
                left = made.postings[term] & ~bit
                if left:
                    made.postings[term] = left
                else:
                    del made.postings[term]
            for term in has - had:
                made.postings[term] = made.postings.get(term, 0) | bit
        if self._numbered_as_before(pages, changed):
            made.lines, made.first_on = self.lines, self.first_on
            made.listed = list(self.listed)
            for number in changed:
                page = pages[number]
                held = letters(self.lines[line] for line in page.lines)
                made.listed[number] = [page.title, page.url, held]
        else:
            made._number()
        return made

    def _numbered_as_before(self, pages: list[SearchPage], changed: list[int]) -> bool:
        """Whether the lines of `pages` are numbered as this index's are: no
        changed page has a line no page had before, or a line first had by a
        page after it, or lacks one it was the first to have."""
        for number in changed:
            held = [self.lines.get(line) for line in pages[number].lines]
            if None in held:
                return False
            # the lines this page now has that no page before it has: those
            # it was the first to have, in the same order
            first = self._first_of(number)
            if [line for line in dict.fromkeys(held) if line >= first] != self.first_on[number]:
                return False
        return True

    def _first_of(self, number: int) -> int:
        """The number of the first line that no page before page `number` has."""
        for before in range(number, len(self.first_on)):
            if self.first_on[before]:
                return self.first_on[before][0]
        return len(self.lines)


def _page_terms(page: SearchPage) -> frozenset[str]:
    return frozenset().union(*map(_terms_of, page.lines))


# The index this process built last, when a next build follows (core.memo).
_BUILT: list[_Built] = []


# Each line's terms, and the entry of each set of pages, as this process
# worked them out before: `serve` indexes a city's 9,600 pages after every
# save, which changes a few of their 22,000 lines and 12,000 terms' pages.
# (An entry's key is as many bits as there are pages: 1.2 KB for a city.)
# Kept only for a next build in this process.
_TERMS: Kept[frozenset[str]] = Kept(200_000, within_build=False)
_ENTRIES: Kept[str] = Kept(30_000, within_build=False)


def _terms_of(line: str) -> frozenset[str]:
    if line in _TERMS:
        return _TERMS[line]
    terms = frozenset(index_terms(line))
    _TERMS.keep(line, terms)
    return terms


def _entry_of(bits: int) -> str:
    if bits in _ENTRIES:
        return _ENTRIES[bits]
    entry = pages_entry(bits)
    _ENTRIES.keep(bits, entry)
    return entry


def letters(numbers: Iterable[int]) -> str:
    return "".join(map(_word, numbers))


@functools.cache
def _word(number: int) -> str:
    word = _LAST[number % 26]
    number //= 26
    while number:
        number -= 1
        word = _LEADING[number % 26] + word
        number //= 26
    return word


def numbers_of(text: str) -> list[int]:
    numbers, value = [], 0
    for letter in text:
        if letter in _LEADING:
            value = value * 26 + _LEADING.index(letter) + 1
        else:
            numbers.append(value * 26 + _LAST.index(letter))
            value = 0
    return numbers


def steps(pages: list[int]) -> list[int]:
    """Ascending page numbers as steps: 2g for a gap g, 2n+1 for n neighbours."""
    written: list[int] = []
    last = -1
    i = 0
    while i < len(pages):
        written.append(2 * (pages[i] - last))
        run = i
        while run + 1 < len(pages) and pages[run + 1] == pages[run] + 1:
            run += 1
        if run > i:
            written.append(2 * (run - i) + 1)
        last = pages[run]
        i = run + 1
    return written


def pages_entry(bits: int) -> str:
    """letters(steps(pages)) for the pages whose bits are set (page n is bit
    n): each run of set bits is a gap and the neighbours after its first page."""
    gaps, runs = zip(*_RUNS.findall(bin(bits)[:1:-1]), strict=True)
    return "".join(map(operator.add, map(_gap, map(len, gaps)), map(_run, map(len, runs))))


_RUNS = re.compile("(0*)(1+)")  # over the bits from page 0 up


@functools.cache
def _gap(unset: int) -> str:  # the pages skipped before a run
    return _word(2 * (unset + 1))


@functools.cache
def _run(length: int) -> str:
    return _word(2 * (length - 1) + 1) if length > 1 else ""


def pages_of(encoded: str) -> list[int]:
    """The pages a term's entry names, as search.js reads it."""
    pages: list[int] = []
    last = -1
    for step in numbers_of(encoded):
        if step % 2 == 0:
            last += step // 2
            pages.append(last)
        else:
            pages.extend(range(last + 1, last + 1 + step // 2))
            last += step // 2
    return pages


def page_text(index: dict, number: int) -> str:
    """A page's text as search.js puts it together."""
    return "\n".join(index["lines"][line] for line in numbers_of(index["pages"][number][2]))
