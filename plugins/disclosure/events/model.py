"""Cultural events and their series: the record contract, declared once.

Like committees/model.py, the dataclasses are what the rest of the code sees and
the `Obj` declarations say how each is read from YAML (and are exported as
JSON Schema). Checks that need only one record live here; checks across
records (series, committees, folders) live in events/load.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from ..core import yaml_text as yt
from ..core.problems import quoted
from ..core.schema import (
    INVALID,
    Bool,
    Choice,
    Context,
    Date,
    DaysList,
    Either,
    Field,
    Integer,
    ListOf,
    Located,
    Markdown,
    Obj,
    ScalarKind,
    Text,
    Url,
)
from ..core.schema import Phone as PhoneKind
from ..core.slugs import SLUG
from ..values.phones import Phone, published
from ..values.timeslots import TimeOfDay, Weekday, describe_days
from .times import (
    MAX_OCCURRENCES,
    WHEN_EXAMPLE,
    Frequency,
    Moment,
    Rule,
    WhenError,
    day_of,
    first_matches,
    is_all_day,
    resolve_end,
)
from .times import parse_when as parse_when_text

# Categories of cultural life named in section 八 of the plan: what staff
# write -> the URL slug of its page.
EVENT_CATEGORIES: dict[str, str] = {
    "戏曲": "opera",
    "阅读": "reading",
    "节日民俗": "festival",
    "文艺演出": "performance",
    "讲座": "talk",
    "展览": "exhibition",
    "体育健身": "sport",
    "亲子": "family",
    "志愿服务": "volunteering",
    "培训课程": "class",
}

STATUSES = {
    "scheduled": "如期举行",
    "cancelled": "已取消",
    "postponed": "已延期",
}


class EventState(StrEnum):
    """How an event stands for a resident, and the words every output uses for it
    (pages, calendars, the feed): declared once, here."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    PENDING = "pending"  # postponed, the new time not yet known
    POSTPONED = "postponed"  # moved to a known new time

    @property
    def word(self) -> str:
        """已取消, 已延期 or 已改期; nothing when the event goes ahead."""
        return _STATE_WORDS.get(self, ("", "", ""))[0]

    @property
    def marked(self) -> str:
        """The word in 【】, put before a title where only text can say it."""
        return f"【{self.word}】" if self.word else ""

    @property
    def badge(self) -> str:
        """The word with its symbol, as listings show it: never colour alone."""
        word, badge, symbol = _STATE_WORDS.get(self, ("", "", ""))
        return f"{symbol} {badge}" if word else ""

    @property
    def style(self) -> str:
        """The CSS modifier: a pending event looks like a postponed one."""
        return "cancelled" if self is EventState.CANCELLED else "postponed"


_STATE_WORDS = {  # state -> (word, badge text, symbol)
    EventState.CANCELLED: ("已取消", "已取消", "✗"),
    EventState.PENDING: ("已延期", "已延期，时间待定", "!"),
    EventState.POSTPONED: ("已改期", "已改期", "!"),
}
# how staff say it in Chinese -> the value
STATUS_ALIASES = {
    "如期举行": "scheduled",
    "正常": "scheduled",
    "取消": "cancelled",
    "已取消": "cancelled",
    "延期": "postponed",
    "已延期": "postponed",
    "改期": "postponed",
}


class When(ScalarKind):
    """A date (all day) or a date and time in Shanghai; an end may be a time only."""

    def __init__(self, *, time_only: bool = False, end: bool = False):
        self.time_only, self.end = time_only, end
        self.label = "日期时间（YYYY-MM-DD HH:MM）" + ("或时间（HH:MM）" if time_only else "")

    def parse(self, node: yt.Scalar, ctx: Context) -> Any:
        try:
            return parse_when_text(node.text, time_only=self.time_only, end=self.end)
        except WhenError as error:
            ctx.error(node.position, error.code, str(error))
            return INVALID

    def json(self) -> dict:
        moment = r"\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?([ T]+\d{1,2}[:：]\d{2}([:：]00)?)?"
        if self.time_only:
            return {"type": "string", "pattern": rf"^\s*({moment}|\d{{1,2}}[:：]\d{{2}})\s*$"}
        return {"type": "string", "pattern": rf"^\s*{moment}\s*$"}


@dataclass(kw_only=True)
class SkippedDate(Located):
    day: date
    reason: str | None


@dataclass(kw_only=True)
class Repeat(Located):
    every: str
    days: frozenset[Weekday] | None
    until: date | None
    count: int | None
    exceptions: list[SkippedDate]

    @property
    def rule(self) -> Rule:
        return Rule(Frequency(self.every), self.days, self.until, self.count)


