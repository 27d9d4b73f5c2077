"""Render a notice to PDF bytes on exactly one A4 page, or say it cannot.

A notice is read from a metre away, so it starts large and steps down only
as far as it must: smaller type (never under 16 pt for the body), block
leaders in three columns instead of two, the week in runs of days with the
same hours (周一至周五) and tighter margins, then the hours' notes and the
emergency contacts' explanations left to the web page, and last four
columns of block leaders. What still needs a second page is not
written at all: the generator reports it (E801), since a board notice's
second sheet gets lost.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import weasyprint
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import ThemeOnlyFetcher


@dataclass(frozen=True)
class Step:
    """How large one attempt sets the notice; the template reads these."""

    body_pt: int  # body text; the name and the numbers are larger in proportion
    leader_columns: int
    details: bool  # the hours' notes and the emergency contacts' "what to do" text
    dense: bool = False  # the week as runs of days with the same hours; tighter lines


STEPS = (
    Step(body_pt=20, leader_columns=2, details=True),
    Step(body_pt=18, leader_columns=2, details=True),
    Step(body_pt=16, leader_columns=3, details=True),
    Step(body_pt=16, leader_columns=3, details=True, dense=True),
    Step(body_pt=16, leader_columns=3, details=False, dense=True),
    Step(body_pt=16, leader_columns=4, details=False, dense=True),
)


class Renderer:
    """One per build: WeasyPrint's font configuration is shared by every notice.

    `cache`, a folder, keeps each notice made by a digest of what it was made
    from, so a build in a new process (`build`, `publish`) renders only the
    notices whose content changed: about 0.5 s each otherwise.
    """

    def __init__(self, fetcher: ThemeOnlyFetcher, base_url: str, cache: Path | None = None) -> None:
        self.fetcher = fetcher
        self.base_url = base_url
        self.fonts = FontConfiguration()
        self.cache = cache

    def one_page(
        self,
        html_for: Callable[[Step, str], str],
        day: date,
        qr: tuple[str, Callable[[], str]],
    ) -> tuple[bytes, Step] | None:
        """The PDF of the first step whose notice fits one page; None when none does.

        `html_for(step, image)` is the notice's HTML at `step` with `image` as
        its QR code; `qr` is (what the code is made from, a function drawing
        it). The code is drawn only when the notice is: in the cache key, what
        it is made from stands in for it.

        Each step is no larger than the one before, so the first that fits is
        found by halving (three layouts of six, at ~0.3 s each, rather than up
        to six). The same HTML and day give the same bytes: the PDF's dates
        are `day` (the record's verified date), its identifier a digest of its
        content. A process that builds again (serve, the tests) renders only
        the notices whose HTML changed.
        """
        qr_made_from, draw_qr = qr
        pages = [html_for(step, qr_made_from) for step in STEPS]
        made_from = [weasyprint.__version__, day.isoformat(), self.base_url, *pages]
        key = hashlib.sha256("\0".join(made_from).encode()).digest()
        if key in _MADE:
            _MADE.move_to_end(key)
            return _MADE[key]
        kept = self._kept(key.hex())
        if kept is not _NOT_KEPT:
            return self._remember(key, kept)
        image = draw_qr()
        low, high, fits = 0, len(STEPS), None  # the first that fits is in [low, high)
        while low < high:
            middle = (low + high) // 2
            document = HTML(
                string=html_for(STEPS[middle], image),
                base_url=self.base_url,
                url_fetcher=self.fetcher,
            ).render(font_config=self.fonts)
            if len(document.pages) == 1:
                fits, high = (middle, document), middle
            else:
                low = middle + 1
        made = None
        if fits is not None:
            index, document = fits
            document.metadata.created = document.metadata.modified = day.isoformat()
            made = document.write_pdf(pdf_identifier=True), STEPS[index]
        self._keep(key.hex(), made)
        return self._remember(key, made)

    @staticmethod
    def _remember(key: bytes, made: tuple[bytes, Step] | None) -> tuple[bytes, Step] | None:
        _MADE[key] = made
        while len(_MADE) > _KEEP:
            _MADE.popitem(last=False)
        return made

    # On disk, <digest>.step names the step that fit ("none" when none did) and
    # is written last, after <digest>.pdf: a half-written pair is never read.
    def _kept(self, digest: str):
        if self.cache is None:
            return _NOT_KEPT
        try:
            step = (self.cache / f"{digest}.step").read_text("ascii").strip()
            if step == "none":
                return None
            return (self.cache / f"{digest}.pdf").read_bytes(), STEPS[int(step)]
        except (OSError, ValueError, IndexError):
            return _NOT_KEPT

    def _keep(self, digest: str, made: tuple[bytes, Step] | None) -> None:
        if self.cache is None:
            return
        # A cache that cannot be written costs only time: the notice is made anyway.
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            if made is not None:
                _write(self.cache / f"{digest}.pdf", made[0])
            _write(
                self.cache / f"{digest}.step",
                b"none" if made is None else str(STEPS.index(made[1])).encode(),
            )
        except OSError:
            pass


def _write(path: Path, data: bytes) -> None:
    part = path.with_name(f".{path.name}.{os.getpid()}")
    part.write_bytes(data)
    os.replace(part, path)


_NOT_KEPT = object()


# Notices made in this process, by a digest of what they were made from:
# at ~300 KB each, enough for a few builds of a site the size of the example.
_KEEP = 100
_MADE: OrderedDict[bytes, tuple[bytes, Step] | None] = OrderedDict()
