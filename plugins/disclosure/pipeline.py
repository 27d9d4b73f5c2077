"""load → rules → report: the one path that `validate` and the build both take.

Neither can drift from the other: what validate shows is what the build
builds from (the build then stops at any record or page error; validate goes
on to show the catalogue's findings for the records that are valid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pelican.settings import read_settings

from .completeness.rules import DisclosureReport, evaluate
from .content_pages import ContentPage, check_pages
from .core import collector, memo
from .core.phases import phase
from .core.record_cache import RecordCache
from .settings import SettingsInvalid, kept_between_processes, settings_problems
from .site import SiteData, load_site_data


@dataclass
class Checked:
    site: SiteData
    report: DisclosureReport | None  # None without a catalogue
    pages: list[ContentPage]


def load(content: Path, settings: dict | None = None) -> tuple[SiteData, list[ContentPage]]:
    """Every record and every content page, their problems in one list.

    Records typed by an earlier process are read from the settings'
    CACHE_PATH (core/record_cache.py), but for a build meant for the public.
    Without `settings` (tests of the records alone) nothing is kept on disk,
    and the pages are checked against Pelican's default settings.
    """
    memo.next_build()
    folder = kept_between_processes(settings) if settings else None
    cache = RecordCache(folder / "records") if folder else None
    with phase("load"), collector.paused():
        site = load_site_data(content, cache=cache)
    if cache is not None:
        cache.prune()
    if settings is None:
        settings = read_settings(None, override={"PATH": str(content), "TIMEZONE": "Asia/Shanghai"})
    pages = check_pages(content, settings)
    site.problems += pages.problems
    site.files_read += pages.files_read
    return site, pages.pages


def check(content: Path, as_of: date, settings: dict | None = None) -> Checked:
    site, pages = load(content, settings)
    with phase("validate"), collector.paused():
        return Checked(site, evaluate(site, as_of), pages)


def refusal(settings: dict, content: Path) -> SettingsInvalid | None:
    """Why these settings must not build, with the records' and pages' errors found
    alongside, so that a person fixes everything in one round; None when they may build."""
    refused = settings_problems(settings)
    if not refused:
        return None
    site, _pages = load(content, settings)
    return SettingsInvalid(refused, site.errors)
