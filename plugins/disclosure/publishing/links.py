"""Every internal link, asset, feed and calendar URL in a built site resolves.

The site is checked as files, the way a static host will serve them: under
the address (and sub-path) it is built for, a link resolves to a file, a
folder link ends in / and has an index.html, and a #fragment names an id on
the page. Links to other sites are not followed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..core.problems import Position, Problem, quoted

# A site built with relative links has no address; links are resolved
# against this stand-in, which no link of the site's own can name.
_RELATIVE_BASE = "http://relative.invalid/"

_LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data",),
    "form": ("action",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
_NOT_WEB = ("tel:", "mailto:", "sms:", "data:")


@dataclass(frozen=True)
class Link:
    url: str
    position: Position


class _PageParser(HTMLParser):
    def __init__(self, shown: str):
        super().__init__(convert_charrefs=True)
        self.shown = shown
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        line, offset = self.getpos()
        position = Position(self.shown, line, offset + 1)
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            if name in _LINK_ATTRIBUTES.get(tag, ()):
                urls = _srcset(value) if name == "srcset" else [value.strip()]
                self.links.extend(Link(u, position) for u in urls)

    handle_startendtag = handle_starttag


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


@dataclass
class _Page:
    links: list[Link]
    ids: set[str]


class SiteLinks:
    """The links of one built site, checked against its own files."""

    def __init__(self, folder: Path, site_url: str, shown_root: str):
        self.folder = folder
        self.base = (site_url.rstrip("/") + "/") if site_url else _RELATIVE_BASE
        base = urlsplit(self.base)
        self.origin = (base.scheme, base.netloc.lower())
        # Compared decoded: the address may be typed with 日晖 and linked as %E6%97%A5…
        self.prefix = unquote(base.path)
        self.shown_root = shown_root
        self._pages: dict[str, _Page] = {}

    def shown(self, rel: str) -> str:
        return f"{self.shown_root}/{rel}"

    def page(self, rel: str) -> _Page:
        if rel not in self._pages:
            parser = _PageParser(self.shown(rel))
            parser.feed((self.folder / rel).read_text("utf-8", errors="replace"))
            parser.close()
            self._pages[rel] = _Page(parser.links, parser.ids)
        return self._pages[rel]

    def check(self) -> list[Problem]:
        problems: list[Problem] = []
        for path in sorted(self.folder.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(self.folder).as_posix()
            suffix = path.suffix.lower()
            if suffix == ".html":
                links = self.page(rel).links
            elif suffix in (".atom", ".xml"):
                links = _feed_links(path, self.shown(rel))
            elif suffix == ".ics":
                links = _calendar_links(path, self.shown(rel))
            elif suffix == ".json":
                links = _json_links(path, self.shown(rel))
            else:
                continue
            for link in links:
                problem = self.resolve(rel, link)
                if problem:
                    problems.append(problem)
        return problems

    def resolve(self, rel: str, link: Link) -> Problem | None:
        url = link.url
        if not url or url.lower().startswith(_NOT_WEB):
            return None
        if url.lower().startswith("webcal://"):
            url = "https://" + url[len("webcal://") :]
        absolute = urljoin(self.base + rel, url)
        parts = urlsplit(absolute)
        if parts.netloc.lower() != self.origin[1]:
            return None  # another site: not ours to check
        path = unquote(parts.path)
        if not path.startswith(self.prefix):
            return Problem(
                link.position,
                "G002",
                f"链接 {quoted(link.url)} 指向网站地址 {self.base} 之外，"
                "网站放在子路径下时会打不开：模板中的链接请以 SITEURL 开头",
            )
        target = path[len(self.prefix) :]
        if target == "" or target.endswith("/"):
            target += "index.html"
        file = self.folder / target
        if file.is_dir():
            return Problem(
                link.position,
                "G003",
                f"链接 {quoted(link.url)} 指向文件夹，结尾少了 /：静态托管不会自动补上",
            )
        if not file.is_file() or ".." in Path(target).parts:
            return Problem(link.position, "G001", f"链接 {quoted(link.url)} 的目标 {target} 不存在")
        if parts.fragment and target.endswith(".html"):
            fragment = unquote(parts.fragment)
            if fragment not in self.page(target).ids:
                return Problem(
                    link.position,
                    "G004",
                    f"链接 {quoted(link.url)} 指向的页面上没有 id 为 {quoted(fragment)} 的位置",
                )
        return None


def _feed_links(path: Path, shown: str) -> list[Link]:
    links = []
    for element in ET.parse(path).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "link" and element.get("href"):
            links.append(Link(element.get("href"), Position(shown)))
        elif name == "loc" and element.text:  # a sitemap's pages
            links.append(Link(element.text.strip(), Position(shown)))
    return links


_ICS_URL = re.compile(r"^URL(?:;[^:]*)?:(.+)$")


def _calendar_links(path: Path, shown: str) -> list[Link]:
    # Folded lines continue with a space or tab (RFC 5545 3.1).
    text = re.sub(r"\r?\n[ \t]", "", path.read_text("utf-8"))
    links = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ICS_URL.match(line)
        if match:
            links.append(Link(match.group(1).strip(), Position(shown, number)))
    return links


# Keys whose value is a link: report.json's and the data files' url and
# $schema, the data files' page_url-style fields, and the DCAT catalogue's
# downloadURL, accessURL, landingPage, homepage and conformsTo.
_JSON_LINK_KEYS = ("url", "$schema", "landingPage", "homepage", "conformsTo")


# Keys whose value is a vocabulary, not a document: the search index's
# `terms` maps the words of the pages (url, homepage …) to where they stand.
_JSON_VOCABULARIES = ("terms",)


def _is_link_key(key: str) -> bool:
    return key in _JSON_LINK_KEYS or key.endswith(("_url", "URL"))


def _json_links(path: Path, shown: str) -> list[Link]:
    links: list[Link] = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in _JSON_VOCABULARIES:
                    continue
                if _is_link_key(key) and isinstance(item, str):
                    links.append(Link(item, Position(shown)))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(path.read_text("utf-8")))
    return links
