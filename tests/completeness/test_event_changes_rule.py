"""The catalogue's rule over events: a cancelled or postponed event says why."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
from conftest import AS_OF, build, line_of, replace_in
from disclosure.completeness.report import REPORT_SCHEMA, grouped_lines
from disclosure.completeness.rules import evaluate
from disclosure.core.problems import Severity
from disclosure.site import load_site_data
from html_text import text

EVENT = "data/events/2026/zuojia-jianmianhui.yaml"


def without_reason(content):
    path = content / EVENT
    source = path.read_text("utf-8")
    lines = [line for line in source.splitlines() if not line.startswith("status_note:")]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_a_cancelled_event_without_a_reason_is_named(content, tmp_path):
    path = without_reason(content)
    report = evaluate(load_site_data(content), date.fromisoformat(AS_OF))
    (problem,) = report.events.problems
    line = line_of(path, "status:")
    assert str(problem) == (
        f'{path.as_posix()}:{line}:9: D330 活动 "汇阅读·作家见面会" 已取消，但没有写明原因：'
        "请社区文化活动中心在 status_note 中写明，网站和日历会一并告诉居民（警告）"
    )
    assert problem.severity is Severity.WARNING  # the example catalogue's level
    assert "【文化活动】社区文化活动中心" in grouped_lines(report)
    out = build(content, tmp_path / "output").output
    page = text(out / "disclosure/index.html")
    # a warning is shown to residents, without failing the category
    assert "文化活动的变动 ✓ 完整 取消或延期的活动要写明原因。责任人：社区文化活动中心。" in page
    assert "汇阅读·作家见面会：已取消，没有写明原因" in page
    data = json.loads((out / "disclosure/report.json").read_text("utf-8"))
    jsonschema.validate(data, REPORT_SCHEMA)
    assert [p["code"] for p in data["events"]["problems"]] == ["D330"]


def test_every_change_in_the_example_says_why(content):
    report = evaluate(load_site_data(content), date.fromisoformat(AS_OF))
    assert report.events.problems == []
    replace_in(content / "data/catalogue.yaml", "  event_changes: warning", "  event_changes: off")
    without_reason(content)
    assert evaluate(load_site_data(content), date.fromisoformat(AS_OF)).events is None


def test_a_postponement_without_a_new_time_is_named_as_residents_see_it(content):
    path = content / "data/events/2020/huyu-gushihui.yaml"
    source = path.read_text("utf-8")
    path.write_text(
        "\n".join(line for line in source.splitlines() if not line.startswith("status_note:"))
        + "\n",
        "utf-8",
    )
    report = evaluate(load_site_data(content), date.fromisoformat(AS_OF))
    (finding,) = report.events.findings
    # the event page says 已延期，时间待定: the finding uses the same word
    assert finding.public == "已延期，没有写明原因"