@dataclass(kw_only=True)
class Registration(Located):
    required: bool
    how: str | None
    phone: Phone | None
    phone_consent: bool
    url: str | None
    until: Moment | None

    @property
    def phone_published(self) -> bool:
        """A mobile is someone's own phone: shown only with consent, as for contacts."""
        return self.phone is not None and published(self.phone, consent=self.phone_consent)


@dataclass(kw_only=True)
class Occurrence:
    """One time the event takes place, in Shanghai local time."""

    start: Moment
    end: Moment

    @property
    def all_day(self) -> bool:
        return is_all_day(self.start)


@dataclass(kw_only=True)
class Event(Located):
    slug: str
    year: int  # the folder it is filed under
    title: str
    series: str | None
    category: str
    start: Moment
    end: Moment | TimeOfDay
    repeat: Repeat | None
    venue: str
    address: str
    committee: str | None
    organiser: str
    summary: str
    description: str | None
    registration: Registration | None
    fee: str
    capacity: int | None
    accessibility: str | None
    status: str
    status_note: str | None
    new_start: Moment | None
    new_end: Moment | TimeOfDay | None
    announced: date
    updated: date | None

    @property
    def key(self) -> str:
        """Unique across the site and stable between builds: the folder and file."""
        return f"{self.year}/{self.slug}"

    @property
    def first(self) -> Occurrence:
        """When the event was first set to happen (before any postponement)."""
        return Occurrence(start=self.start, end=resolve_end(self.start, self.end))

    @property
    def state(self) -> EventState:
        """How the event stands for residents; a postponement with no new time is pending."""
        if self.status == "postponed" and self.new_start is None:
            return EventState.PENDING
        return EventState(self.status)

    @property
    def moved_to(self) -> Occurrence | None:
        """The new time of a postponed event, when one is known."""
        if self.new_start is None:
            return None
        if self.new_end is None:
            first = self.first
            return Occurrence(start=self.new_start, end=self.new_start + (first.end - first.start))
        return Occurrence(start=self.new_start, end=resolve_end(self.new_start, self.new_end))

    @property
    def skipped(self) -> dict[date, SkippedDate]:
        return {s.day: s for s in self.repeat.exceptions} if self.repeat else {}

    @cached_property
    def _rule_starts(self) -> tuple[Moment, ...]:
        # Expanded once per record: validation, pages and calendars all ask.
        if self.repeat is None:
            return (self.start,)
        return tuple(self.repeat.rule.starts(self.start))

    def rule_starts(self) -> list[Moment]:
        """Every start the recurrence rule gives, before exception dates."""
        return list(self._rule_starts)

    def sessions(self) -> list[tuple[Occurrence, SkippedDate | None]]:
        """Every time the rule gives, with the exception that skips it, if any."""
        length = self.first.end - self.first.start
        skipped = self.skipped
        return [
            (Occurrence(start=start, end=start + length), skipped.get(day_of(start)))
            for start in self._rule_starts
        ]

    def occurrences(self) -> list[Occurrence]:
        """Every time it takes place (a postponed one at its new time, if known)."""
        if self.moved_to is not None:
            return [self.moved_to]
        return [occurrence for occurrence, skip in self.sessions() if skip is None]


@dataclass(kw_only=True)
class Series(Located):
    slug: str
    name: str
    description: str | None
    organiser: str | None


@dataclass(kw_only=True)
class SeriesCatalogue(Located):
    series: list[Series]


# ---- checks on one record ---------------------------------------------------

# words that announce a status; the status field says it, so the title must not
_STATUS_WORDS = ("取消", "延期", "改期", "推迟", "暂停")


def _show(moment: Moment) -> str:
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def _ends_after(start: Moment, end: Moment) -> bool:
    """A timed event must last; an all-day one may end on the day it starts."""
    return end >= start if is_all_day(start) else end > start


def _times_valid(event: Event) -> bool:
    """Whether start and end agree; checks that compute occurrences need it."""
    first = event.first
    return is_all_day(event.start) == is_all_day(first.end) and _ends_after(event.start, first.end)


def _repeat_shape(repeat: Repeat, ctx: Context) -> None:
    if (repeat.until is None) == (repeat.count is None):
        ctx.error(
            repeat.position,
            "E418",
            "重复举办的活动要写 until（到哪天为止）或 count（一共几次），两者写一个",
        )
    if repeat.days and repeat.every in (Frequency.DAILY, Frequency.MONTHLY):
        ctx.error_in(
            "days",
            repeat.where("days"),
            "E415",
            f"“{repeat.every}”的活动不用写 days；按星期重复请把 every 写成 每周 或 每两周",
        )


