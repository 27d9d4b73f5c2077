"""The catalogue's rule over the work plan: unfinished tasks keep their progress up to date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
from conftest import ROOT, build, line_of, replace_in
from disclosure.completeness.report import REPORT_SCHEMA, grouped_lines
from disclosure.completeness.rules import evaluate
from disclosure.core.problems import Severity
from disclosure.site import load_site_data
from html_text import text

PLAN = "content/data/plans/2020-h2.yaml"
IN_THE_PERIOD = date(2020, 10, 31)


def plan_problems(content: Path, as_of: date = IN_THE_PERIOD) -> list:
    report = evaluate(load_site_data(content), as_of)
    return [p for plan in report.plans for p in plan.problems]


def test_a_task_without_news_for_longer_than_allowed_is_named(content):
    problems = plan_problems(content)
    plan = content / "data/plans/2020-h2.yaml"
    line = line_of(plan, "id: geli-bihuan") + 5  # its `updates:` line
    first = problems[0]
    assert str(first) == (
        f'{plan.as_posix()}:{line}:11: D320 任务 "隔离闭环管理" 已 61 天没有更新进展'
        "（上次 2020-08-31，公开目录要求不超过 45 天）：请街道党政办公室在 updates 中补充进展"
    )
    assert first.severity is Severity.ERROR
    # finished tasks are not asked for news; only updates up to the day count
    assert all("常态化防控工作队伍" not in p.message for p in problems)
    assert len(problems) == 7


def test_outside_the_plan_period_nothing_is_asked(content):
    assert plan_problems(content, date(2026, 11, 26)) == []
    assert plan_problems(content, date(2020, 6, 30)) == []


def test_the_rule_follows_its_level_and_needs_the_catalogue_to_ask(content):
    catalogue = content / "data/catalogue.yaml"
    replace_in(catalogue, "  plan_progress: error", "  plan_progress: warning")
    assert {p.severity for p in plan_problems(content)} == {Severity.WARNING}
    replace_in(catalogue, "  plan_progress: warning", "  plan_progress: off")
    assert plan_problems(content) == []
    replace_in(catalogue, "  plan_progress: off", "  plan_progress: error")
    replace_in(catalogue, "  max_update_age_days: 45\n", "  max_update_age_days: 100\n")
    assert plan_problems(content) == []


def test_a_task_never_updated_counts_from_the_start_of_the_period(content):
    plan = content / "data/plans/2020-h2.yaml"
    source = plan.read_text("utf-8")
    start = source.index("      - id: geli-bihuan")
    updates = source.index("        updates:", start)
    end = source.index("      - id:", updates)
    plan.write_text(source[:updates] + "        status: 未开始\n" + source[end:], "utf-8")
    problems = plan_problems(content)
    assert any(
        '任务 "隔离闭环管理" 已 122 天没有更新进展（计划期 2020-07-01 开始以来没有进展' in p.message
        for p in problems
    )


def test_the_report_lines_page_and_json_show_it(content, tmp_path):
    site = load_site_data(content)
    report = evaluate(site, IN_THE_PERIOD)
    lines = grouped_lines(report)
    assert (
        f"【2020年街道下半年工作计划】{(content / 'data/plans/2020-h2.yaml').as_posix()}" in lines
    )
    out = build(content, tmp_path / "output", DISCLOSURE_AS_OF=IN_THE_PERIOD.isoformat()).output
    page = text(out / "disclosure/index.html")
    assert "工作计划进展 2020年街道下半年工作计划 ! 已过期" in page
    assert "隔离闭环管理：已 61 天没有更新进展（应在 45 天内更新）" in page
    data = json.loads((out / "disclosure/report.json").read_text("utf-8"))
    jsonschema.validate(data, REPORT_SCHEMA)
    (plan,) = data["plans"]
    assert (plan["slug"], plan["status"], plan["url"]) == ("2020-h2", "stale", "../plans/2020-h2/")
    assert len(plan["problems"]) == 7


def test_the_example_published_today_has_no_running_plan(tmp_path):
    out = build(ROOT / "content", tmp_path / "output").output
    data = json.loads((out / "disclosure/report.json").read_text("utf-8"))
    assert data["plans"] == []
    assert "工作计划进展" not in text(out / "disclosure/index.html")
