"""Work-plan records: typed values and every problem with its position and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from disclosure.core.files import read_record
from disclosure.plans.model import PLAN

VALID = """\
\
title: 2020年街道下半年工作计划
period:
  start: 2020-07-01
  end: 2020-12-31
sections:
  - number: 一
    heading: 慎终如始，把好防控常态化后的社区防疫关口
    tasks:
      - id: linli-xiaohui
        title: 完成 4 个邻里小汇建设
        wording: 完成4个邻里小汇建设
        owner: 社区服务办公室
        target:
          value: 4
          unit: 个
          measure: 邻里小汇
        updates:
          - date: 2020-08-31
            value: 1
            status: 推进中
            note: 日晖二村邻里小汇开放。
          - date: 2020-10-31
            value: 3
            status: 推进中
            note: 又开放两个。
      - id: peixun
        title: 书记培训
        wording: 开展居民区党总支书记培训
        owner: 社区党建办公室
        updates:
          - date: 2020-07-31
            percent: 50
            status: 推进中
            note: 第一期培训结束。
"""


def read(tmp_path: Path, text: str):
    path = tmp_path / "2020-h2.yaml"
    path.write_text(text, encoding="utf-8")
    return read_record(path, "p.yaml", PLAN, slug="2020-h2")


def messages(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in read(tmp_path, text)[1]]


def test_a_plan_is_typed(tmp_path):
    plan, problems = read(tmp_path, VALID)
    assert problems == []
    assert plan.slug == "2020-h2"
    assert plan.period.end == date(2020, 12, 31)
    task = plan.sections[0].tasks[0]
    assert task.target.value == 4 and task.target.describe() == "4 个邻里小汇"
    assert task.target.describe(3) == "3 / 4 个"
    assert [u.value for u in task.updates] == [1, 3]
    assert plan.due(task) == date(2020, 12, 31)  # the end of the period unless the plan says
    assert task.weight == 1


def test_percentages_may_be_written_with_a_sign(tmp_path):
    plan, problems = read(tmp_path, VALID.replace("percent: 50", "percent: 50%"))
    assert problems == []
    assert plan.sections[0].tasks[1].updates[0].percent == 50


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "            value: 3\n",
            "            value: 5\n",
            "p.yaml:23:20: E501 完成值 5 超过了目标 4 个邻里小汇；数值应在 0 和目标之间，请核对"
            "（字段 sections[0].tasks[0].updates[1].value）",
        ),
        (
            "            value: 3\n",
            "            percent: 75\n",
            "p.yaml:23:22: E502 这项任务有量化目标（4 个邻里小汇），进展请写 value（完成了多少），不写 percent"
            "（字段 sections[0].tasks[0].updates[1].percent）",
        ),
        (
            "            percent: 50\n",
            "            value: 5\n",
            "p.yaml:32:20: E502 这项任务没有量化目标，进展请写 percent（完成百分比，0–100），不写 value"
            "（字段 sections[0].tasks[1].updates[0].value）",
        ),
        (
            "          - date: 2020-10-31",
            "          - date: 2020-08-01",
            "p.yaml:22:19: E503 进展要按日期先后写：2020-08-01 写在了 2020-08-31 之后"
            "（字段 sections[0].tasks[0].updates[1].date）",
        ),
        (
            "          - date: 2020-10-31",
            "          - date: 2021-01-05",
            "p.yaml:22:19: E506 进展日期 2021-01-05 不在计划期 2020-07-01 至 2020-12-31 之内"
            "（字段 sections[0].tasks[0].updates[1].date）",
        ),
        (
            "        owner: 社区服务办公室",
            "        owner: 社区服务办公室\n        due: 2021-03-31",
            "p.yaml:13:14: E506 完成期限 2021-03-31 不在计划期 2020-07-01 至 2020-12-31 之内"
            "（字段 sections[0].tasks[0].due）",
        ),
        (
            "            status: 推进中\n            note: 又开放两个。",
            "            status: 已完成\n            note: 又开放两个。",
            "p.yaml:24:21: E505 状态写了“已完成”，但完成情况只有 3 / 4 个邻里小汇：请补上最终数值，或改为“推进中”"
            "（字段 sections[0].tasks[0].updates[1].status）",
        ),
        (
            "            status: 推进中\n            note: 第一期培训结束。",
            "            status: 完成\n            note: 第一期培训结束。",
            'p.yaml:33:21: E110 应为以下之一：滞后、有风险、推进中、未开始、已完成，实际为 "完成"'
            "（字段 sections[0].tasks[1].updates[0].status）",
        ),
        (
            "        updates:\n          - date: 2020-07-31\n            percent: 50\n"
            "            status: 推进中\n            note: 第一期培训结束。\n",
            "",
            "p.yaml:26:9: E504 这项任务还没有进展记录：请在 updates 下写第一条进展；还没开始的任务请写 status: 未开始"
            "（字段 sections[0].tasks[1].updates）",
        ),
        (
            "        owner: 社区党建办公室\n",
            "        owner: 社区党建办公室\n        status: 未开始\n",
            "p.yaml:30:17: E504 已有进展记录的任务不要再写 status: 未开始；任务状态以最新一条进展为准"
            "（字段 sections[0].tasks[1].status）",
        ),
        (
            "      - id: peixun",
            "      - id: linli-xiaohui",
            'p.yaml:26:13: E508 任务编号 "linli-xiaohui" 重复：第 9 行已经用过（字段 sections[0].tasks[1].id）',
        ),
        (
            "      - id: peixun",
            "      - id: 培训",
            "p.yaml:26:13: E115 任务编号会成为网址，只能用小写字母、数字和连字符（例如 linli-xiaohui），"
            '实际为 "培训"（字段 sections[0].tasks[1].id）',
        ),
        (
            "  - number: 一",
            "  - number: 二",
            'p.yaml:6:13: E507 第 1 部分的编号应为“一”，实际为 "二"；请按计划原文的顺序排列各部分'
            "（字段 sections[0].number）",
        ),
        (
            "  end: 2020-12-31",
            "  end: 2020-06-30",
            "p.yaml:4:8: E116 结束日期 2020-06-30 应晚于开始日期 2020-07-01，请核对（字段 period.end）",
        ),
        (
            "            percent: 50",
            "            percent: 150",
            "p.yaml:32:22: E114 应不小于 0、不大于 100，实际为 150（字段 sections[0].tasks[1].updates[0].percent）",
        ),
        (
            "            value: 1\n",
            "            value: 一个\n",
            'p.yaml:19:20: E114 应为数字，实际为 "一个"（字段 sections[0].tasks[0].updates[0].value）',
        ),
    ],
)
def test_one_problem_each(tmp_path, old, new, expected):
    text = VALID.replace(old, new, 1)
    assert text != VALID
    assert messages(tmp_path, text) == [expected]


def test_a_task_not_started_needs_no_updates(tmp_path):
    text = VALID.replace(
        "        updates:\n          - date: 2020-07-31\n            percent: 50\n"
        "            status: 推进中\n            note: 第一期培训结束。\n",
        "        status: 未开始\n",
    )
    plan, problems = read(tmp_path, text)
    assert problems == []
    assert plan.sections[0].tasks[1].updates == []


def test_problems_in_several_tasks_are_reported_together(tmp_path):
    text = VALID.replace("            value: 3\n", "            value: 5\n").replace(
        "            percent: 50\n", "            value: 5\n"
    )
    codes = [m.split(" ")[1] for m in messages(tmp_path, text)]
    assert codes == ["E501", "E502"]
