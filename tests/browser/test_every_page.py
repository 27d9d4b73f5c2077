"""Every HTML page of the example site, in both modes, in headless chromium:
no page scrolls sideways down to a zoomed phone, and axe (WCAG 2.2 and best
practice) finds nothing, on a phone and on a desktop; the 长辈版 (elder mode)
pages are also held to their promise: body text of 22 px or more and AAA
(7:1) contrast.

One browser context per width and mode; the pages are visited in turn in one
tab. The pages come from the built output (`every_page`), so a new page is
checked without anyone listing it.
"""

from __future__ import annotations

import pytest
from headless import (  # noqa: F401
    MODES,
    axe_violations,
    chromium_fixture,
    every_page,
    sideways,
    site_url_fixture,
)

pytestmark = pytest.mark.browser

# (mode, CSS px wide, device scale factor, JavaScript): a 390 px phone at 200%
# zoom, with and without script (the page differs: closures, the address
# box); a small phone; a common phone. The elder pages set their own large
# type, so a zoomed phone is not asked of them.
REFLOW = {
    "195px-zoomed": ("standard", 195, 2, True),
    "195px-zoomed-no-script": ("standard", 195, 2, False),
    "320px": ("standard", 320, 1, True),
    "390px": ("standard", 390, 1, True),
    "elder-320px": ("elder", 320, 1, True),
    "elder-320px-no-script": ("elder", 320, 1, False),
}
AXE_WIDTHS = [320, 1280]
ELDER_BODY_PX = 22


def open_context(chromium, width: int, scale: float = 1, javascript: bool = True):
    return chromium.new_context(
        viewport={"width": width, "height": 800},
        device_scale_factor=scale,
        java_script_enabled=javascript,
    )


@pytest.mark.parametrize(
    ("mode", "width", "scale", "javascript"), REFLOW.values(), ids=REFLOW.keys()
)
def test_no_page_scrolls_sideways(chromium, site_url, example_site, mode, width, scale, javascript):
    pages = every_page(example_site, mode)
    assert len(pages) > 100  # the enumeration found the site
    context = open_context(chromium, width, scale, javascript)
    page = context.new_page()
    wide = {}
    for path in pages:
        page.goto(site_url + path, wait_until="load")
        found = sideways(page)
        if found:
            wide[path] = found[:5]
    context.close()
    assert wide == {}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", AXE_WIDTHS)
def test_axe_finds_nothing_on_any_page(chromium, site_url, example_site, mode, width):
    pages = every_page(example_site, mode)
    assert len(pages) > 100
    elder = mode == "elder"
    context = open_context(chromium, width)
    page = context.new_page()
    found = {}
    for path in pages:
        page.goto(site_url + path, wait_until="load")
        problems = axe_violations(page, enable=("color-contrast-enhanced",) if elder else ())
        body = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        if elder and body < ELDER_BODY_PX:
            problems.append(f"body text {body}px, under {ELDER_BODY_PX}px")
        if problems:
            found[path] = problems
    context.close()
    assert found == {}
