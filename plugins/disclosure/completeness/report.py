"""The disclosure report as terminal lines and as report.json with its schema."""

from __future__ import annotations

from ..core.memo import ByIdentity
from ..core.problems import Problem, RecordsInvalid, Severity
from ..core.slugs import SLUG_PATTERN
from ..settings import links_from, page_location
from .rules import CommitteeStatus, DisclosureReport, Status

REPORT_SCHEMA_ID = "report.schema.json"


class DisclosureIncomplete(RecordsInvalid):
    """A strict build found error-level completeness problems."""

    def __init__(self, report: DisclosureReport):
        self.report = report
        super().__init__(report.problems)


def grouped_lines(report: DisclosureReport) -> list[str]:
    """Problems grouped by committee under a heading, then one summary line."""
    lines = [str(p) for p in sorted(report.catalogue_problems, key=lambda p: p.sort_key)]
    for committee in report.committees:
        problems = sorted(committee.problems, key=lambda p: p.sort_key)
        if problems:
            lines.append(f"【{committee.name}】{committee.path}")
            lines.extend(str(p) for p in problems)
    for plan in report.plans:
        if plan.problems:
            lines.append(f"【{plan.title}】{plan.path}")
            lines.extend(str(p) for p in sorted(plan.problems, key=lambda p: p.sort_key))
    if report.events and report.events.problems:
        lines.append(f"【文化活动】{report.events.responsible}")
        lines.extend(str(p) for p in sorted(report.events.problems, key=lambda p: p.sort_key))
    lines.append(summary_line(report))
    return lines


def summary_line(report: DisclosureReport) -> str:
    total = len(report.committees)
    complete = report.complete_count
    errors = len(report.errors)
    warnings = len(report.problems) - errors
    others = []
    tasks = sum(len(plan.problems) for plan in report.plans)
    if tasks:
        others.append(f"工作计划 {tasks} 项任务没有按时更新进展")
    if report.events and report.events.problems:
        others.append(f"{len(report.events.problems)} 个活动的变动没有说明原因")
    more = f"；{'、'.join(others)}" if others else ""
    return (
        f"公开情况（截至 {report.as_of}）：参加公开的 {total} 个居委会中 {complete} 个完整、"
        f"{total - complete} 个不完整{more}；{errors} 个错误、{warnings} 个警告。"
    )


def _committee_json(c: CommitteeStatus, url: str) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "url": url,
        "file": c.path,
        "status": Status.COMPLETE if c.complete else Status.INCOMPLETE,
        "categories": [
            {
                "category": cat.key,
                "title": cat.title,
                "status": cat.status,
                "verified": cat.verified.isoformat() if cat.verified else None,
                "age_days": cat.age_days,
                "max_age_days": cat.max_age_days,
                "responsible": cat.responsible,
                "problems": [_problem_json(p) for p in cat.problems],
            }
            for cat in c.categories
        ],
    }


# Each committee's part of the report, by its status (made once per record,
# read only: core.memo) and page: `serve` writes the report after every save.
_COMMITTEES: ByIdentity[dict] = ByIdentity(within_build=False)


def _problem_json(problem: Problem) -> dict:
    p = problem.position
    return {
        "code": problem.code,
        "severity": problem.severity.value,
        "message": problem.message,
        "file": p.path,
        "line": p.line,
        "column": p.column,
    }


def site_report(report: DisclosureReport, settings: dict) -> dict:
    """report.json as the site publishes it beside the 公开情况 page.

    Open data is read away from the site: its links are absolute, or relative
    to report.json itself when the site has no address.
    """
    link = links_from(settings, page_location(settings, "DISCLOSURE")[1])
    committees = [*report.committees, *report.not_taking_part]
    return to_json(
        report,
        {c.slug: link(page_location(settings, "COMMITTEE", slug=c.slug)[0]) for c in committees},
        {p.slug: link(page_location(settings, "PLAN", plan=p.slug)[0]) for p in report.plans},
    )


