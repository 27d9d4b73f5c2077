"""What the frame of every page (base.html, its header and footer) reads from
the shared context: small values only (addresses, names, flags), never the
listings or the report whole. A page that reads no more than its own values
and these changes only with what it shows, and keeps its key from build to
build (page_keys): a page that read a growing value would be made every time."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
import pytest
from conftest import ROOT
from disclosure import configure_templates
from disclosure.page_keys import GROWING, template_closure

TEMPLATES = ROOT / "theme" / "templates"


def environment(folder=TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))
    configure_templates(SimpleNamespace(env=env))
    env.filters["strftime"] = lambda value, *args: value  # Pelican's own
    return env


def reads(env: jinja2.Environment, name: str) -> set[str]:
    """The context names a template and everything it extends, includes or
    imports read, as page keys find them."""
    return set(template_closure(env, name)[1])


def test_the_frame_of_every_page_reads_no_growing_value_whole():
    assert reads(environment(), "base.html") & GROWING == set()


def test_a_frame_that_reads_a_listing_whole_is_noticed(tmp_path):
    for template in TEMPLATES.rglob("*"):
        if template.is_file():
            target = tmp_path / template.relative_to(TEMPLATES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(template.read_bytes())
    header = tmp_path / "partials" / "header.html"
    text = header.read_text(encoding="utf-8")
    header.write_text(text.replace("{{ events_url }}", "{{ events.urls.events }}"), "utf-8")
    assert reads(environment(tmp_path), "base.html") & GROWING == {"events"}


@pytest.mark.parametrize(
    "page",
    [
        "committee.html",
        "event.html",
        "event_collection.html",
        "plan.html",
        "plan_section.html",
        "plan_task.html",
        "page.html",
        "not_found.html",
    ],
)
def test_a_page_of_one_thing_reads_no_growing_value(page):
    assert reads(environment(), page) & GROWING == set()


def test_a_committee_outside_the_report_is_told_the_reports_title():
    # the committee page reads the report's title, not the report
    env = environment()
    env.globals["disclosure_title"] = "2026 年居委会信息公开目录"
    panel = str(env.get_template("macros/disclosure.html").module.committee_disclosure(None))
    assert "本居委会未纳入“2026 年居委会信息公开目录”，以下信息仅供参考。" in panel
