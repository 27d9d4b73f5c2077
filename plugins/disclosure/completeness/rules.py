"""Completeness: the catalogue's rules over all records, in one pass.

For each committee that takes part and each category the catalogue requires,
decide a status (complete, missing, stale, incomplete) and the problems behind
it. Which rules run, at what severity, and every threshold come from
catalogue.yaml; this module only knows what each rule means.
"""

from __future__ import annotations

import difflib
import functools
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from ..committees.model import CATEGORIES, Committee, Slot
from ..core.memo import ByIdentity
from ..core.problems import Position, Problem, Severity, quoted
from ..events.model import Event
from ..plans.model import Plan, TaskStatus
from ..plans.progress import plan_progress
from ..values import buildings
from ..values.timeslots import TimeRange, Weekday, describe_days
from .catalogue import RULE_LEVELS, Catalogue, CategoryRule, EventRule, PlanRule

if TYPE_CHECKING:
    # the loaded site is only named here: site.py reads the catalogue's schema
    from ..site import SiteData


class Status(StrEnum):
    """Where a category (or a plan, or the events) stands, with its words for residents."""

    COMPLETE = "complete"
    MISSING = "missing"
    STALE = "stale"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        return _STATUS_WORDS[self][0]

    @property
    def explained(self) -> str:
        return _STATUS_WORDS[self][1]


_STATUS_WORDS = {
    Status.COMPLETE: ("完整", "已按公开目录公开，并在规定天数内核实过。"),
    Status.MISSING: ("缺失", "应当公开的这类信息还没有公开。"),
    Status.STALE: (
        "已过期",
        "信息已公开，但超过规定天数没有核实，可能已经过时；"
        "过了宽限期仍未核实的，网站停止更新，直到核实为止。",
    ),
    Status.INCOMPLETE: (
        "不完整",
        "信息已公开，但有缺漏或错误，例如有楼栋没有块长、某些时间打不通紧急电话。",
    ),
}
DEFAULT_LEVELS = {f.attr: f.default for f in RULE_LEVELS.fields}
DAY = 1440


# Frozen, and made once per committee record (core.memo): a page given one is
# keyed by its digest, kept for the next build (page_keys), not by its pickle
@dataclass(frozen=True)
class CategoryStatus:
    key: str
    title: str
    status: Status
    verified: date | None
    age_days: int | None
    max_age_days: int
    responsible: str
    problems: list[Problem] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # the same, worded for residents

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class CommitteeStatus:
    slug: str
    name: str
    path: str
    categories: list[CategoryStatus]

    @functools.cached_property
    def complete(self) -> bool:  # (read again and again by the listings and counts)
        return all(c.status is Status.COMPLETE for c in self.categories)

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.categories for p in c.problems]

    @property
    def has_findings(self) -> bool:
        return any(c.findings for c in self.categories)


@dataclass
class TaskFinding:
    title: str
    task_id: str
    public: str  # worded for residents


@dataclass(kw_only=True)
class _RuleStatus:
    """What one rule found: complete, or `failed_as` once it found an error."""

    failed_as: ClassVar[Status]
    responsible: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> Status:
        failed = any(p.severity is Severity.ERROR for p in self.problems)
        return self.failed_as if failed else Status.COMPLETE

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(kw_only=True)
class PlanStatus(_RuleStatus):
    """A work plan whose period is running, and whether its progress is kept up."""

    failed_as = Status.STALE
    slug: str
    title: str
    path: str
    max_update_age_days: int
    findings: list[TaskFinding] = field(default_factory=list)


@dataclass
class EventFinding:
    title: str
    key: str  # <year>-<slug>
    public: str


@dataclass(kw_only=True)
class EventsStatus(_RuleStatus):
    """Whether residents are told why an event was called off or moved."""

    failed_as = Status.INCOMPLETE
    findings: list[EventFinding] = field(default_factory=list)


