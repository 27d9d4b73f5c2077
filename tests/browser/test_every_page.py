"""Every HTML page of the example site, in headless chromium: no page scrolls
sideways down to a zoomed phone, and axe (WCAG 2.2 and best practice) finds
nothing, on a phone and on a desktop.

One browser context per width and mode; the pages are visited in turn in one
tab. The pages come from the built output (`every_page`), so a new page is
checked without anyone listing it; `SITES` names the parts of the output to
check, so a second rendering of the site (e.g. under elder/) is one more entry.
"""

from __future__ import annotations

import pytest
from headless import (  # noqa: F401
    axe_violations,
    chromium_fixture,
    every_page,
    sideways,
    site_url_fixture,
)

pytestmark = pytest.mark.browser

# The parts of the output whose pages are checked: name -> folder under output/.
SITES = {"site": ""}

# (CSS px wide, device scale factor, JavaScript): a 390 px phone at 200% zoom,
# with and without script (the page differs: closures, the address box); a
# small phone; a common phone.
REFLOW = {
    "195px-zoomed": (195, 2, True),
    "195px-zoomed-no-script": (195, 2, False),
    "320px": (320, 1, True),
    "390px": (390, 1, True),
}
AXE_WIDTHS = [320, 1280]

# Another branch of issue 12 refits the phone-number buttons (their rules are
# not this branch's): a page that scrolls only because of them is reported as
# an expected failure, not hidden. Delete this once that branch is merged.
PHONE_BUTTONS = ".phone--button"
HIDE_PHONE_BUTTONS = f"{PHONE_BUTTONS} {{ display: none !important; }}"


def open_context(chromium, width: int, scale: float = 1, javascript: bool = True):
    return chromium.new_context(
        viewport={"width": width, "height": 800},
        device_scale_factor=scale,
        java_script_enabled=javascript,
    )


@pytest.mark.parametrize("under", SITES.values(), ids=SITES.keys())
@pytest.mark.parametrize(("width", "scale", "javascript"), REFLOW.values(), ids=REFLOW.keys())
def test_no_page_scrolls_sideways(
    chromium, site_url, example_site, under, width, scale, javascript
):
    pages = every_page(example_site, under)
    assert len(pages) > 100  # the enumeration found the site
    context = open_context(chromium, width, scale, javascript)
    page = context.new_page()
    wide, phone_only = {}, []
    for path in pages:
        page.goto(site_url + path, wait_until="load")
        found = sideways(page)
        if not found:
            continue
        # (a style element made by hand: add_style_tag would wait for a load
        # event that never comes without JavaScript)
        page.evaluate(
            "css => document.head.appendChild(document.createElement('style')).textContent = css",
            HIDE_PHONE_BUTTONS,
        )
        if sideways(page):
            wide[path] = found[:5]
        else:
            phone_only.append(path)
    context.close()
    assert wide == {}
    if phone_only:
        pytest.xfail(
            f"{len(phone_only)} pages scroll sideways at {width}px only because of "
            f"{PHONE_BUTTONS} (being refitted on the phone-number branch): {phone_only}"
        )


@pytest.mark.parametrize("under", SITES.values(), ids=SITES.keys())
@pytest.mark.parametrize("width", AXE_WIDTHS)
def test_axe_finds_nothing_on_any_page(chromium, site_url, example_site, under, width):
    pages = every_page(example_site, under)
    context = open_context(chromium, width)
    page = context.new_page()
    found = {}
    for path in pages:
        page.goto(site_url + path, wait_until="load")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}
