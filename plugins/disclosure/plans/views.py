"""What the plan templates see: progress in words and numbers, and chart geometry.

Charts are SVG drawn by the templates from the numbers computed here; no
script and no chart library reach the browser. Every chart stands next to
the same facts in text (a percentage, a status word, a timeline list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ..settings import setting
from ..values.dates import zh_date
from ..values.markup import render_markdown
from .model import Plan, TaskStatus, Update
from .progress import PlanProgress, SectionProgress, TaskProgress, plan_progress, update_fraction

# status -> the class suffix its badge and chart marks use


@dataclass(frozen=True)
class PlanUrls:
    index: str
    plan: str
    section: str
    task: str

    @classmethod
    def from_settings(cls, settings: dict) -> PlanUrls:
        return cls(
            index=setting(settings, "PLANS_URL"),
            plan=setting(settings, "PLAN_URL"),
            section=setting(settings, "PLAN_SECTION_URL"),
            task=setting(settings, "PLAN_TASK_URL"),
        )


def percent(fraction: float) -> str:
    """62%: whole percents; 99.6% is shown as 99%, not as a 100% that was not reached."""
    value = fraction * 100
    if value >= 100:
        return "100%"
    return f"{min(round(value), 99)}%"


@dataclass(frozen=True)
class StatusCount:
    status: str
    key: str
    count: int


def status_counts(counts: dict[str, int]) -> list[StatusCount]:
    return [StatusCount(s, s.key, counts[s]) for s in TaskStatus if counts.get(s)]


@dataclass(frozen=True)
class UpdateView:
    day: date
    status: str
    status_key: str
    progress: str  # 3 / 4 个 (75%), or 60%
    fraction: float
    note: str


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # what the point says, for its <title>
    status_key: str


@dataclass(frozen=True)
class ChartTick:
    position: float
    label: str  # empty for a tick drawn without a label
    anchor: str = "middle"  # the label's text-anchor


@dataclass(frozen=True)
class HistoryChart:
    """A task's progress over the plan period, in SVG user units."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    points: list[ChartPoint]
    months: list[ChartTick]
    levels: list[ChartTick]  # 0%, 25% … 100%
    due_x: float | None
    due_anchor: str  # 期限 before the due line (end), or after it when that is too near the edge
    as_of_x: float | None
    description: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class TaskView:
    id: str
    url: str
    title: str
    wording: str
    owner: str
    due: date
    target: str | None  # 4 个邻里小汇
    progress_text: str  # 3 / 4 个（75%）or 60%
    percent: str
    fraction: float
    status: str
    status_key: str
    stated: str  # what the latest update said
    late_by_rule: bool  # 滞后 because the due date passed, not because an update said so
    last: UpdateView | None
    history: list[UpdateView]
    chart: HistoryChart
    weight: float
    section_number: str
    section_heading: str
    section_url: str


@dataclass(frozen=True)
class SectionView:
    number: str
    index: int
    url: str
    heading: str
    fraction: float
    percent: str
    counts: list[StatusCount]
    tasks: list[TaskView]


@dataclass(frozen=True)
class PlanView:
    slug: str
    url: str
    feed_url: str
    title: str
    period_start: date
    period_end: date
    summary: Markup
    fraction: float
    percent: str
    counts: list[StatusCount]
    task_count: int
    sections: list[SectionView]
    attention: list[TaskView]  # 滞后 first, then 有风险
    measured: list[TaskView]  # tasks with a number in the plan
    as_of: date

    @property
    def tasks(self) -> list[TaskView]:
        return [t for s in self.sections for t in s.tasks]

    @property
    def over(self) -> bool:
        return self.as_of > self.period_end


def _progress_text(progress: TaskProgress, update: Update | None = None) -> str:
    task = progress.task
    update = update or progress.latest
    if update is None:
        return "尚无进展"
    shown = percent(update_fraction(task, update))
    if task.target is not None:
        return f"{task.target.describe(update.value or 0.0)}（{shown}）"
    return shown


def _update_view(progress: TaskProgress, update: Update) -> UpdateView:
    return UpdateView(
        update.day,
        update.status,
        TaskStatus(update.status).key,
        _progress_text(progress, update),
        update_fraction(progress.task, update),
        update.note,
    )


