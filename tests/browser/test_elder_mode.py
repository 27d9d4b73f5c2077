"""The 长辈版 (elder mode) in headless chromium: the switch, its memory, and the links
that keep a reader in the mode (test_every_page.py holds every elder page to its
size, contrast and reflow)."""

from __future__ import annotations

import pytest
from headless import chromium_fixture, page_at_fixture, site_url_fixture  # noqa: F401

pytestmark = pytest.mark.browser


def test_nothing_moves_in_elder_mode(page_at):
    page = page_at("elder/committees/rihui-liucun/", width=320)
    moving = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(e => {
             const s = getComputedStyle(e);
             return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0;
           }).length"""
    )
    assert moving == 0


def test_the_switch_is_remembered_with_javascript(page_at, site_url):
    page = page_at("committees/rihui-liucun/", width=390)
    page.get_by_role("link", name="长辈版").click()
    page.wait_for_url(site_url + "elder/committees/rihui-liucun/")
    # Another day, by a bookmark to a standard page: the elder twin opens, hash and all.
    page.goto(site_url + "committees/rihui-sancun/#block-leaders")
    page.wait_for_url(site_url + "elder/committees/rihui-sancun/#block-leaders")
    assert page.title().endswith("（长辈版）")
    page.get_by_role("link", name="返回标准版").click()
    page.wait_for_url(site_url + "committees/rihui-sancun/")
    page.goto(site_url + "events/")
    assert page.url == site_url + "events/"


def test_the_mode_holds_from_link_to_link_without_javascript(page_at, site_url):
    page = page_at("elder/", width=390, javascript=False)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="居委会").click()
    page.wait_for_url(site_url + "elder/committees/")
    page.get_by_role("link", name="日晖六村居民区").first.click()
    page.wait_for_url(site_url + "elder/committees/rihui-liucun/")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 22


def test_finding_a_committee_in_elder_mode_leads_to_elder_pages(page_at, site_url):
    page = page_at("elder/", width=390)
    page.get_by_label("输入您家的地址或小区名称").fill("零陵路80弄3号")
    page.get_by_role("button", name="查找").click()
    link = page.locator(".find__committee a").first
    link.wait_for()
    assert link.get_attribute("href").startswith(site_url + "elder/committees/")


def test_elder_search_results_lead_to_elder_pages(page_at, site_url):
    page = page_at("elder/search/?q=日晖六村", width=390)
    first = page.locator(".search-result__title a").first
    first.wait_for()
    assert first.get_attribute("href").startswith("../")
    first.click()
    assert page.url.startswith(site_url + "elder/")
