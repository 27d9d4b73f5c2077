"""The half-year work plan as data: sections, tasks, targets and dated updates.

Declared once, like the other record types. The checks here are the ones a
plan file can fail by itself (targets, order and dates of updates, ids);
how progress is computed from the updates lives in plans/progress.py alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from ..core import yaml_text as yt
from ..core.problems import quoted
from ..core.schema import (
    INVALID,
    Choice,
    Context,
    Date,
    Field,
    ListOf,
    Located,
    Markdown,
    Number,
    Obj,
    ScalarKind,
    Text,
)
from ..core.slugs import SLUG, number_in_slug


# The statuses a task may be given in an update, in the order they are shown.
class TaskStatus(StrEnum):
    """A task's status, as staff write it and residents read it, in the order shown."""

    LATE = "滞后"
    AT_RISK = "有风险"
    IN_PROGRESS = "推进中"
    NOT_STARTED = "未开始"
    DONE = "已完成"

    @property
    def key(self) -> str:
        """The ASCII name the page's styles and charts use."""
        return _STATUS_KEYS[self]


_STATUS_KEYS = {
    TaskStatus.LATE: "late",
    TaskStatus.AT_RISK: "risk",
    TaskStatus.IN_PROGRESS: "going",
    TaskStatus.NOT_STARTED: "todo",
    TaskStatus.DONE: "done",
}
SECTION_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


@dataclass(kw_only=True)
class Period(Located):
    start: date
    end: date


@dataclass(kw_only=True)
class Target(Located):
    value: float
    unit: str  # 个, 家, %, 类
    measure: str  # what is counted: 建成的邻里小汇

    def describe(self, value: float | None = None) -> str:
        """4 个邻里小汇; with a value, 3 / 4 个 (72% / 90% for a percentage)."""
        shown = _number(self.value)
        if value is None:
            return f"{shown}{_space(self.unit)}{self.unit}{self.measure}"
        if self.unit == "%":
            return f"{_number(value)}% / {shown}%"
        return f"{_number(value)} / {shown} {self.unit}"


def _number(value: float) -> str:
    return f"{value:g}"


def _space(unit: str) -> str:
    return "" if unit == "%" else " "


@dataclass(kw_only=True)
class Update(Located):
    day: date
    value: float | None
    percent: float | None
    status: str
    note: str


@dataclass(kw_only=True)
class Task(Located):
    id: str
    title: str
    wording: str  # the plan's own words
    owner: str
    due: date | None
    target: Target | None
    weight: float
    status: str | None  # only 未开始, for a task with no updates yet
    updates: list[Update]


@dataclass(kw_only=True)
class Section(Located):
    number: str
    heading: str
    tasks: list[Task]


@dataclass(kw_only=True)
class Plan(Located):
    slug: str  # the file name: 2020-h2
    title: str
    period: Period
    summary: str | None
    sections: list[Section]

    def due(self, task: Task) -> date:
        """A task is due when the plan says, or at the end of the period."""
        return task.due or self.period.end


class PlanId(ScalarKind):
    label = "任务编号（小写字母、数字和连字符）"

    def parse(self, node: yt.Scalar, ctx: Context) -> Any:
        text = node.text.strip()
        if not SLUG.match(text):
            ctx.error(
                node.position,
                "E115",
                "任务编号会成为网址，只能用小写字母、数字和连字符（例如 linli-xiaohui），"
                f"实际为 {quoted(text)}",
            )
            return INVALID
        if number := number_in_slug(text):
            ctx.error(node.position, "E705", f"任务编号{number}")
            return INVALID
        return text

    def json(self) -> dict:
        return {"type": "string", "pattern": SLUG.pattern}


# ---- checks on one plan ---------------------------------------------------------------


MAX_PERIOD_DAYS = 366  # a half-year plan, or at most a year's


def _period_in_order(period: Period, ctx: Context) -> None:
    if period.end <= period.start:
        ctx.error_in(
            "end",
            period.where("end"),
            "E116",
            f"结束日期 {period.end} 应晚于开始日期 {period.start}，请核对",
        )
    elif (period.end - period.start).days > MAX_PERIOD_DAYS:
        ctx.error_in(
            "end",
            period.where("end"),
            "E509",
            f"计划期太长：应不超过 {MAX_PERIOD_DAYS} 天（半年或一年），"
            f"实际为 {period.start} 至 {period.end}，共 {(period.end - period.start).days} 天；"
            "请核对年份，每个计划期写一个文件",
        )


