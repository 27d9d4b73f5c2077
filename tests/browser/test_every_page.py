"""Every HTML page of the example site, in both modes, in headless chromium:
no page scrolls sideways down to a zoomed phone; axe (WCAG 2.2 and best
practice) finds nothing, on a phone and on a desktop; every tel: link is a
target a finger hits; no text is small print; and the 长辈版 (elder mode)
pages keep their promise: 60 px targets, body text of 22 px or more and AAA
(7:1) contrast.

The pages come from the built output (`every_page`), so a new page is checked
without anyone listing it. Loading a page is most of the cost, so each page is
loaded once per visit (a mode, a width, a zoom, script on or off) and every
check made at that visit runs on that one load; each test then reads its own
check's findings at one visit, so a failure names the check (the test), the
visit (its id) and every page that fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from headless import (  # noqa: F401
    axe_violations,
    chromium_fixture,
    every_page,
    sideways,
    site_url_fixture,
)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Visit:
    mode: str
    width: int  # CSS px
    scale: float = 1  # device scale factor: a 390 px phone zoomed to 200 % is 195 px at 2
    javascript: bool = True


# A 390 px phone at 200 % zoom, with and without script (the page differs:
# closures, the address box); a small phone; a common phone; a desktop. The
# elder pages set their own large type, so a zoomed phone is not asked of them.
VISITS = {
    "195px-zoomed": Visit("standard", 195, 2),
    "195px-zoomed-no-script": Visit("standard", 195, 2, javascript=False),
    "320px": Visit("standard", 320),
    "390px": Visit("standard", 390),
    "1280px": Visit("standard", 1280),
    "elder-320px": Visit("elder", 320),
    "elder-320px-no-script": Visit("elder", 320, javascript=False),
    "elder-1280px": Visit("elder", 1280),
}
ELDER_BODY_PX = 22


def scrolls_sideways(page, visit: Visit) -> list[str]:
    return sideways(page)[:5]


# Each rendered tel: link's box, and a name for it in a failure.
TEL_BOXES = """() => [...document.querySelectorAll('a[href^="tel:"]')]
  .filter(a => a.getClientRects().length && a.getBoundingClientRect().width > 0)
  .map(a => {
    const r = a.getBoundingClientRect();
    return {name: a.getAttribute('href') + ' "' + a.textContent.trim() + '"',
            left: r.left + scrollX, right: r.right + scrollX,
            top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width, height: r.height};
  })"""


def gap(a: dict, b: dict) -> float:
    """The shortest distance between two boxes; 0 when they touch or overlap."""
    dx = max(0.0, b["left"] - a["right"], a["left"] - b["right"])
    dy = max(0.0, b["top"] - a["bottom"], a["top"] - b["bottom"])
    return (dx * dx + dy * dy) ** 0.5


def target_problems(boxes: list[dict], width: int, size: int = 44) -> list[str]:
    problems = []
    for i, box in enumerate(boxes):
        if box["width"] < size or box["height"] < size:
            problems.append(f"{box['name']} is {box['width']:.0f}×{box['height']:.0f} px")
        if box["left"] < 0 or box["right"] > width + 0.5:
            problems.append(f"{box['name']} spans {box['left']:.0f}–{box['right']:.0f} px")
        for other in boxes[i + 1 :]:
            if gap(box, other) < 8:
                problems.append(
                    f"{box['name']} and {other['name']} are {gap(box, other):.1f} px apart"
                )
    return problems


def small_tel_targets(page, visit: Visit) -> list[str]:
    # The MIIT rules ask 60 × 60 for the main controls of an elder interface.
    size = 60 if visit.mode == "elder" else 44
    return target_problems(page.evaluate(TEL_BOXES), visit.width, size)


# Every piece of text on the page with its size as drawn: an element's computed
# font-size, times the scale an SVG drawing is shown at.
TEXT_SIZES = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('script, style, template, title, desc') || !el.getClientRects().length) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const ctm = el.getScreenCTM();
      size *= ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    }
    const selector = [el.parentElement, el].filter(Boolean).map(e =>
      e.localName + [...e.classList].map(c => '.' + c).join('')).join(' > ');
    found.push({selector, size, drawing: el instanceof SVGElement});
  }
  return found;
}"""


