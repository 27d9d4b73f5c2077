"""The search step of the build: index the written pages, then write the search page.

Pelican runs plugin generators after its own and in the order they are
returned (plugin `get_generators`), each one's output before the next's; this
one comes after every generator that writes pages, so it reads them all. The
leak scan (`finalized`) reads what it writes, like every other file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pelican.generators import Generator

from ..core.json_text import compact_json
from ..core.kept import kept_file
from ..core.phases import phase
from ..settings import kept_between_processes, page_location, setting, workers
from .index import build_index
from .pages import KEPT_AS, SearchPage, written_pages


def index_location(url: str, save_as: str) -> tuple[str, str]:
    """(url, file) of the index beside the search page: search/ → search/index.json."""

    def beside(place: str) -> str:
        if place.endswith("/") or not place:
            return place + "index.json"
        return Path(place).with_suffix(".json").as_posix()

    return beside(url), beside(save_as.removesuffix("index.html"))


@dataclass
class Section:
    """A folder of the site, for the search page's list of every page."""

    title: str
    url: str | None  # the folder's own page, when it has one
    pages: list[SearchPage] = field(default_factory=list)


def directory(pages: list[SearchPage], other: str = "其他页面") -> list[Section]:
    """The pages by their first folder (committees/, events/…), in URL order;
    folders of a single page and the home page together, last."""
    folders: dict[str, list[SearchPage]] = {}
    for page in pages:
        folders.setdefault(page.url.split("/", 1)[0] if "/" in page.url else "", []).append(page)
    sections, rest = [], Section(other, None)
    for folder, held in folders.items():
        if not folder or len(held) == 1:
            rest.pages += held
            continue
        own = next((p for p in held if p.url == f"{folder}/"), None)
        sections.append(Section(own.title if own else folder, own.url if own else None, held))
    if rest.pages:
        sections.append(Section(rest.title, None, sorted(rest.pages, key=lambda p: p.url)))
    return sections


class SearchGenerator(Generator):
    def generate_context(self) -> None:
        # every page's header has the search box
        self.context["search_url"] = setting(self.settings, "SEARCH_URL")

    def generate_output(self, writer) -> None:
        url, save_as = page_location(self.settings, "SEARCH")
        output = Path(self.output_path)
        # Pelican's hidden pages are published but listed nowhere, here neither.
        skip = {url, *(page.url for page in self.context.get("hidden_pages", []))}
        with phase("search"):
            pages = written_pages(
                output,
                skip,
                site_name=self.settings.get("SITENAME", ""),
                workers=workers(self.settings),
                kept=kept_file(kept_between_processes(self.settings), KEPT_AS),
            )
            index_url, index_file = index_location(url, save_as)
            index_path = output / index_file
            index_path.parent.mkdir(parents=True, exist_ok=True)
            index_path.write_bytes(compact_json(build_index(pages)))
        writer.write_file(
            save_as,
            self.get_template("search"),
            self.context,
            self.settings["RELATIVE_URLS"],
            url=url,
            search_page=True,
            search_index=index_url,
            directory=directory(pages),
            page_count=len(pages),
        )
