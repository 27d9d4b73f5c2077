"""长辈版 (elder mode): every page's twin under elder/, and links that keep a reader in it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import PUBLISHED_URL, ROOT, build, plain_pelican, publish

ELDER = "elder/"
SITE = "http://site.test/"  # where relative links are resolved from in these tests


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, dict]] = []  # (URL, the element's attributes)
        self.root: dict = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.root = attributes
        for name in ("href", "src", "action", "data-lookup", "data-links-from", "data-twin"):
            if attributes.get(name):
                self.links.append((attributes[name], {"tag": tag, "attribute": name, **attributes}))


def read(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def pages(output: Path) -> list[str]:
    """Every written page, by its path in the output."""
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))


def address(name: str) -> str:
    return SITE + name.removesuffix("index.html")


def target(output: Path, url: str, base: str = SITE) -> str | None:
    """The output file a site-internal URL leads to, or None for one that leaves the site."""
    if not url.startswith(base):
        return None
    path = urlsplit(url).path.removeprefix(urlsplit(base).path)
    return path + "index.html" if path.endswith("/") or path == "" else path


def test_every_page_has_an_elder_twin_and_the_404_page_has_none(example_site):
    written = pages(example_site)
    standard = [name for name in written if not name.startswith(ELDER)]
    elder = [name for name in written if name.startswith(ELDER)]
    assert len(standard) > 100
    assert sorted(ELDER + name for name in standard if name != "404.html") == elder
    # Only pages are doubled: calendars, feeds, data and scripts exist once, at the root.
    assert {p.suffix for p in (example_site / "elder").rglob("*") if p.is_file()} == {".html"}


def test_elder_pages_link_to_elder_pages_and_to_the_files_at_the_root(example_site):
    problems = []
    for name in pages(example_site):
        elder_page = name.startswith(ELDER)
        for url, element in read(example_site / name).links:
            resolved = urljoin(address(name), url)
            file = target(example_site, resolved)
            if file is None:
                continue
            if not (example_site / file).is_file():
                problems.append(f"{name}: {element['attribute']}={url} -> missing {file}")
                continue
            switch = element.get("data-mode-switch") or element["attribute"] == "data-twin"
            leads_to_page = file.endswith(".html")
            if leads_to_page and file.startswith(ELDER) != (elder_page != bool(switch)):
                problems.append(f"{name}: {url} leads to the other mode ({file})")
            if not leads_to_page and file.startswith(ELDER):
                problems.append(f"{name}: {url} is a file inside elder/ ({file})")
    assert problems == []


def test_the_switch_on_every_page_leads_to_the_same_page_in_the_other_mode(example_site):
    for name in pages(example_site):
        links = read(example_site / name)
        switches = [(url, el) for url, el in links.links if el.get("data-mode-switch")]
        assert len(switches) == 1, name
        url, element = switches[0]
        other = target(example_site, urljoin(address(name), url))
        if name == "404.html":
            assert (element["data-mode-switch"], other) == ("elder", "elder/index.html")
            assert "data-twin" not in links.root
        elif name.startswith(ELDER):
            assert (element["data-mode-switch"], other) == ("standard", name.removeprefix(ELDER))
            assert links.root["data-mode"] == "elder"
        else:
            assert (element["data-mode-switch"], other) == ("elder", ELDER + name)
            assert links.root["data-mode"] == "standard"
            assert urljoin(address(name), links.root["data-twin"]) == address(ELDER + name)


def test_elder_pages_carry_the_elder_stylesheet_and_say_so_in_their_title(example_site):
    home = (example_site / "elder/index.html").read_text("utf-8")
    committee = (example_site / "elder/committees/rihui-liucun/index.html").read_text("utf-8")
    assert 'href="../theme/css/elder.css"' in home
    assert 'href="../../../theme/css/elder.css"' in committee
    assert "<title>日晖六村居民区 - 日晖街道信息公开（长辈版）</title>" in committee
    assert "elder.css" not in (example_site / "committees/rihui-liucun/index.html").read_text()


def test_the_elder_home_page_puts_the_essentials_first(example_site):
    html = (example_site / "elder/index.html").read_text("utf-8")
    order = [html.index(f'id="{name}-title"') for name in ("emergency", "find", "committees")]
    assert order == sorted(order)
    assert html.index('id="committees-title"') < html.index('id="contact-title"')
    standard = (example_site / "index.html").read_text("utf-8")
    assert standard.index('id="contact-title"') < standard.index('id="committees-title"')


def test_an_elder_committee_page_puts_its_disclosure_status_last(example_site):
    html = (example_site / "elder/committees/rihui-liucun/index.html").read_text("utf-8")
    assert html.index('id="emergency-title"') < html.index('id="disclosure-title"')
    standard = (example_site / "committees/rihui-liucun/index.html").read_text("utf-8")
    assert standard.index('id="disclosure-title"') < standard.index('id="service-hours-title"')


def test_content_pages_link_within_their_mode(content, tmp_path):
    # Markdown pages' own links ({filename}…) are made by Pelican from the page's SITEURL.
    guide = content / "pages/guide.md"
    guide.write_text(
        guide.read_text("utf-8") + "\n另见[个人信息保护说明]({filename}privacy.md)。\n", "utf-8"
    )
    output = tmp_path / "output"
    build(content, output)
    for name, expected in (
        ("guide/index.html", "privacy/index.html"),
        ("elder/guide/index.html", "elder/privacy/index.html"),
    ):
        link = re.search(r'另见<a href="([^"]+)"', (output / name).read_text("utf-8"))
        assert target(output, urljoin(address(name), link[1])) == expected, name


def test_search_and_the_sitemap_know_only_the_standard_pages(tmp_path):
    output = tmp_path / "output"
    status, said = publish(ROOT / "content", output)
    assert status == 0, said
    index = json.loads((output / "search/index.json").read_text("utf-8"))
    urls = json.dumps(index, ensure_ascii=False)
    assert "elder/" not in urls
    assert "committees/rihui-liucun/" in urls
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    located = [
        loc.text
        for loc in ET.parse(output / "sitemap.xml").getroot().findall(".//s:loc", namespace)
    ]
    assert located and not [url for url in located if "/elder/" in url]
    # Published, an elder page names its standard twin as the canonical page, and
    # its links are absolute under SITEURL/elder/.
    committee = read(output / "elder/committees/rihui-liucun/index.html")
    canonical = [url for url, el in committee.links if el.get("rel") == "canonical"]
    assert canonical == [f"{PUBLISHED_URL}/committees/rihui-liucun/"]
    base = PUBLISHED_URL + "/"
    for url, element in committee.links:
        file = target(output, url, base)
        to_standard = element.get("data-mode-switch") or element.get("rel") == "canonical"
        if (
            file
            and file.endswith(".html")
            and not to_standard
            and element["attribute"] != "data-twin"
        ):
            assert file.startswith(ELDER), url
    assert f'href="{PUBLISHED_URL}/theme/css/elder.css"' in (
        output / "elder/committees/rihui-liucun/index.html"
    ).read_text("utf-8")


def test_plain_pelican_writes_the_elder_pages_too(tmp_path):
    done = plain_pelican(tmp_path / "output")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output/elder/committees/rihui-liucun/index.html").is_file()


@pytest.mark.parametrize("relative", [True, False])
def test_an_elder_build_at_any_address_has_no_broken_links(tmp_path, relative):
    # A preview without relative links writes addresses from the root ("/elder/…").
    output = tmp_path / "output"
    build(ROOT / "content", output, RELATIVE_URLS=relative)
    html = (output / "elder/committees/index.html").read_text("utf-8")
    if relative:
        assert 'href="../../theme/css/site.css"' in html and 'href="../"' in html
    else:
        assert 'href="/theme/css/site.css"' in html and 'href="/elder/"' in html
