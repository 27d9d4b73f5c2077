"""What a resident reads on each written page: its title and its <main> text.

Read from the HTML files the build wrote, so the index holds exactly what is
published (a masked number stays masked) whatever template or Markdown page
wrote it. Text a reader does not see without script is left out: scripts,
styles, drawings (charts carry their words in their label), <noscript>,
anything `hidden`, and words for screen readers only (`visually-hidden`: a
masked number's digits said one by one). Block elements end a line, as a browser lays them out; a
phrase never runs from one line into the next.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..core.kept import Kept, seen_as
from ..core.tree import files_of_build
from ..core.workers import map_forked
from ..elder_pages import is_elder_page

# Elements a browser sets on lines of their own (as innerText reads them).
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip
_UNREAD = frozenset({"script", "style", "template", "svg", "noscript"})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})  # fmt: skip
_SPACE = re.compile(r"\s+")
_BREAK = "\0"  # where a line ends, among the text (which holds no NUL)


@dataclass(frozen=True)
class SearchPage:
    url: str  # from the site's root: committees/rihui-liucun/, "" for the home page
    title: str
    lines: tuple[str, ...]  # the <main> text, one line per block, white space folded

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Reader:
    """libxml2's HTML parser target: the parsing is C, only the events are Python
    (Python's own html.parser took most of the build's search step)."""

    def __init__(self) -> None:
        self.in_main = 0
        self.skipping: list[str] = []  # the unread element we are inside, once per nesting
        self.pieces: list[str] = []
        self.title: list[str] = []
        self.in_title = False
        self.h1: list[str] | None = None
        self.in_h1 = False
        self.noindex = False

    def start(self, tag, values):
        if tag == "meta" and (values.get("name") or "").lower() == "robots":
            self.noindex |= "noindex" in (values.get("content") or "").lower()
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.append(tag)
            return
        if tag == "title":
            self.in_title = True
        if tag == "main":
            self.in_main += 1
        if not self.in_main:
            return
        unseen = "hidden" in values or "visually-hidden" in (values.get("class") or "").split()
        if tag not in _VOID and (tag in _UNREAD or unseen):
            self.skipping.append(tag)
            return
        if tag in _BLOCKS:
            self.pieces.append(_BREAK)
        if tag == "h1" and self.h1 is None:
            self.h1, self.in_h1 = [], True

    def close(self):  # what the parser returns: the reader holds it all
        return None

    def end(self, tag):
        if tag in _VOID:  # an element with no end tag: its start said all
            return
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.pop()
            return
        if tag == "title":
            self.in_title = False
        if not self.in_main:
            return
        if tag in _BLOCKS:
            self.pieces.append(_BREAK)
        if tag == "h1":
            self.in_h1 = False
        if tag == "main":
            self.in_main -= 1

    def data(self, data):
        if self.skipping:
            return
        if self.in_title:
            self.title.append(data)
        if self.in_main:
            self.pieces.append(data)
            if self.in_h1 and self.h1 is not None:
                self.h1.append(data)


def _folded(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def read_page(html: str, url: str, site_name: str = "") -> SearchPage | None:
    """The page as search sees it; None for a page that asks not to be
    indexed (<meta name="robots" content="noindex">) or has no <main>."""
    reader = _Reader()
    parser = etree.HTMLParser(target=reader, no_network=True, default_doctype=False)
    # Only the head (title, robots) and <main> are read: parsing is most of
    # the search step's time, and the header, navigation and footer are no
    # part of a page's text.
    start, end = html.find("<main"), html.rfind("</main>")
    if start < 0 or end < start:
        return None
    body = html.find("<body", 0, start)
    parser.feed(html[: body if body >= 0 else start])
    parser.feed(html[start : end + len("</main>")])
    parser.close()
    if reader.noindex:
        return None
    lines = tuple(
        line for line in (_folded(part) for part in "".join(reader.pieces).split(_BREAK)) if line
    )
    title = _folded("".join(reader.h1 or ()))
    if not title:
        # "<title>关于本站 - 日晖街道信息公开</title>": the part before the site's name
        title = _folded("".join(reader.title))
        if site_name and title.endswith(f" - {site_name}"):
            title = title.removesuffix(f" - {site_name}")
    return SearchPage(url=url, title=title or url or "/", lines=lines)


def url_of(inside: str) -> str:
    """The URL of a file written at `inside` (from the output folder, with "/"
    between the parts): a folder's index.html is the folder."""
    if inside == "index.html":
        return ""
    return inside.removesuffix("index.html") if inside.endswith("/index.html") else inside


def written_pages(
    output: Path,
    skip: set[str] = frozenset(),
    site_name: str = "",
    workers: int = 1,
    kept: Path | None = None,
) -> list[SearchPage]:
    """Every page under `output` in URL order, but those at a URL in `skip` and
    the elder twins (the same text again, searched from the standard page);
    what each page's bytes read as is kept in `kept` for the next build."""
    _READ.read_from(kept, _page_from)
    found = []
    pages = [(url_of(f.name), f) for f in files_of_build(output) if f.name.endswith(".html")]
    for url, page in sorted(pages, key=lambda item: item[0]):
        if url in skip or is_elder_page(url):
            continue
        # a page unchanged since this process read it (one `serve` took from
        # the live site) is not read again; a build for the public reads all
        seen = (seen_as(page.stat), url, site_name) if kept is not None else None
        found.append((page.path, url, seen))

    def read(item: tuple[str, str, tuple | None]) -> tuple[SearchPage | None, bytes]:
        path, url, _seen = item
        with open(path, "rb") as held:
            data = held.read()
        key = hashlib.blake2b(f"{url}\0{site_name}\0".encode() + data, digest_size=32).digest()
        if key in _READ:
            return _READ[key], key
        return read_page(data.decode("utf-8", errors="replace"), url, site_name), key

    # pages this process read as they are now (`serve`: all but those a save
    # changed) are taken here; only the others are worth sharing out
    made: list = [
        (_READ[_SEEN[seen]], _SEEN[seen]) if seen in _SEEN and _SEEN[seen] in _READ else None
        for _path, _url, seen in found
    ]
    unread = [index for index, page in enumerate(made) if page is None]
    # forking a city's build costs what reading a hundred pages does
    read_now = map_forked(read, [found[index] for index in unread], workers, least=100)
    for index, page in zip(unread, read_now, strict=True):
        made[index] = page
    pages, keys = [], []
    for (_path, _url, seen), (page, key) in zip(found, made, strict=True):
        _READ.keep(key, page)
        if seen is not None:
            _SEEN.keep(seen, key)
        keys.append(key)
        if page is not None:
            pages.append(page)
    _READ.write_to(kept, keys, _page_as)
    return pages


# Pages read, by their address, the site's name and their bytes (reading one
# costs about 0.7 ms): by this process, or by the build before, which kept
# them on disk (core/kept).
_READ: Kept[SearchPage | None] = Kept(100_000)
KEPT_AS = "search-pages"
# The key of each page this process read, by its signature, address and the
# site's name: never kept on disk.
_SEEN: Kept[bytes] = Kept(100_000)


def _page_as(page: SearchPage | None) -> list | None:
    return None if page is None else [page.url, page.title, list(page.lines)]


def _page_from(kept: list | None) -> SearchPage | None:
    if kept is None:
        return None
    if not isinstance(kept, list):
        raise ValueError(f"not a page as search reads it: {kept!r}")
    url, title, lines = kept
    if not all(isinstance(text, str) for text in (url, title, *lines)):
        raise ValueError(f"not a page as search reads it: {kept!r}")
    return SearchPage(url, title, tuple(lines))
