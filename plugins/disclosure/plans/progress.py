"""How progress is computed: the rules, in one place (the README repeats them).

- A task with a numeric target: its progress is the latest value over the target.
- A task without one: its latest percentage.
- A task with no update yet (as of the day): 0, 未开始.
- A task's status is its latest update's, except that a task past its due
  date that is not 已完成 is 滞后, whatever its last update said.
- A section's progress is the mean of its tasks' progress, weighted by each
  task's `weight` (1 unless the plan says otherwise).
- The plan's overall progress is the mean of its sections' progress: each
  part of the plan counts the same, however many tasks it has.

Only updates dated on or before the as-of day count, so a build "as of" a
past day shows the plan as it stood then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .model import Plan, Section, Task, TaskStatus, Update


@dataclass(frozen=True)
class TaskProgress:
    task: Task
    fraction: float  # 0 … 1
    status: str
    stated: str  # what the latest update said, before the due-date rule
    due: date
    updates: list[Update]  # those dated on or before the as-of day

    @property
    def latest(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    @property
    def late(self) -> bool:
        return self.status == TaskStatus.LATE and self.stated != TaskStatus.LATE


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    fraction: float
    tasks: list[TaskProgress]
    counts: dict[str, int] = field(default_factory=dict)  # status -> tasks, in TaskStatus order


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    as_of: date
    fraction: float
    sections: list[SectionProgress]
    counts: dict[str, int]

    @property
    def tasks(self) -> list[TaskProgress]:
        return [t for s in self.sections for t in s.tasks]

    def needing_attention(self) -> list[TaskProgress]:
        """滞后 first, then 有风险, each in plan order."""
        return [t for status in list(TaskStatus)[:2] for t in self.tasks if t.status == status]


def update_fraction(task: Task, update: Update) -> float:
    """How far one update puts the task: value over target, or its percentage."""
    if task.target is not None:
        fraction = (update.value or 0.0) / task.target.value
    else:
        fraction = (update.percent or 0.0) / 100
    return min(max(fraction, 0.0), 1.0)


def task_progress(task: Task, *, due: date, as_of: date) -> TaskProgress:
    updates = [u for u in task.updates if u.day <= as_of]
    latest = updates[-1] if updates else None
    if latest is None:
        fraction, stated = 0.0, TaskStatus.NOT_STARTED
    else:
        fraction, stated = update_fraction(task, latest), latest.status
    status = TaskStatus.LATE if as_of > due and stated != TaskStatus.DONE else stated
    return TaskProgress(task, fraction, status, stated, due, updates)


def _counts(tasks: list[TaskProgress]) -> dict[str, int]:
    counted = Counter(t.status for t in tasks)
    return {status: counted[status] for status in TaskStatus}


def section_progress(section: Section, tasks: list[TaskProgress]) -> SectionProgress:
    total = sum(t.task.weight for t in tasks)
    fraction = sum(t.fraction * t.task.weight for t in tasks) / total if total else 0.0
    return SectionProgress(section, fraction, tasks, _counts(tasks))


def plan_progress(plan: Plan, as_of: date) -> PlanProgress:
    sections = [
        section_progress(
            section, [task_progress(t, due=plan.due(t), as_of=as_of) for t in section.tasks]
        )
        for section in plan.sections
    ]
    fraction = sum(s.fraction for s in sections) / len(sections) if sections else 0.0
    return PlanProgress(
        plan, as_of, fraction, sections, _counts([t for s in sections for t in s.tasks])
    )
