"""The progress rules: value over target, latest percentage, weighted means, late tasks."""

from __future__ import annotations

from datetime import date

import pytest
from disclosure.core.problems import Position
from disclosure.plans.model import Period, Plan, Section, Target, Task, Update
from disclosure.plans.progress import plan_progress, task_progress
from disclosure.plans.views import percent

HERE = Position("p.yaml")
PERIOD = Period(position=HERE, start=date(2020, 7, 1), end=date(2020, 12, 31))


def update(day: str, status: str, *, value=None, pct=None) -> Update:
    return Update(
        position=HERE,
        day=date.fromisoformat(day),
        value=value,
        percent=pct,
        status=status,
        note="…",
    )


def task(task_id: str, updates: list[Update], *, target=None, weight=1.0, due=None) -> Task:
    return Task(
        position=HERE,
        id=task_id,
        title=task_id,
        wording="…",
        owner="…",
        due=due,
        target=Target(position=HERE, value=target, unit="个", measure="…") if target else None,
        weight=weight,
        status=None,
        updates=updates,
    )


def plan(*sections: list[Task]) -> Plan:
    return Plan(
        position=HERE,
        slug="2020-h2",
        title="计划",
        period=PERIOD,
        summary=None,
        sections=[
            Section(position=HERE, number="一二三"[i], heading="…", tasks=tasks)
            for i, tasks in enumerate(sections)
        ],
    )


AUTUMN = date(2020, 10, 15)


def test_a_measured_task_is_its_latest_value_over_its_target():
    t = task(
        "xiaohui",
        [update("2020-08-31", "推进中", value=1), update("2020-10-01", "推进中", value=3)],
        target=4,
    )
    progress = task_progress(t, due=PERIOD.end, as_of=AUTUMN)
    assert progress.fraction == 0.75
    assert progress.status == "推进中"


def test_an_unmeasured_task_is_its_latest_percentage():
    t = task(
        "peixun", [update("2020-08-31", "推进中", pct=40), update("2020-09-30", "有风险", pct=55)]
    )
    progress = task_progress(t, due=PERIOD.end, as_of=AUTUMN)
    assert progress.fraction == 0.55
    assert progress.status == "有风险"


def test_updates_after_the_as_of_day_do_not_count_yet():
    t = task(
        "xiaohui",
        [update("2020-08-31", "推进中", value=1), update("2020-11-30", "已完成", value=4)],
        target=4,
    )
    assert task_progress(t, due=PERIOD.end, as_of=AUTUMN).fraction == 0.25
    assert task_progress(t, due=PERIOD.end, as_of=date(2020, 12, 1)).status == "已完成"


def test_a_task_with_no_update_yet_is_not_started():
    progress = task_progress(task("later", []), due=PERIOD.end, as_of=AUTUMN)
    assert (progress.fraction, progress.status) == (0.0, "未开始")


@pytest.mark.parametrize("stated", ["推进中", "有风险", "未开始"])
def test_a_task_past_its_due_date_without_done_is_late(stated):
    t = task("duxun", [update("2020-08-31", stated, pct=80)], due=date(2020, 9, 30))
    progress = task_progress(t, due=date(2020, 9, 30), as_of=AUTUMN)
    assert progress.status == "滞后"
    assert progress.stated == stated and progress.late
    # on its due day it is not late yet
    assert task_progress(t, due=date(2020, 9, 30), as_of=date(2020, 9, 30)).status == stated


def test_a_done_task_is_never_late():
    t = task("duxun", [update("2020-09-28", "已完成", pct=100)], due=date(2020, 9, 30))
    assert task_progress(t, due=date(2020, 9, 30), as_of=AUTUMN).status == "已完成"


def test_a_section_is_the_weighted_mean_of_its_tasks_and_the_plan_the_mean_of_sections():
    a = task("a", [update("2020-08-01", "推进中", pct=100)], weight=3)  # 1.0 × 3
    b = task("b", [update("2020-08-01", "推进中", pct=20)])  # 0.2 × 1
    c = task("c", [update("2020-08-01", "推进中", pct=40)])
    result = plan_progress(plan([a, b], [c]), AUTUMN)
    first, second = result.sections
    assert first.fraction == pytest.approx((3 * 1.0 + 0.2) / 4)  # 0.8
    assert second.fraction == pytest.approx(0.4)
    assert result.fraction == pytest.approx((0.8 + 0.4) / 2)  # sections count the same


def test_counts_and_what_needs_attention_first():
    late = task("late", [update("2020-08-01", "推进中", pct=10)], due=date(2020, 9, 1))
    risky = task("risky", [update("2020-08-01", "有风险", pct=10)])
    fine = task("fine", [update("2020-08-01", "推进中", pct=10)])
    result = plan_progress(plan([risky, fine], [late]), AUTUMN)
    assert [t.task.id for t in result.needing_attention()] == ["late", "risky"]
    assert result.counts == {"滞后": 1, "有风险": 1, "推进中": 1, "未开始": 0, "已完成": 0}


@pytest.mark.parametrize(
    ("fraction", "shown"), [(0, "0%"), (0.754, "75%"), (0.996, "99%"), (1, "100%"), (1 / 3, "33%")]
)
def test_percentages_never_round_up_to_done(fraction, shown):
    assert percent(fraction) == shown
