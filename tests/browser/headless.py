"""Headless Debian chromium for tests, and a local server for the built site."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import axe_playwright_python
import pytest
from disclosure.cli.serve import PreviewHandler
from disclosure.elder_pages import is_elder_page

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
# axe's rules for WCAG 2.0, 2.1 and 2.2 A and AA, and its best practices
# (landmarks, heading order…), which catch what residents meet beyond the letter.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The flags keep chromium from calling home, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (apt-get install chromium)")
    pytest.skip(
        "Debian's chromium is not installed; `apt-get install chromium` to run browser tests"
    )


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(PreviewHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()


def axe_violations(page, tags: list[str] = AXE_TAGS, enable: tuple[str, ...] = ()) -> list[str]:
    """What axe finds on the page with the rules of `tags`, and the rules named in
    `enable` besides (e.g. AAA contrast, in no tag run here)."""
    page.evaluate(AXE_JS)
    result = page.evaluate(
        """([tags, enable]) => axe.run(document, {
             runOnly: {type: 'tag', values: tags},
             rules: Object.fromEntries(enable.map(id => [id, {enabled: true}])),
             resultTypes: ['violations']})""",
        [tags, list(enable)],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


MODES = ("standard", "elder")


def every_page(folder: Path, mode: str = "standard") -> list[str]:
    """The address, relative to the site's root, of every HTML page of one mode
    built into `folder` (`committees/x/` for committees/x/index.html; the
    长辈版 pages are those under elder/): the one list every-page tests share."""
    pages = []
    for file in sorted(folder.rglob("*.html")):
        address = file.relative_to(folder).as_posix()
        if is_elder_page(address) == (mode == "elder"):
            pages.append(address.removesuffix("index.html"))
    return pages


# Whether a page scrolls sideways, and what sticks out: the elements whose
# right edge is beyond the viewport, innermost first (an element whose children
# stay inside is the cause; its ancestors only widen around it). Elements are
# measured too because `overflow-x: hidden` would hide the scroll, not the text.
SIDEWAYS_JS = """() => {
  const width = document.documentElement.clientWidth;
  const beyond = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const out = [...document.body.querySelectorAll('*')].filter(beyond)
    .filter(el => ![...el.children].some(beyond))
    .map(el => name(el) + ' → ' + Math.round(el.getBoundingClientRect().right) + 'px');
  return {scrollWidth: document.documentElement.scrollWidth, width, out};
}"""


def sideways(page) -> list[str]:
    """What makes the page wider than its viewport; [] when nothing does."""
    found = page.evaluate(SIDEWAYS_JS)
    if found["scrollWidth"] > found["width"] and not found["out"]:
        return [f"scrollWidth {found['scrollWidth']} > {found['width']}"]
    return found["out"]


# The fixtures every browser test module shares. Import the *_fixture
# functions; tests ask for them as site_url, chromium and page_at.


@pytest.fixture(scope="module", name="site_url")
def site_url_fixture(example_site):
    """The example site, built once per session, served on localhost."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="module", name="chromium")
def chromium_fixture():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(name="page_at")
def page_at_fixture(chromium, site_url):
    """Open a page at a width; every request it makes and every script error is recorded."""
    contexts = []

    def open_page(path: str, *, width: int = 390, javascript: bool = True):
        context = chromium.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(site_url + path, wait_until="load")
        return page

    yield open_page
    for context in contexts:
        context.close()