def _times_in_order(event: Event, ctx: Context) -> None:
    first = event.first
    if is_all_day(event.start) != is_all_day(first.end):
        ctx.error_in(
            "end",
            event.where("end"),
            "E403",
            "开始和结束要么都写时间，要么都只写日期（全天活动）："
            f"开始为 {_show(event.start)}，结束为 {_show(first.end)}",
        )
        return
    if not _ends_after(event.start, first.end):
        ctx.error_in(
            "end",
            event.where("end"),
            "E402",
            f"结束时间 {_show(first.end)} 应晚于开始时间 {_show(event.start)}；"
            "跨过午夜的活动请把结束写成完整的日期和时间",
        )


def _postponement(event: Event, ctx: Context) -> None:
    if event.status != "postponed":
        for key in ("new_start", "new_end"):
            if getattr(event, key) is not None:
                ctx.error_in(
                    key,
                    event.where(key),
                    "E406",
                    f"只有延期的活动才写 {key}：请把 status 改为 postponed，或删除 {key}",
                )
        return
    if event.repeat is not None:
        ctx.error_in(
            "status",
            event.where("status"),
            "E412",
            "重复举办的活动不能整体延期：某一次不办请写进 repeat 的 except，"
            "全部改期请改 start 和 repeat",
        )
    if not _times_valid(event):
        return
    if event.new_end is not None and event.new_start is None:
        ctx.error_in(
            "new_end",
            event.where("new_end"),
            "E406",
            "写了 new_end 就要写 new_start（改期后的开始时间）",
        )
        return
    moved = event.moved_to
    if moved is None:
        return
    if is_all_day(moved.start) != is_all_day(moved.end) or not _ends_after(moved.start, moved.end):
        ctx.error_in(
            "new_end",
            event.where("new_end"),
            "E402",
            f"改期后的结束时间 {_show(moved.end)} 应晚于开始时间 {_show(moved.start)}",
        )
    if moved.start == event.start:
        ctx.error_in(
            "new_start",
            event.where("new_start"),
            "E407",
            f"改期后的开始时间 {_show(moved.start)} 与原定时间相同；"
            "没有改期请把 status 写成 scheduled",
        )


def _recurrence(event: Event, ctx: Context) -> None:
    repeat = event.repeat
    if repeat is None or (repeat.until is None) == (repeat.count is None):
        return
    if not _times_valid(event):
        return
    rule = repeat.rule
    if not first_matches(rule, event.start):
        weekday = describe_days(frozenset({Weekday(day_of(event.start).weekday())}))
        ctx.error_in(
            "start",
            event.where("start"),
            "E417",
            f"start 应为第一次活动的时间：{_show(event.start)} 是{weekday}，"
            f"不在重复的星期（{describe_days(rule.days)}）中",
        )
        return
    starts = event.rule_starts()
    if len(starts) > MAX_OCCURRENCES:
        ctx.error_in(
            "repeat",
            repeat.position,
            "E416",
            f"重复次数太多（超过 {MAX_OCCURRENCES} 次），请检查 until 或 count 是否写错",
        )
        return
    days = {day_of(start) for start in starts}
    for index, skipped in enumerate(repeat.exceptions):
        if starts and skipped.day not in days:
            ctx.error_in(
                f"repeat.except[{index}]",
                skipped.position,
                "E405",
                f"例外日期 {skipped.day.isoformat()} 不是本活动按规则举办的日子，请核对",
            )
    if not event.occurrences():
        ctx.error_in(
            "repeat",
            repeat.position,
            "E404",
            _no_occurrence_message(event, starts),
        )


def _no_occurrence_message(event: Event, starts: list[Moment]) -> str:
    repeat = event.repeat
    if not starts:
        return (
            f"重复规则没有产生任何一次活动：结束日期 {repeat.until} 早于第一次活动 "
            f"{_show(event.start)}"
        )
    return "重复规则产生的每一次活动都被 except 去掉了，没有剩下任何一次活动"


