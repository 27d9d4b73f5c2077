"""Settings this plugin reads, with their defaults."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Shanghai")

DEFAULTS = {
    "DISCLOSURE_SAMPLE_DATA": False,  # show the 示例数据 notice on every page
    "DISCLOSURE_AS_OF": None,  # ISO date the build is "as of"; None means today in Shanghai
    "DISCLOSURE_STRICT": False,  # error-level completeness problems fail the build
    "COMMITTEE_URL": "committees/{slug}/",
    "COMMITTEE_SAVE_AS": "committees/{slug}/index.html",
    "COMMITTEES_URL": "committees/",
    "COMMITTEES_SAVE_AS": "committees/index.html",
    "DISCLOSURE_URL": "disclosure/",
    "DISCLOSURE_SAVE_AS": "disclosure/index.html",
    # Event pages; each page is saved as its URL + index.html, and the
    # calendars sit beside their page (events/2020/chongyang.ics).
    "EVENTS_URL": "events/",
    "EVENTS_ARCHIVE_URL": "events/archive/",
    "EVENT_URL": "events/{year}/{slug}/",
    "EVENT_SERIES_URL": "events/series/{slug}/",
    "EVENT_CATEGORY_URL": "events/category/{slug}/",
    # The domain part of calendar UIDs: never change it once calendars are
    # subscribed, or every event appears twice in residents' calendars.
    "EVENTS_UID_DOMAIN": "rihui.example",
    "EVENTS_ON_HOME_PAGE": 4,
    # Work-plan pages: {plan} is the file name (2020-h2), {section} 1 … 8.
    "PLANS_URL": "plans/",
    "PLAN_URL": "plans/{plan}/",
    "PLAN_SECTION_URL": "plans/{plan}/{section}/",
    "PLAN_TASK_URL": "plans/{plan}/tasks/{task}/",
}


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def as_of(settings: dict) -> date:
    value = setting(settings, "DISCLOSURE_AS_OF")
    if value is None:
        return datetime.now(TIMEZONE).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