def _update_shape(task: Task, ctx: Context) -> None:
    """A measured task reports values toward its target; others a percentage."""
    target = task.target
    for index, update in enumerate(task.updates):
        field = f"updates[{index}]"
        if target is not None:
            if update.percent is not None:
                ctx.error_in(
                    f"{field}.percent",
                    update.where("percent"),
                    "E502",
                    f"这项任务有量化目标（{target.describe()}），"
                    "进展请写 value（完成了多少），不写 percent",
                )
            elif update.value is None and update.status != TaskStatus.NOT_STARTED:
                ctx.error_in(
                    field,
                    update.position,
                    "E502",
                    f"请写 value：到这一天完成了多少（目标是 {target.describe()}）",
                )
            elif update.value is not None and update.value > target.value:
                ctx.error_in(
                    f"{field}.value",
                    update.where("value"),
                    "E501",
                    f"完成值 {_number(update.value)} 超过了目标 {target.describe()}；"
                    "数值应在 0 和目标之间，请核对",
                )
        else:
            if update.value is not None:
                ctx.error_in(
                    f"{field}.value",
                    update.where("value"),
                    "E502",
                    "这项任务没有量化目标，进展请写 percent（完成百分比，0–100），不写 value",
                )
            elif update.percent is None and update.status != TaskStatus.NOT_STARTED:
                ctx.error_in(
                    field,
                    update.position,
                    "E502",
                    "请写 percent：到这一天大约完成了百分之多少（0–100）",
                )


def _updates_in_order(task: Task, ctx: Context) -> None:
    for index in range(1, len(task.updates)):
        before, update = task.updates[index - 1], task.updates[index]
        if update.day < before.day:
            ctx.error_in(
                f"updates[{index}].date",
                update.where("day"),
                "E503",
                f"进展要按日期先后写：{update.day} 写在了 {before.day} 之后",
            )


def _started_or_not(task: Task, ctx: Context) -> None:
    if not task.updates and task.status != TaskStatus.NOT_STARTED:
        ctx.error_in(
            "updates",
            task.position,
            "E504",
            "这项任务还没有进展记录：请在 updates 下写第一条进展；"
            "还没开始的任务请写 status: 未开始",
        )
    if task.updates and task.status is not None:
        ctx.error_in(
            "status",
            task.where("status"),
            "E504",
            "已有进展记录的任务不要再写 status: 未开始；任务状态以最新一条进展为准",
        )


def _done_means_done(task: Task, ctx: Context) -> None:
    if not task.updates:
        return
    last = task.updates[-1]
    if last.status != TaskStatus.DONE:
        return
    if task.target is not None and last.value is not None and last.value < task.target.value:
        reached = f"{_number(last.value)} / {task.target.describe()}"
    elif task.target is None and last.percent is not None and last.percent < 100:
        reached = f"{_number(last.percent)}%"
    else:
        return
    index = len(task.updates) - 1
    ctx.error_in(
        f"updates[{index}].status",
        last.where("status"),
        "E505",
        f"状态写了“已完成”，但完成情况只有 {reached}：请补上最终数值，或改为“推进中”",
    )


def _dates_in_period(plan: Plan, ctx: Context) -> None:
    start, end = plan.period.start, plan.period.end
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            where = f"sections[{s}].tasks[{t}]"
            if task.due is not None and not start <= task.due <= end:
                ctx.error_in(
                    f"{where}.due",
                    task.where("due"),
                    "E506",
                    f"完成期限 {task.due} 不在计划期 {start} 至 {end} 之内",
                )
            for u, update in enumerate(task.updates):
                if not start <= update.day <= end:
                    ctx.error_in(
                        f"{where}.updates[{u}].date",
                        update.where("day"),
                        "E506",
                        f"进展日期 {update.day} 不在计划期 {start} 至 {end} 之内",
                    )


