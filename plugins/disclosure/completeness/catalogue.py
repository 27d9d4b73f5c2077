"""The disclosure catalogue (公开目录): who takes part, what must be disclosed,
how fresh, who is responsible, and how severe each rule is."""

from __future__ import annotations

from dataclasses import dataclass

from ..committees.model import CATEGORIES
from ..core.schema import Choice, Either, Field, Integer, ListOf, Located, Obj, Ref, SlugRef, Text

SEVERITIES = {
    "error": "错误：正式发布时不允许",
    "warning": "警告：提示但不阻止发布",
    "off": "不检查",
}


@dataclass(kw_only=True)
class CategoryRule(Located):
    max_age_days: int
    responsible: str
    min_weekly_hours: int | None
    grace_days: int  # days past max_age_days still published, marked 已过期


@dataclass(kw_only=True)
class CatalogueCategories(Located):
    service_hours: CategoryRule | None
    block_leaders: CategoryRule | None
    emergency: CategoryRule | None

    def required(self) -> dict[str, CategoryRule]:
        return {key: rule for key in CATEGORIES if (rule := getattr(self, key)) is not None}


@dataclass(kw_only=True)
class PlanRule(Located):
    """What the subdistrict must disclose about its work plan while it runs."""

    max_update_age_days: int
    responsible: str


@dataclass(kw_only=True)
class EventRule(Located):
    """Who answers for what residents are told about changed events."""

    responsible: str


@dataclass(kw_only=True)
class RuleLevels(Located):
    present: str
    fresh: str
    service_hours: str
    min_weekly_hours: str
    block_coverage: str
    emergency_coverage: str
    plan_progress: str
    event_changes: str


@dataclass(kw_only=True)
class Catalogue(Located):
    title: str
    committees: str | list[Ref]  # "all", or the slugs taking part
    categories: CatalogueCategories
    plans: PlanRule | None
    events: EventRule | None
    rules: RuleLevels | None  # None when the catalogue leaves every rule at its default

    def participants(self) -> frozenset[str] | None:
        """The slugs taking part, or None when every committee does."""
        if self.committees == "all":
            return None
        return frozenset(ref.slug for ref in self.committees)


def _category_rule(title: str) -> Obj:
    return Obj(
        CategoryRule,
        [
            Field(
                "max_age_days",
                Integer(minimum=1, maximum=3660),
                "最长未核实天数",
                required=True,
                help="核实日期距今超过这么多天即为过期",
            ),
            Field(
                "responsible", Text(max_length=40), "责任人", required=True, help="例如 居委会主任"
            ),
            Field(
                "min_weekly_hours",
                Integer(minimum=1, maximum=168),
                "每周最少服务小时数",
                help="只对全岗服务时间有意义",
            ),
            Field(
                "grace_days",
                Integer(minimum=0, maximum=366),
                "过期宽限天数",
                default=0,
                help="超过 max_age_days 后，这么多天内照常发布并标明“已过期”，"
                "超过后才阻止正式发布（fresh 规则为 error 时）",
            ),
        ],
        title=f"{title}的公开要求",
    )


PLAN_RULE = Obj(
    PlanRule,
    [
        Field(
            "max_update_age_days",
            Integer(minimum=1, maximum=366),
            "进展最长不更新天数",
            required=True,
            help="计划期内，每项未完成的任务最近一次进展距今不超过这么多天",
        ),
        Field(
            "responsible",
            Text(max_length=40),
            "责任人",
            required=True,
            help="例如 街道党政办公室",
        ),
    ],
    title="工作计划进展的公开要求",
)

EVENT_RULE = Obj(
    EventRule,
    [
        Field(
            "responsible",
            Text(max_length=40),
            "责任人",
            required=True,
            help="例如 社区文化活动中心",
        ),
    ],
    title="文化活动的公开要求",
)

_LEVEL = Choice(SEVERITIES)
RULE_LEVELS = Obj(
    RuleLevels,
    [
        Field("present", _LEVEL, "必须公开的类别不能缺失", default="error"),
        Field("fresh", _LEVEL, "核实日期不能过期", default="error"),
        Field("service_hours", _LEVEL, "服务时段不能重叠", default="error"),
        Field("min_weekly_hours", _LEVEL, "每周服务时间不少于要求", default="warning"),
        Field("block_coverage", _LEVEL, "块长覆盖全部楼栋", default="error"),
        Field("emergency_coverage", _LEVEL, "紧急联络覆盖每周 168 小时", default="error"),
        Field("plan_progress", _LEVEL, "未完成的计划任务按时更新进展", default="error"),
        Field("event_changes", _LEVEL, "取消或延期的活动写明原因", default="warning"),
    ],
    title="检查规则的级别",
)

CATALOGUE = Obj(
    Catalogue,
    [
        Field("title", Text(max_length=60), "公开目录名称", required=True),
        Field(
            "committees",
            Either(Choice({"all": "全部居委会"}), ListOf(SlugRef(), min_items=1, split=True)),
            "参加公开的居委会",
            required=True,
            help="all 表示全部；或列出居委会文件名，例如 [rihui-liucun, zhonghecun]",
        ),
        Field(
            "categories",
            Obj(
                CatalogueCategories,
                [Field(key, _category_rule(title), title) for key, title in CATEGORIES.items()],
                title="必须公开的类别",
            ),
            "必须公开的类别",
            required=True,
        ),
        Field("plans", PLAN_RULE, "工作计划进展", help="不写则不检查工作计划的进展"),
        Field("events", EVENT_RULE, "文化活动", help="不写则不检查活动的变动说明"),
        Field("rules", RULE_LEVELS, "检查规则的级别", help="每条规则可设为 error、warning 或 off"),
    ],
    title="公开目录",
)


SCHEMAS: dict[str, Obj] = {"catalogue": CATALOGUE}
