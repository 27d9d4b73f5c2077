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

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
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


def axe_violations(page) -> list[str]:
    page.evaluate(AXE_JS)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


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