def _sections_numbered(plan: Plan, ctx: Context) -> None:
    for index, section in enumerate(plan.sections):
        expected = SECTION_NUMBERS[index] if index < len(SECTION_NUMBERS) else None
        if section.number != expected:
            ctx.error_in(
                f"sections[{index}].number",
                section.where("number"),
                "E507",
                f"第 {index + 1} 部分的编号应为“{expected}”，实际为 {quoted(section.number)}；"
                "请按计划原文的顺序排列各部分",
            )


def _unique_ids(plan: Plan, ctx: Context) -> None:
    seen: dict[str, Task] = {}
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            if task.id in seen:
                ctx.error_in(
                    f"sections[{s}].tasks[{t}].id",
                    task.where("id"),
                    "E508",
                    f"任务编号 {quoted(task.id)} 重复："
                    f"第 {seen[task.id].where('id').line} 行已经用过",
                )
            seen.setdefault(task.id, task)


# ---- declarations ---------------------------------------------------------------------

UPDATE = Obj(
    Update,
    [
        Field("date", Date(), "日期", required=True, attr="day"),
        Field("value", Number(), "完成值", help="有量化目标的任务：到这一天完成了多少，例如 3"),
        Field(
            "percent",
            Number(maximum=100),
            "完成百分比",
            help="没有量化目标的任务：大约完成了百分之多少（0–100）",
        ),
        Field(
            "status",
            Choice({s.value: s.value for s in TaskStatus}),
            "状态",
            required=True,
            help="未开始、推进中、已完成、滞后 或 有风险",
        ),
        Field("note", Text(max_length=200), "说明", required=True, help="一两句话说明做了什么"),
    ],
    title="进展",
)

TARGET = Obj(
    Target,
    [
        Field("value", Number(minimum=0.01), "目标数", required=True, help="例如 4"),
        Field("unit", Text(max_length=6), "单位", required=True, help="例如 个、家、%"),
        Field("measure", Text(max_length=30), "统计什么", required=True, help="例如 邻里小汇"),
    ],
    title="量化目标",
)

TASK = Obj(
    Task,
    [
        Field(
            "id", PlanId(), "任务编号", required=True, help="成为网址的一部分，例如 linli-xiaohui"
        ),
        Field("title", Text(max_length=40), "任务名称", required=True),
        Field("wording", Text(multiline=True), "计划原文", required=True, help="照抄计划中的原话"),
        Field("owner", Text(max_length=40), "责任部门", required=True),
        Field("due", Date(), "完成期限", help="不写即为计划期末"),
        Field("target", TARGET, "量化目标", help="计划写明了数字时填写"),
        Field("weight", Number(minimum=0.1, maximum=100), "权重", default=1.0, help="不写为 1"),
        Field(
            "status",
            Choice({TaskStatus.NOT_STARTED.value: TaskStatus.NOT_STARTED.value}),
            "状态",
            help="只在还没有任何进展时写 未开始",
        ),
        Field("updates", ListOf(UPDATE), "进展", default=[]),
    ],
    title="任务",
    checks=[_update_shape, _updates_in_order, _started_or_not, _done_means_done],
)

SECTION = Obj(
    Section,
    [
        Field("number", Text(max_length=2), "编号", required=True, help="一、二 … 八"),
        Field(
            "heading", Text(max_length=60), "标题", required=True, help="照抄计划中这一部分的标题"
        ),
        Field("tasks", ListOf(TASK, min_items=1), "任务", required=True),
    ],
    title="计划的一部分",
)

PERIOD = Obj(
    Period,
    [
        Field("start", Date(), "开始日期", required=True),
        Field("end", Date(), "结束日期", required=True),
    ],
    title="计划期",
    checks=[_period_in_order],
)

PLAN = Obj(
    Plan,
    [
        Field("title", Text(max_length=60), "计划名称", required=True),
        Field("period", PERIOD, "计划期", required=True),
        Field("summary", Markdown(), "说明"),
        Field("sections", ListOf(SECTION, min_items=1), "各部分", required=True),
    ],
    title="工作计划",
    checks=[_sections_numbered, _unique_ids, _dates_in_period],
    supplied=("slug",),
)

SCHEMAS: dict[str, Obj] = {"plan": PLAN}
