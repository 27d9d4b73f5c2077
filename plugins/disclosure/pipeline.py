"""load → rules → report: the one path that `validate` and the build both take.

Neither can drift from the other: what validate shows is what the build
builds from (the build then stops at any record error; validate goes on to
show the catalogue's findings for the records that are valid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .completeness.rules import DisclosureReport, evaluate
from .settings import SettingsInvalid, settings_problems
from .site import SiteData, load_site_data


@dataclass
class Checked:
    site: SiteData
    report: DisclosureReport | None  # None without a catalogue


def check(content: Path, as_of: date) -> Checked:
    site = load_site_data(content)
    return Checked(site, evaluate(site, as_of))


def refusal(settings: dict, content: Path) -> SettingsInvalid | None:
    """Why these settings must not build, with the records' errors found alongside,
    so that a person fixes everything in one round; None when they may build."""
    refused = settings_problems(settings)
    if not refused:
        return None
    site = load_site_data(content)
    return SettingsInvalid(refused, site.errors)
