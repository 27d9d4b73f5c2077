"""plan_tasks.json and its CSV files: every task of every work plan and its
dated progress updates, as the plan pages compute them (status, percentage).

Only updates dated on or before the build's day are in the views, so the
files show the plan as the pages do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..plans.model import Plan, TaskStatus
from ..plans.views import PlanView, percent
from .tables import Column, Table

PERCENT_NOTE = "整数，与网页显示的一致：未完成时最多为 99"
STATUSES = tuple(TaskStatus)

TASK_COLUMNS = [
    Column("plan", "工作计划编号（如 2020-h2）"),
    Column("plan_title", "工作计划名称"),
    Column("section_number", "部分（一、二……）"),
    Column("section_heading", "部分标题"),
    Column("task_id", "任务编号（与计划编号一起唯一）"),
    Column("title", "任务"),
    Column("owner", "责任部门"),
    Column("status", "状态（按期限判断：过了期限仍未完成为“滞后”）", enum=STATUSES),
    Column("target", "目标（有量化目标时，如“4 个邻里小汇”）", nullable=True),
    Column("target_value", "目标数值", "number", nullable=True),
    Column("target_unit", "目标单位", nullable=True),
    Column("latest_value", "最近一次进展的完成数值（有量化目标时）", "number", nullable=True),
    Column("percent", "完成百分比", "integer", note=PERCENT_NOTE),
    Column("progress_text", "进展（文字，如“3 / 4 个（75%）”）"),
    Column("latest_update", "最近一次进展的日期", "date", nullable=True),
    Column("due", "期限", "date"),
    Column("url", "任务页面网址", "url"),
]

UPDATE_COLUMNS = [
    Column("plan", "工作计划编号（与 plan_tasks.csv 的 plan 对应）", nested=False),
    Column("task_id", "任务编号（与 plan_tasks.csv 的 task_id 对应）", nested=False),
    Column("task_title", "任务", nested=False),
    Column("date", "日期", "date"),
    Column("status", "当时报告的状态", enum=STATUSES),
    Column("value", "完成数值（有量化目标时）", "number", nullable=True),
    Column("percent", "完成百分比", "integer", note=PERCENT_NOTE),
    Column("progress_text", "进展（文字）"),
    Column("note", "进展说明"),
]


def _percent(text: str) -> int:
    return int(text.rstrip("%"))


def plan_tables(pairs: list[tuple[Plan, PlanView]], link: Callable[[str], str]) -> Table:
    rows, updates = [], []
    for plan, view in pairs:
        records = {task.id: task for section in plan.sections for task in section.tasks}
        for task in view.tasks:
            record = records[task.id]
            # the view's history is the record's updates up to the build's day, in order
            values = [u.value for u in record.updates[: len(task.history)]]
            rows.append(
                {
                    "plan": view.slug,
                    "plan_title": view.title,
                    "section_number": task.section_number,
                    "section_heading": task.section_heading,
                    "task_id": task.id,
                    "title": task.title,
                    "owner": task.owner,
                    "status": task.status,
                    "target": task.target,
                    "target_value": record.target.value if record.target else None,
                    "target_unit": record.target.unit if record.target else None,
                    "latest_value": values[-1] if values and record.target else None,
                    "percent": _percent(task.percent),
                    "progress_text": task.progress_text,
                    "latest_update": task.last.day if task.last else None,
                    "due": task.due,
                    "url": link(task.url),
                }
            )
            for update, value in zip(task.history, values, strict=True):
                updates.append(
                    {
                        "plan": view.slug,
                        "task_id": task.id,
                        "task_title": task.title,
                        "date": update.day,
                        "status": update.status,
                        "value": value if record.target else None,
                        "percent": _percent(percent(update.fraction)),
                        "progress_text": update.progress,
                        "note": update.note,
                    }
                )
    return Table(
        name="plan_tasks",
        key="tasks",
        title="工作计划任务和进展",
        description="工作计划每项任务的责任部门、目标、期限、状态和完成百分比",
        columns=TASK_COLUMNS,
        rows=rows,
        children=[
            Table(
                name="plan_updates",
                title="进展记录",
                description="每项任务按日期记录的每一次进展",
                columns=UPDATE_COLUMNS,
                rows=updates,
                key="updates",
                link={"plan": "plan", "task_id": "task_id"},
            )
        ],
    )


def plans_modified(views: list[PlanView]) -> date | None:
    return max((u.day for view in views for t in view.tasks for u in t.history), default=None)