def _registration_before_start(event: Event, ctx: Context) -> None:
    registration = event.registration
    if registration is None or registration.until is None or not _times_valid(event):
        return
    if event.moved_to is not None and not _ends_after(event.moved_to.start, event.moved_to.end):
        return
    # a recurring event may take registrations until its last session
    occurrences = event.occurrences()
    if not occurrences:
        return
    start = occurrences[-1].start
    deadline = registration.until
    too_late = (
        day_of(deadline) > day_of(start)
        if is_all_day(deadline) or is_all_day(start)
        else deadline > start
    )
    if too_late:
        which = "最后一场活动开始" if len(occurrences) > 1 else "活动开始"
        ctx.error_in(
            "registration.until",
            registration.where("until"),
            "E408",
            f"报名截止 {_show(deadline)} 晚于{which} {_show(start)}，请核对",
        )


def _registration_has_a_way(registration: Registration, ctx: Context) -> None:
    if registration.required and not (registration.how or registration.phone or registration.url):
        ctx.error(
            registration.position,
            "E414",
            "需要报名时，请写明怎么报名：how（方式）、phone（电话）或 url（网址）至少写一项",
        )


def _status_in_its_field(event: Event, ctx: Context) -> None:
    for word in _STATUS_WORDS:
        if word in event.title:
            ctx.error_in(
                "title",
                event.where("title"),
                "E419",
                f"标题里不要写“{word}”：活动状态请写在 status 字段"
                "（cancelled 已取消、postponed 已延期，原因写在 status_note），网站会自动标明",
            )
            return


# ---- declarations -------------------------------------------------------------

SKIPPED_DATE = Obj(
    SkippedDate,
    [
        Field("date", Date(), "日期", required=True, attr="day"),
        Field("reason", Text(max_length=40), "原因", help="例如 国庆放假"),
    ],
    title="不举办的日期",
)


class SkippedDateKind(Either):
    """`- 2020-10-03` or `- {date: 2020-10-03, reason: 国庆放假}`."""

    def __init__(self):
        super().__init__(Date(), SKIPPED_DATE)

    def read(self, node: yt.Node, ctx: Context) -> Any:
        value = super().read(node, ctx)
        if isinstance(value, date):
            return SkippedDate(position=node.position, day=value, reason=None)
        return value


REPEAT = Obj(
    Repeat,
    [
        Field(
            "every",
            Choice({f.value: f.value for f in Frequency}),
            "重复频率",
            required=True,
            help="每天、每周、每两周 或 每月（每月按第一次活动的日期）",
        ),
        Field("days", DaysList(), "星期", help="每周或每两周的哪几天；不写就是第一次活动的那一天"),
        Field("until", Date(), "到哪天为止", help="最后一次活动的日期（含）；与 count 二选一"),
        Field(
            "count", Integer(minimum=1, maximum=MAX_OCCURRENCES), "一共几次", help="与 until 二选一"
        ),
        Field(
            "except",
            ListOf(SkippedDateKind(), single=True, split=True),
            "不举办的日期",
            default=[],
            attr="exceptions",
            help="按规则本该举办、但这天不办的日期，可写原因",
        ),
    ],
    title="重复举办",
    checks=[_repeat_shape],
)

_NO_REGISTRATION = frozenset({"false", "no", "否", "无需报名", "不需要", "不用报名", "无"})


class RegistrationKind(Either):
    """`registration: 无需报名` (or false) for none; otherwise how to register."""

    def __init__(self, declaration: Obj):
        super().__init__(Text(), declaration)
        self.label = "无需报名，或报名方式（“字段: 值”的映射）"

    def read(self, node: yt.Node, ctx: Context) -> Any:
        if not isinstance(node, yt.Scalar):
            return self.other.read(node, ctx)
        if node.text.strip().lower() in _NO_REGISTRATION:
            return None
        ctx.error(
            node.position,
            "E414",
            "需要报名时，请在 registration 下写明 required: true 和怎么报名（how、phone 或 url）；"
            f"不需要报名请写 无需报名，实际为 {quoted(node.text)}",
        )
        return INVALID

    def json(self) -> dict:
        return {"anyOf": [{"enum": [False, *sorted(_NO_REGISTRATION)]}, self.other.json()]}


REGISTRATION = Obj(
    Registration,
    [
        Field("required", Bool(), "是否需要报名", required=True),
        Field("how", Text(max_length=120), "报名方式", help="例如 到居委会一楼登记"),
        Field("phone", PhoneKind(), "报名电话"),
        Field(
            "phone_consent",
            Bool(),
            "同意公开电话",
            default=False,
            help="报名电话是个人手机时，本人同意公开才写 true；否则网站打码显示",
        ),
        Field("url", Url(), "报名网址"),
        Field("until", When(end=True), "报名截止", help=f"例如 {WHEN_EXAMPLE}"),
    ],
    title="报名",
    checks=[_registration_has_a_way],
)

