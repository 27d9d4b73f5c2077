"""Keyboard focus can be seen on every focusable element, visited or not.

Tab goes through the whole page. For each element it lands on, two checks:

- from computed styles: its text against its own composited background
  (4.5:1), and its focus indicator (outline or box-shadow ring) against the
  background next to it, found with elementsFromPoint (3:1);
- from the pixels of a screenshot of the element: the colour of its text
  against its background (4.5:1). Browsers report a visited link's colours as
  if it were not visited, so only the pixels show a `:visited` rule that
  outranks the focus style; the test visits every link first.
"""

from __future__ import annotations

import io

import pytest
from headless import CHROMIUM_ARGS, chromium_fixture, chromium_path, site_url_fixture  # noqa: F401
from PIL import Image

pytestmark = pytest.mark.browser

# The header and footer are on every page; these pages add the other kinds of
# focusable thing: the address box and hotlines, breadcrumbs and phone links,
# buttons and tags, details, the search page's form.
FOCUS_PAGES = ["", "committees/rihui-liucun/", "events/", "data/", "search/"]
MOST_STOPS = 250
VISITED_LINK = (0x5B, 0x2A, 0x86)  # --link-visited

FOCUS_JS = """el => {
  const rgba = s => { const m = s.match(/[\\d.]+/g) || ['0', '0', '0', '0'];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  // The colour a box shows: its background over its ancestors', over white.
  const composite = node => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      layers.push(rgba(getComputedStyle(n).backgroundColor));
    }
    let c = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      c = [r * a + c[0] * (1 - a), g * a + c[1] * (1 - a), b * a + c[2] * (1 - a)];
    }
    return c;
  };
  const cs = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = cs.outlineStyle === 'none' ? 0 : parseFloat(cs.outlineWidth);
  const ring = [];
  if (outline >= 2) ring.push(rgba(cs.outlineColor).slice(0, 3));
  // box-shadow: <colour> 0px 0px 0px <spread>, the ring of a focus style
  const shadow = cs.boxShadow.match(/(rgba?\\([^)]*\\))\\s+0px\\s+0px\\s+[\\d.]+px\\s+([\\d.]+)px/);
  const spread = shadow ? parseFloat(shadow[2]) : 0;
  if (spread >= 2) ring.push(rgba(shadow[1]).slice(0, 3));
  // What is next to the indicator: the element just outside it, left or right.
  const gap = Math.max(outline + Math.max(parseFloat(cs.outlineOffset) || 0, 0), spread) + 3;
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  let x = box.left - gap;
  if (x < 0) x = box.right + gap;
  x = Math.min(x, document.documentElement.clientWidth - 1);
  const next = document.elementsFromPoint(x, y).find(n => n !== el && !el.contains(n));
  return {
    name: el.tagName.toLowerCase() + (el.className ? '.' + el.className.split(' ').join('.') : '')
      + ' "' + (el.textContent || el.value || el.placeholder || '').trim().slice(0, 20) + '"',
    text: rgba(cs.color).slice(0, 3),
    background: composite(el),
    ring,
    beside: next ? composite(next) : composite(el.parentElement),
    box: {x: box.left, y: box.top, width: box.width, height: box.height},
  };
}"""


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def drawn_text_contrast(page, box) -> float:
    """The contrast of the strongest pixel inside the element against its
    commonest one (its background), from a screenshot: what a resident sees.
    The box is taken 3 px in, clear of borders and of the focus ring."""
    inset = 3
    clip = {
        "x": box["x"] + inset,
        "y": box["y"] + inset,
        "width": box["width"] - 2 * inset,
        "height": box["height"] - 2 * inset,
    }
    if clip["width"] < 4 or clip["height"] < 4:
        return 21.0
    image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    background = max(colours)[1]
    return max(contrast(colour, background) for _, colour in colours)


def visit_every_link(page, site_url: str, path: str) -> None:
    """Make every link of the page :visited. Chromium keeps visited links only
    in a profile with a history, per site, for visits the site itself made:
    hence a persistent context and history.pushState from the page."""
    page.goto(site_url + path, wait_until="load")
    # Each address once: Chromium throttles a page after 200 pushState calls.
    count = page.evaluate(
        """() => {
          const here = location.href;
          const hrefs = new Set([...document.querySelectorAll('a[href]')]
            .filter(a => a.origin === location.origin).map(a => a.href));
          for (const href of hrefs) history.pushState(null, '', href);
          history.pushState(null, '', here);
          return hrefs.size;
        }"""
    )
    assert count < 200


def tab_through(page) -> list[dict]:
    """Every element Tab reaches, in order, with its colours as focused."""
    stops, seen = [], set()
    page.locator("body").focus()
    for _ in range(MOST_STOPS):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("() => document.activeElement")
        key = page.evaluate(
            "el => el === document.body ? null : [...document.querySelectorAll('*')].indexOf(el)",
            handle,
        )
        if key is None or key in seen:
            break
        seen.add(key)
        found = page.evaluate(FOCUS_JS, handle)
        found["drawn"] = drawn_text_contrast(page, found["box"])
        stops.append(found)
    return stops


@pytest.mark.parametrize("visited", [False, True], ids=["unvisited", "visited"])
@pytest.mark.parametrize("path", FOCUS_PAGES)
def test_focus_is_visible_on_every_focusable_element(chromium, site_url, tmp_path, path, visited):
    context = chromium.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        viewport={"width": 390, "height": 800},
    )
    page = context.new_page()
    if visited:
        visit_every_link(page, site_url, path)
    page.goto(site_url + path, wait_until="load")
    if visited:  # the visits took: a footer link is drawn in the visited colour
        link = page.locator(".site-footer a").first
        link.scroll_into_view_if_needed()
        drawn = Image.open(io.BytesIO(link.screenshot())).convert("RGB")
        assert VISITED_LINK in {colour for _, colour in drawn.getcolors(1 << 16)}
    stops = tab_through(page)
    context.close()
    assert len(stops) >= 8  # the skip link, the site name, the navigation, the search box…
    assert stops[0]["name"].startswith("a.skip-link")
    faint = []
    for stop in stops:
        text = contrast(stop["text"], stop["background"])
        ring = max((contrast(colour, stop["beside"]) for colour in stop["ring"]), default=1.0)
        if text < 4.5 or stop["drawn"] < 4.5 or ring < 3:
            faint.append(
                f"{stop['name']}: text {text:.2f}, drawn text {stop['drawn']:.2f}, ring {ring:.2f}"
            )
    assert not faint, "\n".join(faint)
