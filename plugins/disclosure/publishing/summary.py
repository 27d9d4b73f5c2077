"""The publish outcome as Markdown for a CI job summary, in Chinese.

Written for the person who must act: problems are grouped by committee and
each names the role the catalogue makes responsible, whether it blocked the
publish or was published as a finding within its grace period.
"""

from __future__ import annotations

import re

from ..completeness.report import summary_line
from ..completeness.rules import DisclosureReport
from ..core.problems import Problem, Severity

# A problem line of the build's log: "[file:line:col: ]CODE message"; the
# completeness ones (D3xx) are shown grouped by committee instead.
_PROBLEM_LINE = re.compile(r"^(?:\S+:\d+:\d+: )?(?!D3)[A-Z]\d{3} ")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _where(problem: Problem) -> str:
    p = problem.position
    return f"`{p.path}:{p.line}:{p.column}`"


def markdown(
    *,
    published: bool,
    report: DisclosureReport | None,
    log: list[str],
    site_url: str,
) -> str:
    other_problems = [line for line in log if _PROBLEM_LINE.match(line)]
    lines = []
    if published:
        lines.append(f"## ✅ 发布检查通过：{site_url or '（未设置网站地址）'}")
    else:
        lines.append("## ❌ 没有发布：线上网站保持上一次成功发布的版本")
    if other_problems:
        lines += ["", "### 需要先处理的问题", ""]
        lines += [f"- {_cell(line)}" for line in other_problems]
    elif not published and report is None:
        # Something unforeseen: the end of the log is all there is to go on.
        lines += ["", "### 生成日志（最后几行）", "", "```text", *log[-20:], "```"]
    if report is not None:
        lines += ["", f"### {summary_line(report)}"]
        for committee in report.committees:
            rows = [
                (category, problem)
                for category in committee.categories
                for problem in sorted(category.problems, key=lambda p: p.sort_key)
            ]
            if not rows:
                continue
            blocking = any(p.severity is Severity.ERROR for _, p in rows)
            state = "阻止发布" if blocking else "已发布，页面标明问题"
            lines += [
                "",
                f"#### {'❌' if blocking else '⚠️'} {committee.name}（{state}）",
                "",
                "| 类别 | 状态 | 请谁处理 | 问题 | 位置 |",
                "|---|---|---|---|---|",
            ]
            for category, problem in rows:
                level = "错误" if problem.severity is Severity.ERROR else "提示"
                lines.append(
                    f"| {category.title} | {category.label}（{level}） | {category.responsible} "
                    f"| {_cell(problem.code + ' ' + problem.message)} | {_where(problem)} |"
                )
        for plan in report.plans:
            if not plan.problems:
                continue
            blocking = any(p.severity is Severity.ERROR for p in plan.problems)
            state = "阻止发布" if blocking else "已发布，页面标明问题"
            lines += [
                "",
                f"#### {'❌' if blocking else '⚠️'} {plan.title}（{state}）",
                "",
                "| 请谁处理 | 问题 | 位置 |",
                "|---|---|---|",
            ]
            for problem in sorted(plan.problems, key=lambda p: p.sort_key):
                lines.append(
                    f"| {plan.responsible} | {_cell(problem.code + ' ' + problem.message)} "
                    f"| {_where(problem)} |"
                )
        if report.events and report.events.problems:
            blocking = any(p.severity is Severity.ERROR for p in report.events.problems)
            state = "阻止发布" if blocking else "已发布，页面标明问题"
            lines += [
                "",
                f"#### {'❌' if blocking else '⚠️'} 文化活动（{state}）",
                "",
                "| 请谁处理 | 问题 | 位置 |",
                "|---|---|---|",
            ]
            for problem in sorted(report.events.problems, key=lambda p: p.sort_key):
                lines.append(
                    f"| {report.events.responsible} | "
                    f"{_cell(problem.code + ' ' + problem.message)} | {_where(problem)} |"
                )
        if report.catalogue_problems:
            lines += ["", "#### 公开目录", ""]
            lines += [f"- {_cell(str(p))}" for p in report.catalogue_problems]
    return "\n".join(lines) + "\n"
