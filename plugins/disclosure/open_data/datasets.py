"""The site's three datasets, from the views the generator made for the pages."""

from __future__ import annotations

from ..committees.model import Committee
from ..committees.views import CommitteeView
from ..events.model import Event
from ..events.views import EventView
from ..plans.model import Plan
from ..plans.views import PlanView
from ..settings import links_from, page_location
from .committees import committee_tables, committees_modified
from .events import event_tables, events_modified
from .files import DatasetSource, OpenData, build, folder_of
from .plans import plan_tables, plans_modified


def site_open_data(
    settings: dict,
    *,
    committees: list[tuple[Committee, CommitteeView]],
    events: list[tuple[Event, EventView]],
    plans: list[tuple[Plan, PlanView]],
    verify_days: dict[str, int],
    plan_update_days: int | None,
    publisher: str,
) -> OpenData:
    """`verify_days`: each category's title -> how many days it may go unverified."""
    link = links_from(settings, folder_of(page_location(settings, "DATA")[0]))
    rhythm = "、".join(f"{title}每 {days} 天" for title, days in verify_days.items())
    plan_rhythm = (
        f"；计划期内每项未完成的任务至少每 {plan_update_days} 天更新一次进展"
        if plan_update_days
        else ""
    )
    sources = [
        DatasetSource(
            "committees",
            committee_tables(committees, link),
            "居委会信息有变动时更新" + (f"；{rhythm}至少核实一次" if rhythm else ""),
            ["居委会", "全岗服务时间", "分片包块块长", "紧急联络机制"],
            committees_modified([c for c, _ in committees]),
        ),
        DatasetSource(
            "events",
            event_tables(events, link),
            "活动发布、改期或取消时更新",
            ["文化活动", "日历"],
            events_modified([e for e, _ in events]),
        ),
        DatasetSource(
            "plans",
            plan_tables(plans, link),
            "任务有新进展时更新" + plan_rhythm,
            ["工作计划", "任务进展"],
            plans_modified([v for _, v in plans]),
        ),
    ]
    return build(settings, sources, publisher=publisher)
