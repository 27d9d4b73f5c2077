"""Both Atom feeds as a feed reader shows them, in headless chromium: markup
typed into a record stays text, and no handler it carries ever fires."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import build, replace_in
from headless import chromium_fixture  # noqa: F401

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = [
    '<img src=x onerror="window.fired=(window.fired||0)+1">读书会',
    '<svg onload="window.fired=(window.fired||0)+1"></svg>',
    "&lt;img src=x onerror=&quot;window.fired=1&quot;&gt;",
]


def _entries(feed) -> list[tuple[str, str]]:
    """(type, content) of every summary and content element, as a reader parses them."""
    root = ET.parse(feed).getroot()
    return [
        (element.get("type", "text"), element.text or "")
        for entry in root.iter(f"{ATOM}entry")
        for element in (entry.find(f"{ATOM}summary"), entry.find(f"{ATOM}content"))
        if element is not None
    ]


# RFC 4287 3.1.1: a reader shows type="text" as text and type="html" as markup.
RENDER = """entries => {
  for (const [type, content] of entries) {
    const shown = document.createElement("div");
    if (type === "text") shown.textContent = content; else shown.innerHTML = content;
    document.body.append(shown);
  }
}"""


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_handler_typed_into_a_record_fires_in_a_feed_reader(
    chromium, content, tmp_path, hostile
):
    quoted = hostile.replace("'", "''")
    replace_in(
        content / "data/events/2026/zuojia-jianmianhui.yaml",
        "summary: 与沪上作家聊城市记忆与写作。",
        f"summary: '{quoted}'",
    )
    replace_in(content / "data/plans/2020-h2.yaml", "note: 通过市级复审。", f"note: '{quoted}'")
    output = build(content, tmp_path / "output").output
    feeds = [output / "events/feed.atom", output / "plans/2020-h2/feed.atom"]
    entries = [entry for feed in feeds for entry in _entries(feed)]
    assert {kind for kind, _ in entries} == {"text"}
    context = chromium.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content("<!doctype html><meta charset=utf-8><body></body>")
    page.evaluate(RENDER, entries)
    page.wait_for_timeout(200)  # an image's onerror fires once its load fails
    fired = page.evaluate("window.fired")
    shown = page.inner_text("body")
    images = page.locator("img, svg").count()
    context.close()
    assert (fired, dialogs, images) == (None, [], 0)
    assert hostile in shown  # what staff typed, shown as they typed it
