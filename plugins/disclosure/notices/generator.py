"""The board-notice step of the build: a one-page PDF beside each committee page.

Runs after the record generator made the committee views (its context) and
before any page is written, since each committee page links its notice with
the file's size. The notices are written here, where they are made, so a
large site does not hold every PDF in memory; the leak scan (`finalized`)
reads them back like every other file.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pelican.generators import Generator

from ..core.phases import phase
from ..core.problems import Position, Problem, Severity
from ..core.workers import map_forked
from ..settings import page_location, public_url, setting, workers
from ..signals import report_ready
from .qr import qr_data_uri, qr_made_from
from .week import week_lines

if TYPE_CHECKING:
    from .render import Step

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NoticeLink:
    """What a committee page says of its notice."""

    url: str
    size: str  # 86 KB


def notice_location(url: str, save_as: str, name: str) -> tuple[str, str]:
    """(url, file) of a notice beside its committee page: committees/a/ → committees/a/notice.pdf;
    a page saved as committees/a.html gets committees/a-notice.pdf."""

    def beside(place: str) -> str:
        if place.endswith("/") or not place:
            return place + name
        path = PurePosixPath(place)
        return str(path.with_name(f"{path.stem}-{name}"))

    return beside(url), beside(save_as.removesuffix("index.html") if url.endswith("/") else save_as)


def size_text(size: int) -> str:
    return f"{max(1, round(size / 1024))} KB"


class NoticeGenerator(Generator):
    def generate_context(self) -> None:
        base = public_url(self.settings)
        committees = self.context.get("committees")
        if base is None or committees is None:
            return  # settings_problems refused these settings (S015) before anything was built
        tools = weasyprint_tools()
        if tools is None:
            show([MISSING_LIBRARIES], sender=self)
            self.context["notices"] = {}
            return
        Renderer, ThemeOnlyFetcher = tools
        theme = Path(self.settings["THEME"])
        renderer = Renderer(
            ThemeOnlyFetcher(theme),
            theme.resolve().as_uri() + "/",
            cache=Path(self.settings["CACHE_PATH"]) / "board-notices",
        )
        template = self.get_template("notice/board")
        name = setting(self.settings, "NOTICE_FILE")
        positions = self.context.get("committee_positions", {})
        output = Path(self.output_path)

        def make(committee) -> NoticeLink | None:
            page_url, save_as = page_location(self.settings, "COMMITTEE", slug=committee.slug)
            url, file = notice_location(page_url, save_as, name)
            address = f"{base}/{page_url}"
            week = week_lines(committee.timetable or [])

            def html_for(step: Step, qr: str) -> str:
                return template.render(
                    self.context, committee=committee, address=address, qr=qr, step=step, week=week
                )

            made = renderer.one_page(
                html_for,
                committee.verified or self.context["as_of"],
                qr=(qr_made_from(address), lambda: qr_data_uri(address)),
            )
            if made is None:
                return None
            pdf, step = made
            logger.debug("board notice of %s: %s, %d bytes", committee.slug, step, len(pdf))
            target = output / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pdf)
            return NoticeLink(url, size_text(len(pdf)))

        started = time.perf_counter()
        with phase("notices"):
            made = map_forked(make, committees, workers(self.settings))
        links: dict[str, NoticeLink] = {}
        problems: list[Problem] = []
        for committee, link in zip(committees, made, strict=True):
            if link is None:
                where = positions.get(committee.slug, Position(committee.slug))
                problems.append(
                    Problem(where, "E801", overflow_message(committee), Severity.WARNING)
                )
            else:
                links[committee.slug] = link
        if problems:
            show([str(problem) for problem in problems], sender=self)
        if committees:
            logger.debug(
                "board notices: %d in %.2f s", len(committees), time.perf_counter() - started
            )
        self.context["notices"] = links


# Said by every build on a machine without them; the rest of the site is built.
MISSING_LIBRARIES = (
    "W802 这次没有生成公示栏告示（PDF）：本机缺少排版 PDF 用的系统库 pango。"
    "请安装后重新生成（Debian/Ubuntu：apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "fonts-noto-cjk），网站的其他部分照常生成（警告）"
)


def weasyprint_tools():
    """(Renderer, ThemeOnlyFetcher), or None where WeasyPrint cannot load the
    system libraries it draws with (pango): a machine with only Python."""
    try:
        from .fetcher import ThemeOnlyFetcher
        from .render import Renderer
    except (OSError, ImportError):
        return None
    return Renderer, ThemeOnlyFetcher


def show(lines: list[str], sender) -> None:
    """Said where the build says its other warnings (cli.commands), or logged
    under plain `pelican`."""
    if report_ready.receivers:
        report_ready.send(sender, lines=lines)
        return
    for line in lines:
        logger.warning("%s", line)


def overflow_message(committee) -> str:
    # A warning, not an error: the site (closures, today's hours) must not
    # stop updating because one sheet of paper is too small.
    return (
        f"{committee.name}的公示栏告示（A4 一页）放不下：块长 {len(committee.block_leaders)} 位、"
        f"紧急联络 {len(committee.emergency)} 项，字号缩到 16 磅、块长分四栏仍超过一页，"
        "这次没有生成告示，网页上也不提供下载。请把服务时间说明、紧急联络写得简短些，"
        "或请网站维护人员调整告示的版式"
    )
