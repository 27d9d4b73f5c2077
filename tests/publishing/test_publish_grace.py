"""One committee late with its checks: published with a visible finding, then blocked.

The catalogue's grace_days keep the whole site moving while one committee is a
few days late re-verifying; past the grace period the publish stops, and the
CI job summary names who must act either way.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from conftest import (
    PUBLISHED,
    committee_file,
    cut_emergency,
    line_of,
    publish,
    replace_in,
    tree_digest,
)
from disclosure.cli import commands
from html_text import text

ZHONGHE = "中和村居民区"


def publish_with_summary(content: Path, tmp_path: Path) -> tuple[int, str, str, dict | None]:
    """Publish as CI does: the status, what it said, the job summary and report.json."""
    summary, report = tmp_path / "summary.md", tmp_path / "report.json"
    status, said = publish(content, tmp_path / "output", summary_file=summary, report_file=report)
    written = json.loads(report.read_text()) if report.exists() else None
    return status, said, summary.read_text("utf-8"), written


def verify_emergency_on(content: Path, day: str) -> None:
    replace_in(
        committee_file(content, "zhonghecun"), "  emergency: 2026-11-14", f"  emergency: {day}"
    )


def test_within_the_grace_period_the_site_is_published_marked_stale(content, tmp_path):
    verify_emergency_on(content, "2026-10-20")  # 37 days: 30 allowed + 7 of grace
    status, said, summary, report = publish_with_summary(content, tmp_path)
    assert status == 0, said
    assert (
        "中和村居民区的紧急联络机制已 37 天未核实（上次 2026-10-20，公开目录要求不超过 30 天）："
        "请居民区党总支书记核实后更新 verified；宽限期到 2026-11-26 为止，之后将阻止网站发布（警告）"
    ) in said
    page = text(tmp_path / "output/committees/zhonghecun/index.html")
    assert (
        "已过期：以下紧急联络机制已 37 天没有核实（应在 30 天内核实），可能已有变化，"
        "请先拨打居委会电话确认。"
    ) in page
    assert "紧急联络机制 ! 已过期" in page
    disclosure = text(tmp_path / "output/disclosure/index.html")
    assert "紧急联络机制：已 37 天未核实（应在 30 天内核实）" in disclosure
    assert "#### ⚠️ 中和村居民区（已发布，页面标明问题）" in summary
    assert "| 紧急联络机制 | 已过期（提示） | 居民区党总支书记 | D302 " in summary
    assert summary.startswith("## ✅ 发布检查通过：")
    assert (report["summary"]["errors"], report["summary"]["warnings"]) == (0, 1)


def test_past_the_grace_period_the_publish_stops(content, tmp_path):
    assert publish_with_summary(content, tmp_path)[0] == 0
    before = tree_digest(tmp_path / "output")
    verify_emergency_on(content, "2026-10-19")  # one day more
    status, said, summary, report = publish_with_summary(content, tmp_path)
    assert status == 1
    assert "宽限期已于 2026-11-25 结束" in said
    assert said.splitlines()[-1] == "构建未完成：发现 1 个错误，网站没有更新（output/ 保持原样）。"
    assert tree_digest(tmp_path / "output") == before
    assert "## ❌ 没有发布：线上网站保持上一次成功发布的版本" in summary
    assert "#### ❌ 中和村居民区（阻止发布）" in summary
    assert "| 紧急联络机制 | 已过期（错误） | 居民区党总支书记 | D302 " in summary
    zhonghe = next(c for c in report["committees"] if c["slug"] == "zhonghecun")
    assert zhonghe["url"] == f"{PUBLISHED['SITEURL']}/committees/zhonghecun/"
    assert [c["status"] for c in zhonghe["categories"]] == ["complete", "complete", "stale"]
    assert report["summary"]["errors"] == 1


def test_a_missing_category_blocks_whatever_the_grace(content, tmp_path):
    cut_emergency(committee_file(content, "zhonghecun"))
    status, said, summary, _ = publish_with_summary(content, tmp_path)
    assert status == 1
    assert "D301 中和村居民区没有公开紧急联络机制" in said
    assert "| 紧急联络机制 | 缺失（错误） | 居民区党总支书记 | D301 " in summary


def test_a_grace_period_must_be_a_number_of_days(content):
    catalogue = content / "data/catalogue.yaml"
    replace_in(catalogue, "    grace_days: 7", "    grace_days: -3")
    line = line_of(catalogue, "grace_days: -3")
    out = io.StringIO()
    assert commands.validate(content, as_of=date(2026, 11, 26), out=out) == 1
    assert out.getvalue().splitlines()[0] == (
        f"{catalogue.as_posix()}:{line}:17: E114 应不小于 0、不大于 366，实际为 -3"
        "（字段 categories.emergency.grace_days）"
    )


def test_a_broken_record_is_named_in_the_job_summary(content, tmp_path):
    path = committee_file(content, "zhonghecun")
    replace_in(path, "verified:", "verfied:")
    status, _said, summary, report = publish_with_summary(content, tmp_path)
    assert status == 1
    assert report is None  # no report without valid records
    line = line_of(path, "verfied:")
    assert "## ❌ 没有发布：线上网站保持上一次成功发布的版本" in summary
    assert f"- {path.as_posix()}:{line}:1: E101 " in summary