EVENT = Obj(
    Event,
    [
        Field("title", Text(max_length=60), "活动名称", required=True),
        Field(
            "series",
            Text(max_length=30),
            "活动系列",
            help="例如 日晖有戏；系列在 event_series.yaml 中定义",
        ),
        Field(
            "category",
            Choice({name: name for name in EVENT_CATEGORIES}),
            "活动类别",
            required=True,
        ),
        Field("start", When(), "开始时间", required=True, help=f"例如 {WHEN_EXAMPLE}"),
        Field(
            "end",
            When(time_only=True),
            "结束时间",
            required=True,
            help="例如 2020-10-10 16:30；与开始同一天可只写 16:30",
        ),
        Field(
            "repeat",
            REPEAT,
            "重复举办",
            help="每周六下午一场这样的活动写一个文件，用 repeat 说明规律",
        ),
        Field(
            "venue", Text(max_length=40), "活动地点", required=True, help="例如 日晖戏曲传承基地"
        ),
        Field("address", Text(max_length=80), "地址", required=True),
        Field(
            "committee",
            Text(max_length=40),
            "所在居民区",
            help="地点所在居委会的文件名，例如 rihui-liucun",
        ),
        Field("organiser", Text(max_length=60), "主办单位", required=True),
        Field("summary", Text(max_length=120), "一句话介绍", required=True),
        Field("description", Markdown(), "详细介绍"),
        Field(
            "registration",
            RegistrationKind(REGISTRATION),
            "报名",
            help="不写或写 无需报名 表示到场即可",
        ),
        Field("fee", Text(max_length=40), "费用", required=True, help="例如 免费、每人 20 元"),
        Field("capacity", Integer(minimum=1, maximum=100000), "名额"),
        Field(
            "accessibility", Text(max_length=200), "无障碍信息", help="例如 有坡道和无障碍卫生间"
        ),
        Field(
            "status",
            Choice(STATUSES, aliases=STATUS_ALIASES),
            "活动状态",
            default="scheduled",
            help="scheduled 如期举行、cancelled 已取消、postponed 已延期（也可写中文）",
        ),
        Field("status_note", Text(max_length=120), "状态说明", help="取消或延期的原因"),
        Field("new_start", When(), "改期后的开始时间", help="延期且新时间已定时填写"),
        Field("new_end", When(time_only=True), "改期后的结束时间"),
        Field("announced", Date(), "发布日期", required=True, help="第一次在网站上公布的日期"),
        Field("updated", Date(), "更新日期", help="最近一次修改活动信息（如取消、改期）的日期"),
    ],
    title="文化活动",
    synonyms={
        "date": "start",
        "time": "start",
        "日期": "start",
        "时间": "start",
        "location": "venue",
        "place": "venue",
        "地点": "venue",
        "price": "fee",
        "cost": "fee",
        "reason": "status_note",
        "原因": "status_note",
        "简介": "summary",
    },
    checks=[
        _times_in_order,
        _postponement,
        _recurrence,
        _registration_before_start,
        _status_in_its_field,
    ],
    supplied=("slug", "year"),
)


def _unique_series(catalogue: SeriesCatalogue, ctx: Context) -> None:
    seen: dict[str, Series] = {}
    for index, series in enumerate(catalogue.series):
        field = f"series[{index}]"
        if not SLUG.match(series.slug):
            ctx.error_in(
                f"{field}.slug",
                series.where("slug"),
                "E115",
                "slug 会成为网址，只能用小写字母、数字和连字符（例如 rihui-youxi），"
                f"实际为 {quoted(series.slug)}",
            )
        for key in (series.slug, series.name):
            if key in seen:
                ctx.error_in(
                    field,
                    series.position,
                    "E413",
                    f"系列 {quoted(key)} 重复：第 {seen[key].position.line} 行已经定义过",
                )
            seen[key] = series


SERIES = Obj(
    Series,
    [
        Field("slug", Text(max_length=40), "网址名", required=True, help="例如 rihui-youxi"),
        Field("name", Text(max_length=30), "系列名称", required=True, help="例如 日晖有戏"),
        Field("description", Markdown(), "介绍"),
        Field("organiser", Text(max_length=60), "主办单位"),
    ],
    title="活动系列",
)

SERIES_CATALOGUE = Obj(
    SeriesCatalogue,
    [Field("series", ListOf(SERIES, min_items=1), "活动系列", required=True)],
    title="活动系列",
    checks=[_unique_series],
)

SCHEMAS: dict[str, Obj] = {"event": EVENT, "event-series": SERIES_CATALOGUE}