def history_chart(
    history: list[UpdateView], *, start: date, end: date, due: date, as_of: date, title: str
) -> HistoryChart:
    # Drawn at the narrowest width a page gives it on a phone (260 px: 320 px
    # less the page's margins), so on a phone and wider it is shown at full
    # size or larger and its 18-unit labels are at least 18 px; the margins
    # leave room for "100%" and month names with WCAG 1.4.12 letter spacing.
    width, height, left, right, top, bottom = 260, 200, 70, 16, 30, 42
    plot_width, plot_height = width - left - right, height - top - bottom
    span = (end - start).days or 1
    label_room = 56  # a month name of 18 units, letter-spaced, and a gap

    def x_of(day: date) -> float:
        return left + plot_width * (day - start).days / span

    def y_of(fraction: float) -> float:
        return top + plot_height * (1 - fraction)

    points = [
        ChartPoint(
            x_of(u.day), y_of(u.fraction), f"{zh_date(u.day)} {u.status} {u.progress}", u.status_key
        )
        for u in history
    ]
    firsts = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            firsts.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    # every month gets a tick; every month, second or third month a name, as room allows
    month_width = plot_width * 30.4 / span
    step = max(1, -(-label_room // int(month_width or 1)))
    months = []
    for i, first in enumerate(firsts):
        x = x_of(first)
        anchor = "end" if x + label_room / 2 > width else "middle"
        months.append(ChartTick(x, f"{first.month}月" if i % step == 0 else "", anchor))
    levels = [ChartTick(y_of(f / 100), f"{f}%", "end") for f in (0, 25, 50, 75, 100)]
    if history:
        last = history[-1]
        description = (
            f"{title}：{len(history)} 条进展，从 {zh_date(history[0].day)} 的 "
            f"{history[0].progress} 到 {zh_date(last.day)} 的 {last.progress}。"
        )
    else:
        description = f"{title}：尚无进展记录。"
    return HistoryChart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        points=points,
        months=months,
        levels=levels,
        due_x=x_of(due) if start <= due <= end else None,
        due_anchor="end" if x_of(due) - label_room > 0 else "start",
        as_of_x=x_of(as_of) if start <= as_of <= end else None,
        description=description,
    )


def task_view(
    plan: Plan,
    progress: TaskProgress,
    *,
    url: str,
    section: SectionProgress,
    section_url: str,
    as_of: date,
) -> TaskView:
    task = progress.task
    history = [_update_view(progress, u) for u in progress.updates]
    last = history[-1] if history else None
    return TaskView(
        id=task.id,
        url=url,
        title=task.title,
        wording=task.wording,
        owner=task.owner,
        due=progress.due,
        target=task.target.describe() if task.target else None,
        progress_text=_progress_text(progress),
        percent=percent(progress.fraction),
        fraction=progress.fraction,
        status=progress.status,
        status_key=TaskStatus(progress.status).key,
        stated=progress.stated,
        late_by_rule=progress.late,
        last=last,
        history=history,
        chart=history_chart(
            history,
            start=plan.period.start,
            end=plan.period.end,
            due=progress.due,
            as_of=as_of,
            title=task.title,
        ),
        weight=task.weight,
        section_number=section.section.number,
        section_heading=section.section.heading,
        section_url=section_url,
    )


def plan_view(plan: Plan, *, as_of: date, urls: PlanUrls) -> PlanView:
    computed: PlanProgress = plan_progress(plan, as_of)
    plan_url = urls.plan.format(plan=plan.slug)
    sections: list[SectionView] = []
    for index, section in enumerate(computed.sections, start=1):
        section_url = urls.section.format(plan=plan.slug, section=index)
        tasks = [
            task_view(
                plan,
                t,
                url=urls.task.format(plan=plan.slug, task=t.task.id),
                section=section,
                section_url=section_url,
                as_of=as_of,
            )
            for t in section.tasks
        ]
        sections.append(
            SectionView(
                number=section.section.number,
                index=index,
                url=section_url,
                heading=section.section.heading,
                fraction=section.fraction,
                percent=percent(section.fraction),
                counts=status_counts(section.counts),
                tasks=tasks,
            )
        )
    by_id = {t.id: t for s in sections for t in s.tasks}
    return PlanView(
        slug=plan.slug,
        url=plan_url,
        feed_url=plan_url + "feed.atom",
        title=plan.title,
        period_start=plan.period.start,
        period_end=plan.period.end,
        summary=render_markdown(plan.summary),
        fraction=computed.fraction,
        percent=percent(computed.fraction),
        counts=status_counts(computed.counts),
        task_count=len(by_id),
        sections=sections,
        attention=[by_id[t.task.id] for t in computed.needing_attention()],
        measured=[t for t in by_id.values() if t.target],
        as_of=as_of,
    )