def to_json(
    report: DisclosureReport, urls: dict[str, str], plan_urls: dict[str, str] | None = None
) -> dict:
    """`urls` and `plan_urls`: each committee's and each plan's page, by slug."""
    plan_urls = plan_urls or {}
    errors = len(report.errors)
    return {
        "$schema": REPORT_SCHEMA_ID,
        "title": report.title,
        "as_of": report.as_of.isoformat(),
        "summary": {
            "committees": len(report.committees),
            "complete": report.complete_count,
            "incomplete": len(report.committees) - report.complete_count,
            "share_complete": round(report.share_complete, 4),
            "errors": errors,
            "warnings": len(report.problems) - errors,
        },
        "committees": [
            _COMMITTEES.get((c,), urls[c.slug], lambda c=c: _committee_json(c, urls[c.slug]))
            for c in report.committees
        ],
        "not_taking_part": [{"slug": c.slug, "name": c.name} for c in report.not_taking_part],
        "plans": [
            {
                "slug": plan.slug,
                "title": plan.title,
                "url": plan_urls.get(plan.slug),
                "file": plan.path,
                "status": plan.status,
                "max_update_age_days": plan.max_update_age_days,
                "responsible": plan.responsible,
                "problems": [_problem_json(p) for p in plan.problems],
            }
            for plan in report.plans
        ],
        "events": None
        if report.events is None
        else {
            "status": report.events.status,
            "responsible": report.events.responsible,
            "problems": [_problem_json(p) for p in report.events.problems],
        },
        "catalogue_problems": [_problem_json(p) for p in report.catalogue_problems],
    }


_PROBLEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "severity", "message", "file", "line", "column"],
    "properties": {
        "code": {"type": "string", "pattern": "^[A-Z][0-9]{3}$"},
        "severity": {"enum": [s.value for s in Severity]},
        "message": {"type": "string", "minLength": 1},
        "file": {"type": "string", "minLength": 1},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
    },
}
_COUNT = {"type": "integer", "minimum": 0}
_ISO_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

REPORT_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": REPORT_SCHEMA_ID,
    "title": "公开情况报告",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "title",
        "as_of",
        "summary",
        "committees",
        "not_taking_part",
        "plans",
        "events",
        "catalogue_problems",
    ],
    "properties": {
        "$schema": {"type": "string"},
        "title": {"type": "string"},
        "as_of": _ISO_DATE,
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "committees",
                "complete",
                "incomplete",
                "share_complete",
                "errors",
                "warnings",
            ],
            "properties": {
                "committees": _COUNT,
                "complete": _COUNT,
                "incomplete": _COUNT,
                "share_complete": {"type": "number", "minimum": 0, "maximum": 1},
                "errors": _COUNT,
                "warnings": _COUNT,
            },
        },
        "committees": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slug", "name", "url", "file", "status", "categories"],
                "properties": {
                    "slug": {"type": "string", "pattern": SLUG_PATTERN},
                    "name": {"type": "string"},
                    "url": {"type": "string"},
                    "file": {"type": "string"},
                    "status": {"enum": [Status.COMPLETE, Status.INCOMPLETE]},
                    "categories": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": [
                                "category",
                                "title",
                                "status",
                                "verified",
                                "age_days",
                                "max_age_days",
                                "responsible",
                                "problems",
                            ],
                            "properties": {
                                "category": {
                                    "enum": ["service_hours", "block_leaders", "emergency"]
                                },
                                "title": {"type": "string"},
                                "status": {"enum": [s.value for s in Status]},
                                "verified": {"anyOf": [_ISO_DATE, {"type": "null"}]},
                                "age_days": {"type": ["integer", "null"]},
                                "max_age_days": {"type": "integer", "minimum": 1},
                                "responsible": {"type": "string"},
                                "problems": {"type": "array", "items": _PROBLEM},
                            },
                        },
                    },
                },
            },
        },
        "not_taking_part": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slug", "name"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
            },
        },
        "plans": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "slug",
                    "title",
                    "url",
                    "file",
                    "status",
                    "max_update_age_days",
                    "responsible",
                    "problems",
                ],
                "properties": {
                    "slug": {"type": "string", "pattern": SLUG_PATTERN},
                    "title": {"type": "string"},
                    "url": {"type": ["string", "null"]},
                    "file": {"type": "string"},
                    "status": {"enum": [Status.COMPLETE, Status.STALE]},
                    "max_update_age_days": {"type": "integer", "minimum": 1},
                    "responsible": {"type": "string"},
                    "problems": {"type": "array", "items": _PROBLEM},
                },
            },
        },
        "events": {
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["status", "responsible", "problems"],
                    "properties": {
                        "status": {"enum": [Status.COMPLETE, Status.INCOMPLETE]},
                        "responsible": {"type": "string"},
                        "problems": {"type": "array", "items": _PROBLEM},
                    },
                },
            ]
        },
        "catalogue_problems": {"type": "array", "items": _PROBLEM},
    },
}
