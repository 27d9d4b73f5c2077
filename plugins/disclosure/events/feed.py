"""An Atom feed of newly announced events, built with feedgenerator (Pelican's own).

An entry's id is a tag: URI made from the id domain (DISCLOSURE_ID_DOMAIN) and the record's folder
and name, so it never changes between builds or when the site moves; its
dates come from the record's `announced` and `updated`, not from the build.
"""

from __future__ import annotations

from datetime import date, datetime, time

from ..atom import TextAtom1Feed
from ..settings import TIMEZONE
from .views import EventView

FEED_SIZE = 30  # the newest announcements; older ones are on the pages


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=TIMEZONE)


def atom(
    views: list[EventView],
    *,
    title: str,
    site_url: str,
    feed_url: str,
    page_url: str,
    domain: str,
) -> str:
    newest = sorted(views, key=lambda v: (v.updated or v.announced, v.announced, v.key))
    newest = list(reversed(newest))[:FEED_SIZE]
    feed = TextAtom1Feed(
        title=title,
        link=f"{site_url}/{page_url}",
        description="新发布和有变动的文化活动",
        language="zh-CN",
        feed_url=f"{site_url}/{feed_url}",
        feed_guid=f"tag:{domain},2020:events",
    )
    for view in newest:
        feed.add_item(
            title=view.state.marked + view.title,
            link=f"{site_url}/{view.url}",
            description=f"{view.when} · {view.venue}：{view.summary}",
            unique_id=f"tag:{domain},2020:events/{view.key}",
            pubdate=_instant(view.announced),
            updateddate=_instant(view.updated or view.announced),
            categories=[c for c in (view.category, view.series_name) if c],
        )
    return feed.writeString("utf-8")