def small_text(page, visit: Visit) -> list[str]:
    """Each piece of text under 18 px (22 px in elder mode), as `selector size`."""
    smallest = 22 if visit.mode == "elder" else 18
    small = []
    for text in page.evaluate(TEXT_SIZES):
        # A chart's labels are drawn to the chart's scale, 18 px at the least
        # in either mode; the chart is also told in words beneath it.
        least = 18 if text["drawing"] else smallest
        if text["size"] < least - 0.01:
            small.append(f"{text['selector']} {text['size']:.1f}px")
    return sorted(set(small))


def small_elder_body(page, visit: Visit) -> list[str]:
    body = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    return [f"body text {body}px, under {ELDER_BODY_PX}px"] if body < ELDER_BODY_PX else []


def axe_finds(page, visit: Visit) -> list[str]:
    aaa = ("color-contrast-enhanced",) if visit.mode == "elder" else ()
    return axe_violations(page, enable=aaa)


# What each check measures a loaded page for, at which visits, in the order the
# checks run on a page: axe last, because it adds its script to the page.
CHECKS: dict[Callable[..., list[str]], list[str]] = {
    scrolls_sideways: [
        "195px-zoomed",
        "195px-zoomed-no-script",
        "320px",
        "390px",
        "elder-320px",
        "elder-320px-no-script",
    ],
    small_tel_targets: ["195px-zoomed", "320px", "1280px", "elder-320px", "elder-1280px"],
    small_text: ["320px", "1280px", "elder-320px", "elder-1280px"],
    small_elder_body: ["elder-320px", "elder-1280px"],
    axe_finds: ["320px", "1280px", "elder-320px", "elder-1280px"],
}


@pytest.fixture(scope="module", name="found")
def found_fixture(request, chromium, site_url, example_site) -> dict[str, dict[str, list[str]]]:
    """What each check made at one visit (the test's parameter) found on every
    page of its mode: {check: {"/page/": [problem, …]}}, pages without a problem
    left out. Module-scoped, so pytest runs the tests of one visit together and
    the pages are loaded once for all of them."""
    visit = VISITS[request.param]
    checks = [check for check, visits in CHECKS.items() if request.param in visits]
    pages = every_page(example_site, visit.mode)
    assert len(pages) > 100  # the enumeration found the site
    context = chromium.new_context(
        viewport={"width": visit.width, "height": 800},
        device_scale_factor=visit.scale,
        java_script_enabled=visit.javascript,
    )
    page = context.new_page()
    found = {check.__name__: {} for check in checks}
    try:
        for path in pages:
            page.goto(site_url + path, wait_until="load")
            for check in checks:
                if problems := check(page, visit):
                    found[check.__name__]["/" + path] = problems
    finally:
        context.close()
    return found


def at_its_visits(check: Callable[..., list[str]]):
    """Run the test once per visit of `check`, given what the visit found."""
    return pytest.mark.parametrize("found", CHECKS[check], indirect=True)


@at_its_visits(scrolls_sideways)
def test_no_page_scrolls_sideways(found):
    assert found["scrolls_sideways"] == {}


@at_its_visits(axe_finds)
def test_axe_finds_nothing_on_any_page(found):
    assert found["axe_finds"] == {}


@at_its_visits(small_elder_body)
def test_elder_body_text_is_22px_or_more_on_every_page(found):
    assert found["small_elder_body"] == {}


@at_its_visits(small_tel_targets)
def test_every_tel_link_is_a_44px_target_60px_in_elder_mode(found):
    assert found["small_tel_targets"] == {}


@at_its_visits(small_text)
def test_no_text_is_smaller_than_18px_or_22px_in_elder_mode(found):
    # One page per selector is enough to find the rule.
    first_page = {}
    for path, lines in found["small_text"].items():
        for line in lines:
            first_page.setdefault(line.rsplit(" ", 1)[0], f"{line} ({path})")
    assert sorted(first_page.values()) == []


def test_the_measure_sees_small_and_crowded_targets():
    small = {"name": "a", "left": 0, "right": 32, "top": 0, "bottom": 26, "width": 32, "height": 26}
    beside = {
        "name": "b",
        "left": 36,
        "right": 80,
        "top": 0,
        "bottom": 44,
        "width": 44,
        "height": 44,
    }
    wide = {
        "name": "c",
        "left": 150,
        "right": 210,
        "top": 0,
        "bottom": 44,
        "width": 60,
        "height": 44,
    }
    found = target_problems([small, beside, wide], 195)
    assert found == [
        "a is 32×26 px",
        "a and b are 4.0 px apart",
        "c spans 150–210 px",
    ]
