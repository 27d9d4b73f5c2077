"""A committee page printed from the browser: compact, readable, no empty sheets."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from headless import chromium_fixture, page_at_fixture, site_url_fixture  # noqa: F401

pytestmark = pytest.mark.browser

PT_PER_PX = 0.75  # CSS: 1px = 0.75pt


def test_a_committee_page_prints_on_at_most_two_readable_sheets(page_at, tmp_path):
    page = page_at("committees/rihui-liucun/", width=1280)
    page.emulate_media(media="print")
    sizes = page.evaluate(
        """() => {
          const px = (el) => parseFloat(getComputedStyle(el).fontSize);
          const texts = [...document.querySelectorAll('main p, main li, main td, main th, main dd, main dt')]
            .filter((el) => el.offsetParent !== null && el.textContent.trim());
          return {
            body: px(document.body),
            smallest: Math.min(...texts.map(px)),
            name: px(document.querySelector('h1')),
            phone: Math.min(...[...document.querySelectorAll('main .phone')].map(px)),
            hidden_links: [...document.querySelectorAll('main a')].filter(
              (a) => getComputedStyle(a, '::after').content.includes('http')).length,
          };
        }"""
    )
    assert sizes["body"] * PT_PER_PX >= 12
    assert sizes["smallest"] * PT_PER_PX >= 12
    assert sizes["name"] * PT_PER_PX >= 18
    assert sizes["phone"] * PT_PER_PX >= 13
    assert sizes["hidden_links"] == 0  # links print as their text only
    pdf = page.pdf(format="A4", print_background=False)
    (tmp_path / "print.pdf").write_bytes(pdf)
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        pages = len(document)
    finally:
        document.close()
    assert pages <= 2