@dataclass
class DisclosureReport:
    title: str
    as_of: date
    committees: list[CommitteeStatus]
    not_taking_part: list[Committee]
    catalogue_problems: list[Problem]
    plans: list[PlanStatus] = field(default_factory=list)
    events: EventsStatus | None = None

    @property
    def problems(self) -> list[Problem]:
        return (
            self.catalogue_problems
            + [p for c in self.committees for p in c.problems]
            + [p for plan in self.plans for p in plan.problems]
            + (self.events.problems if self.events else [])
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def complete_count(self) -> int:
        return sum(1 for c in self.committees if c.complete)

    @property
    def share_complete(self) -> float:
        return self.complete_count / len(self.committees) if self.committees else 1.0

    def for_committee(self, slug: str) -> CommitteeStatus | None:
        return self._by_slug.get(slug)

    def __post_init__(self):
        self._by_slug = {c.slug: c for c in self.committees}


def evaluate(site: SiteData, as_of: date) -> DisclosureReport | None:
    catalogue = site.catalogue
    if catalogue is None:
        return None
    levels = _levels(catalogue)
    participants = catalogue.participants()
    statuses, outside = [], []
    for committee in site.committees:
        if participants is None or committee.slug in participants:
            statuses.append(_committee_status(committee, catalogue, levels, as_of))
        else:
            outside.append(committee)
    plans = []
    if catalogue.plans is not None and levels["plan_progress"] is not None:
        for plan in site.plans:
            if plan.period.start <= as_of <= plan.period.end:
                plans.append(_plan_status(plan, catalogue.plans, levels["plan_progress"], as_of))
    events = None
    if catalogue.events is not None and levels["event_changes"] is not None:
        events = _events_status(site.events, catalogue.events, levels["event_changes"])
    return DisclosureReport(
        catalogue.title,
        as_of,
        statuses,
        outside,
        _catalogue_problems(catalogue, site),
        plans,
        events,
    )


def _events_status(events: list[Event], rule: EventRule, severity: Severity) -> EventsStatus:
    """A cancelled or postponed event tells residents why (status_note)."""
    status = EventsStatus(responsible=rule.responsible)
    for event in events:
        if event.status == "scheduled" or event.status_note:
            continue
        word = event.state.word
        status.problems.append(
            Problem(
                event.where("status"),
                "D330",
                f"活动 {quoted(event.title)} {word}，但没有写明原因：请{rule.responsible}"
                "在 status_note 中写明，网站和日历会一并告诉居民",
                severity,
            )
        )
        status.findings.append(
            EventFinding(event.title, f"{event.year}-{event.slug}", f"{word}，没有写明原因")
        )
    return status


def _plan_status(plan: Plan, rule: PlanRule, severity: Severity, as_of: date) -> PlanStatus:
    """Every task not yet done has a progress update no older than the catalogue allows.

    Only updates dated up to `as_of` count, as on the plan's own pages; a task
    with none is counted from the start of the period.
    """
    status = PlanStatus(
        slug=plan.slug,
        title=plan.title,
        path=plan.position.path,
        responsible=rule.responsible,
        max_update_age_days=rule.max_update_age_days,
    )
    # the progress rules (which updates count, what is done) live in plans.progress
    for progress in plan_progress(plan, as_of).tasks:
        task, latest = progress.task, progress.latest
        if progress.stated == TaskStatus.DONE:
            continue
        since = latest.day if latest else plan.period.start
        age = (as_of - since).days
        if age <= rule.max_update_age_days:
            continue
        last = f"上次 {since}" if latest else f"计划期 {plan.period.start} 开始以来没有进展"
        status.problems.append(
            Problem(
                task.where("updates") if latest else task.position,
                "D320",
                f"任务 {quoted(task.title)} 已 {age} 天没有更新进展（{last}，"
                f"公开目录要求不超过 {rule.max_update_age_days} 天）："
                f"请{rule.responsible}在 updates 中补充进展",
                severity,
            )
        )
        status.findings.append(
            TaskFinding(
                task.title,
                task.id,
                f"已 {age} 天没有更新进展（应在 {rule.max_update_age_days} 天内更新）",
            )
        )
    return status


def _levels(catalogue: Catalogue) -> dict[str, Severity | None]:
    chosen = dict(DEFAULT_LEVELS)
    if catalogue.rules is not None:
        chosen.update({key: getattr(catalogue.rules, key) for key in DEFAULT_LEVELS})
    return {key: None if value == "off" else Severity(value) for key, value in chosen.items()}


def _catalogue_problems(catalogue: Catalogue, site: SiteData) -> list[Problem]:
    if catalogue.committees == "all":
        return []
    problems = []
    for ref in catalogue.committees:
        if ref.slug in site.committee_slugs:
            continue
        close = difflib.get_close_matches(ref.slug, sorted(site.committee_slugs), n=1)
        hint = f"；是否想写 {quoted(close[0])}？" if close else ""
        problems.append(
            Problem(
                ref.position,
                "D311",
                f"公开目录中的 {quoted(ref.slug)} 没有对应的居委会文件"
                f" committees/{ref.slug}.yaml{hint}",
            )
        )
    return problems


class _Collector:
    """Problems of one category, each at the severity its rule has."""

    def __init__(self, levels: dict[str, Severity | None]):
        self.levels = levels
        self.problems: list[Problem] = []
        self.findings: list[str] = []
        self.failed: set[str] = set()  # rules with an error-level problem
        self.overdue: set[str] = set()  # rules failed but still within their grace period

    def add(
        self,
        rule: str,
        position: Position,
        code: str,
        message: str,
        public: str,
        *,
        in_grace: bool = False,
    ) -> None:
        """`message` tells staff what to fix; `public` tells residents what is wrong.

        A problem `in_grace` fails its rule on the pages but does not block
        publishing yet: it is reported as a warning.
        """
        severity = self.levels[rule]
        if severity is None:
            return
        if in_grace and severity is Severity.ERROR:
            self.problems.append(Problem(position, code, message, Severity.WARNING))
            self.findings.append(public)
            self.overdue.add(rule)
            return
        self.problems.append(Problem(position, code, message, severity))
        self.findings.append(public if severity is Severity.ERROR else f"{public}（提示）")
        if severity is Severity.ERROR:
            self.failed.add(rule)

    def on(self, rule: str) -> bool:
        return self.levels[rule] is not None


# Each committee's status, made from its record, the catalogue (and the rule
# levels it sets) and the day alone: `serve` makes again only the edited one's.
_STATUSES: ByIdentity[CommitteeStatus] = ByIdentity()


def _committee_status(
    committee: Committee, catalogue: Catalogue, levels, as_of: date
) -> CommitteeStatus:
    return _STATUSES.get(
        (committee, catalogue), as_of, lambda: _status(committee, catalogue, levels, as_of)
    )


def _status(committee: Committee, catalogue: Catalogue, levels, as_of: date) -> CommitteeStatus:
    categories = []
    for key, rule in catalogue.categories.required().items():
        title = CATEGORIES[key]
        found = _Collector(levels)
        verified, verified_at = committee.verified_for(key)
        age = (as_of - verified).days if verified else None
        if _is_missing(committee, key):
            found.add(
                "present",
                committee.where(key),
                "D301",
                f"{committee.name}没有公开{title}：请在文件中填写 {key}（公开目录要求公开）",
                "尚未公开",
            )
        else:
            _check_fresh(found, committee, key, rule, verified, verified_at, as_of)
            CATEGORY_CHECKS[key](found, committee, rule)
        if "present" in found.failed:
            status = Status.MISSING
        elif "fresh" in found.failed or "fresh" in found.overdue:
            status = Status.STALE
        elif found.failed:
            status = Status.INCOMPLETE
        else:
            status = Status.COMPLETE
        categories.append(
            CategoryStatus(
                key,
                title,
                status,
                verified,
                age,
                rule.max_age_days,
                rule.responsible,
                sorted(found.problems, key=lambda p: p.sort_key),
                found.findings,
            )
        )
    return CommitteeStatus(committee.slug, committee.name, committee.position.path, categories)


def _is_missing(committee: Committee, key: str) -> bool:
    if key == "service_hours":
        return committee.service_hours is None or not committee.service_hours.weekly
    return not getattr(committee, key)


def _check_fresh(found, committee, key: str, rule: CategoryRule, verified, at, as_of) -> None:
    title = CATEGORIES[key]
    if verified is None:
        found.add(
            "fresh",
            at,
            "D302",
            f"{committee.name}的{title}没有填写核实日期：请在 verified 下写 {key}: 日期",
            "没有写明核实日期",
        )
        return
    age = (as_of - verified).days
    if age < 0:
        found.add(
            "fresh",
            at,
            "D303",
            f"{committee.name}的{title}核实日期 {verified} 晚于今天（{as_of}），请核对",
            "核实日期有误",
        )
    elif age > rule.max_age_days:
        last_day = verified + timedelta(days=rule.max_age_days + rule.grace_days)
        in_grace = as_of <= last_day
        grace = (
            f"；宽限期到 {last_day} 为止，之后将阻止网站发布"
            if in_grace
            else (f"；宽限期已于 {last_day} 结束" if rule.grace_days else "")
        )
        found.add(
            "fresh",
            at,
            "D302",
            f"{committee.name}的{title}已 {age} 天未核实（上次 {verified}，公开目录要求不超过 "
            f"{rule.max_age_days} 天）：请{rule.responsible}核实后更新 verified{grace}",
            f"已 {age} 天未核实（应在 {rule.max_age_days} 天内核实）",
            in_grace=in_grace,
        )


def _day_ranges(slots: list[Slot]) -> dict[Weekday, list[tuple[TimeRange, Slot]]]:
    by_day: dict[Weekday, list[tuple[TimeRange, Slot]]] = {day: [] for day in Weekday}
    for slot in slots:
        for day in slot.days:
            by_day[day].extend((r, slot) for r in slot.hours)
    for entries in by_day.values():
        entries.sort(key=lambda entry: (entry[0].start, entry[0].end))
    return by_day


def _merged_minutes(entries: list[tuple[TimeRange, Slot]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for r, _ in entries:
        start, end = r.start.minutes, r.end.minutes
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _check_service_hours(found: _Collector, committee: Committee, rule: CategoryRule) -> None:
    weekly = committee.service_hours.weekly
    by_day = _day_ranges(weekly)
    if found.on("service_hours"):
        # one problem per overlapping pair, naming every day it happens on
        overlaps: dict[tuple, set[Weekday]] = defaultdict(set)
        for day, entries in by_day.items():
            for (first, _), (second, second_slot) in itertools.pairwise(entries):
                if second.start < first.end:
                    key = (str(first), str(second), second_slot.where("hours"))
                    overlaps[key].add(day)
        for (first, second, position), days in overlaps.items():
            found.add(
                "service_hours",
                position,
                "D304",
                f"{committee.name}的服务时段重叠：{describe_days(frozenset(days))}"
                f" {first} 与 {second} 有重叠，请合并或改正",
                f"服务时段有重叠（{describe_days(frozenset(days))} {first} 与 {second}）",
            )
    if rule.min_weekly_hours and found.on("min_weekly_hours"):
        minutes = sum(end - start for e in by_day.values() for start, end in _merged_minutes(e))
        if minutes < rule.min_weekly_hours * 60:
            found.add(
                "min_weekly_hours",
                committee.service_hours.where("weekly"),
                "D305",
                f"{committee.name}每周服务时间共 {minutes / 60:g} 小时，"
                f"少于公开目录要求的 {rule.min_weekly_hours} 小时",
                f"每周服务 {minutes / 60:g} 小时，少于要求的 {rule.min_weekly_hours} 小时",
            )


def _few(items: list[str], limit: int = 12) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 处" if len(items) > limit else "")


def _check_block_leaders(found: _Collector, committee: Committee, rule: CategoryRule) -> None:
    if not found.on("block_coverage"):
        return
    area = buildings.expand(committee.buildings)
    if not area:
        found.add(
            "block_coverage",
            committee.where("buildings"),
            "D309",
            f"{committee.name}没有列出本居民区的楼栋 buildings，无法核对块长是否覆盖全部楼栋",
            "没有列出楼栋，无法核对每栋楼是否都有块长",
        )
        return
    known = set(area)
    shared = set(buildings.expand(committee.shared_buildings))
    leaders = committee.block_leaders
    owners: dict[str, list[int]] = defaultdict(list)  # building -> indexes into leaders
    for index, leader in enumerate(leaders):
        covered = buildings.expand(leader.buildings)
        unknown = [b for b in covered if b not in known]
        if unknown:
            found.add(
                "block_coverage",
                leader.where("buildings"),
                "D308",
                f"块长{leader.name}负责的 {_few(unknown)}"
                f" 不在{committee.name}的楼栋列表 buildings 中",
                f"块长名单中的 {_few(unknown)} 不属于本居民区",
            )
        for building in covered:
            owners[building].append(index)
    uncovered = [b for b in area if b not in owners]
    if uncovered:
        found.add(
            "block_coverage",
            committee.where("block_leaders"),
            "D306",
            f"{committee.name}有楼栋还没有块长：{_few(uncovered)}",
            f"这些楼栋还没有块长：{_few(uncovered)}",
        )
    twice: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for building in area:
        if len(owners.get(building, ())) > 1 and building not in shared:
            twice[tuple(owners[building])].append(building)
    for indexes, listed in twice.items():
        names = "、".join(leaders[i].name for i in indexes)
        found.add(
            "block_coverage",
            leaders[indexes[1]].where("buildings"),
            "D307",
            f"{_few(listed)} 同时由{names}负责；如确为共同负责，请把这些楼栋写进 shared_buildings",
            f"{_few(listed)} 的块长有重复",
        )


def _check_emergency(found: _Collector, committee: Committee, rule: CategoryRule) -> None:
    if not found.on("emergency_coverage"):
        return
    # A masked number cannot be dialled, so it covers no time for residents.
    callable_slots = [s for c in committee.emergency if c.phone_published for s in c.hours]
    gaps_by_day: dict[tuple, set[Weekday]] = defaultdict(set)
    for day, entries in _day_ranges(callable_slots).items():
        gaps, cursor = [], 0
        for start, end in _merged_minutes(entries):
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < DAY:
            gaps.append((cursor, DAY))
        if gaps:
            gaps_by_day[tuple(gaps)].add(day)
    if not gaps_by_day:
        return
    parts = []
    for gaps, days in sorted(gaps_by_day.items(), key=lambda item: min(item[1])):
        spans = "、".join(
            "全天" if g == (0, DAY) else f"{_clock(g[0])}–{_clock(g[1])}" for g in gaps
        )
        parts.append(f"{describe_days(frozenset(days))} {spans}")
    found.add(
        "emergency_coverage",
        committee.where("emergency"),
        "D310",
        f"{committee.name}的紧急联络没有覆盖全部时间，以下时段没有可拨打的电话：{'；'.join(parts)}",
        f"以下时段没有可拨打的紧急联络电话：{'；'.join(parts)}",
    )


CATEGORY_CHECKS: dict[str, Callable[[_Collector, Committee, CategoryRule], None]] = {
    "service_hours": _check_service_hours,
    "block_leaders": _check_block_leaders,
    "emergency": _check_emergency,
}
