"""Numbers residents read and tap, and the plan charts, in headless Debian
chromium (test_every_page.py measures every tel: link and every piece of text
on every page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from headless import AXE_JS, chromium_fixture, site_url_fixture  # noqa: F401

pytestmark = pytest.mark.browser

# (CSS width, device scale factor): a phone, a 390 px phone zoomed to 200 %, a desktop
PHONE, ZOOMED, DESKTOP = (320, 1), (195, 2), (1280, 1)
CHART_PAGE = "plans/2020-h2/tasks/linli-xiaohui/"
SAID = str.maketrans("零一二三四五六七八九", "0123456789")


@pytest.fixture(scope="module", name="visit")
def visit_fixture(chromium, site_url):
    """Open pages one after another in one browser tab per viewport."""
    contexts = {}

    def visit(path: str, viewport: tuple[int, int]):
        if viewport not in contexts:
            width, scale = viewport
            context = chromium.new_context(
                viewport={"width": width, "height": 800}, device_scale_factor=scale
            )
            contexts[viewport] = context.new_page()
        page = contexts[viewport]
        page.goto(site_url + path, wait_until="load")
        return page

    yield visit
    for page in contexts.values():
        page.context.close()


LABEL_IN_NAME = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'rule', values: ['label-content-name-mismatch']}});
  return result.violations.flatMap(v => v.nodes.map(n => n.target.join(' ')));
}"""

TEL_NAMES = """() => [...document.querySelectorAll('a[href^="tel:"]')].map(a =>
  [a.getAttribute('href'), a.textContent.replace(/\\s+/g, ' ').trim(), a.getAttribute('aria-label')])"""


@pytest.mark.parametrize(
    "path", ["", "committees/rihui-yicun/", "addresses/", "events/2026/jingju-mingduan/"]
)
def test_a_number_is_named_as_shown_and_read_digit_by_digit(visit, path):
    page = visit(path, PHONE)
    page.evaluate(AXE_JS)
    assert page.evaluate(LABEL_IN_NAME) == []
    for href, shown, name in page.evaluate(TEL_NAMES):
        assert name and shown in name, (href, shown, name)
        # and each digit said one by one, in Chinese: 零二一 六四一八 一一八五
        said = "".join(name.split("（")[-1].split()).translate(SAID)
        assert said.removesuffix("）").replace("转", "") == href.removeprefix("tel:").replace(
            ",", ""
        )


def test_the_lookup_shows_numbers_grouped_and_named_digit_by_digit(visit):
    page = visit("", PHONE)
    page.fill("#find-address", "零陵路 80 弄 10 号楼")
    page.click(".find button")
    page.wait_for_selector("[data-answer] .find__result a.phone")
    link = page.locator("[data-answer] .find__result a.phone").first
    assert link.text_content() == "021-6418 1185"
    assert link.get_attribute("aria-label").endswith("021-6418 1185（零二一 六四一八 一一八五）")
    masked = page.locator("[data-answer] .find__result .phone--masked").first
    # 陆桂英 did not consent: her groups with stars shown, her digits left said one by one
    assert masked.locator("[aria-hidden=true]").text_content() == "136 **** 6136"
    assert masked.locator(".visually-hidden").text_content() == "一三六，隐去四位，六一三六"


def chart_pages(site: Path) -> list[str]:
    """Every page with a progress chart."""
    return [
        file.relative_to(site).as_posix().removesuffix("index.html")
        for file in sorted(site.rglob("*.html"))
        if 'class="chart__svg"' in file.read_text(encoding="utf-8")
    ]


# Each chart label: its size as drawn, and its box and its chart's, in CSS px.
CHART_LABELS = """() => [...document.querySelectorAll('svg.chart__svg .chart__label')].map(t => {
  const svg = t.ownerSVGElement, ctm = t.getScreenCTM();
  const box = t.getBoundingClientRect(), outer = svg.getBoundingClientRect();
  return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b),
          inside: box.left >= outer.left - 0.5 && box.right <= outer.right + 0.5 &&
                  box.top >= outer.top - 0.5 && box.bottom <= outer.bottom + 0.5,
          box: [box.left, box.top, box.right, box.bottom].map(Math.round),
          chart: [outer.left, outer.top, outer.right, outer.bottom].map(Math.round)};
})"""

# WCAG 1.4.12: what a reader's own style sheet may set.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""


def test_the_example_site_has_charts(example_site):
    assert CHART_PAGE in chart_pages(example_site)


@pytest.mark.parametrize("viewport", [PHONE, ZOOMED], ids=["320", "195dsf2"])
def test_chart_labels_are_at_least_18px_on_a_phone(visit, example_site, viewport):
    small = []
    for path in chart_pages(example_site):
        labels = visit(path, viewport).evaluate(CHART_LABELS)
        assert labels, path
        if viewport == PHONE:  # at 195 px a chart is smaller; it must still fit
            small += [f"/{path} {x['text']} {x['size']:.1f}px" for x in labels if x["size"] < 18]
        small += [
            f"/{path} {x['text']} outside {x['chart']}: {x['box']}"
            for x in labels
            if not x["inside"]
        ]
    assert small == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["320", "1280"])
def test_no_chart_label_is_clipped_with_wcag_text_spacing(visit, example_site, viewport):
    clipped = []
    for path in chart_pages(example_site):
        page = visit(path, viewport)
        page.add_style_tag(content=TEXT_SPACING)
        labels = page.evaluate(CHART_LABELS)
        assert labels and page.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"
        clipped += [
            f"/{path} {x['text']} {x['box']} outside {x['chart']}"
            for x in labels
            if not x["inside"]
        ]
    assert clipped == []


# Each mark of the chart: the colour it is drawn in, and the background under it
# (the system's Canvas where no element paints one).
CHART_COLOURS = """() => {
  const probe = document.createElement('div');
  probe.style.color = 'Canvas';
  document.body.append(probe);
  const canvas = getComputedStyle(probe).color;
  probe.remove();
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (!/^rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c;
    }
    return canvas;
  };
  return [...document.querySelectorAll('svg.chart__svg :is(.chart__label, line, polyline)')].map(el => {
    const style = getComputedStyle(el);
    return {mark: el.getAttribute('class') + ' ' + el.textContent,
            paint: el.localName === 'text' ? style.fill : style.stroke,
            opacity: style.opacity, background: background(el.ownerSVGElement)};
  });
}"""


def luminance(css: str) -> float:
    channels = [int(c) / 255 for c in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_measured_as_wcag_does():
    assert round(contrast("rgb(27, 27, 27)", "rgb(0, 0, 0)"), 2) == 1.22
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0


@pytest.mark.parametrize(
    "scheme", ["light", "dark"]
)  # Windows' white and black high-contrast themes
def test_chart_labels_and_lines_show_in_forced_colors(visit, scheme):
    page = visit(CHART_PAGE, PHONE)
    page.emulate_media(forced_colors="active", color_scheme=scheme)
    try:
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        marks = page.evaluate(CHART_COLOURS)
    finally:
        page.emulate_media(forced_colors="none", color_scheme="light")
    assert {m["mark"].split()[0] for m in marks} >= {"chart__label", "chart__grid", "chart__line"}
    unseen = [
        f"{m['mark']}: {m['paint']} on {m['background']}"
        for m in marks
        if m["paint"].startswith("rgba")
        or m["opacity"] == "0"
        or contrast(m["paint"], m["background"]) < 3
    ]
    assert unseen == []
