"""Write the work-plan pages and the Atom feed of progress updates."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from ..atom import TextAtom1Feed
from ..settings import TIMEZONE, id_domain, save_as_of
from .views import PlanUrls, PlanView

FEED_SIZE = 50  # the newest updates; every one is on its task's page


def write(generator, writer, plans: list[PlanView], urls: PlanUrls) -> None:
    settings = generator.settings
    relative = settings["RELATIVE_URLS"]

    def page(template: str, url: str, **extra) -> None:
        writer.write_file(
            save_as_of(url),
            generator.get_template(template),
            generator.context,
            relative,
            url=url,
            **extra,
        )

    page("plans", urls.index)
    for plan in plans:
        page("plan", plan.url, plan=plan)
        for section in plan.sections:
            page("plan_section", section.url, plan=plan, section=section)
            for task in section.tasks:
                page("plan_task", task.url, plan=plan, section=section, task=task)
        feed = Path(generator.output_path) / plan.feed_url
        feed.parent.mkdir(parents=True, exist_ok=True)
        site_url = "" if relative else settings["SITEURL"].rstrip("/")
        feed.write_text(
            atom(
                plan,
                site_url=site_url,
                domain=id_domain(settings),
                sitename=settings["SITENAME"],
            ),
            encoding="utf-8",
        )


def atom(plan: PlanView, *, site_url: str, domain: str, sitename: str) -> str:
    """Every progress update as an entry, newest first. An entry's id is the
    task and the update's date (and its place among that day's updates)."""
    entries = []
    for task in plan.tasks:
        seen: dict = {}
        for update in task.history:
            nth = seen[update.day] = seen.get(update.day, 0) + 1
            suffix = f"-{nth}" if nth > 1 else ""
            entries.append((update.day, nth, task, update, suffix))
    entries.sort(key=lambda e: (e[0], e[2].id, e[1]), reverse=True)
    feed = TextAtom1Feed(
        title=f"{plan.title}·进展（{sitename}）",
        link=f"{site_url}/{plan.url}",
        description=f"{plan.title}各项任务的进展",
        language="zh-CN",
        feed_url=f"{site_url}/{plan.feed_url}",
        feed_guid=f"tag:{domain},2020:plans/{plan.slug}",
    )
    for day, _, task, update, suffix in entries[:FEED_SIZE]:
        stamp = datetime.combine(day, time(), tzinfo=TIMEZONE)
        feed.add_item(
            title=f"{task.title}：{update.status}，{update.progress}",
            link=f"{site_url}/{task.url}",
            description=update.note,
            unique_id=f"tag:{domain},2020:plans/{plan.slug}/{task.id}/{day.isoformat()}{suffix}",
            pubdate=stamp,
            updateddate=stamp,
            categories=[f"{task.section_number}、{task.section_heading}", update.status],
        )
    return feed.writeString("utf-8")
