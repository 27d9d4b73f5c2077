"""Reading built pages in tests: visible text, and the URLs a page refers to."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

_BREAKS = frozenset(
    {"br", "p", "li", "dt", "dd", "th", "td", "tr", "div", "h1", "h2", "h3", "section", "nav"}
)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _BREAKS:  # what a reader sees as a gap
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("href", "src", "action", "srcset", "data") and value is not None:
                self.urls.append((tag, name, value))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def text(path: Path) -> str:
    """The page's visible text with runs of white space folded."""
    return re.sub(r"\s+", " ", "".join(parse(path).text))


def urls(path: Path) -> list[tuple[str, str, str]]:
    return parse(path).urls
