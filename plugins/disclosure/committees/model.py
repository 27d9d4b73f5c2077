"""The committee and subdistrict records: each dataclass and its schema, side by side.

The dataclasses are what the rest of the code sees; the `Obj` declarations
say how each is read from YAML and are exported as JSON Schema for editors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..core import yaml_text as yt
from ..core.problems import Position
from ..core.schema import (
    INVALID,
    Bool,
    Context,
    Date,
    DaysList,
    Either,
    Field,
    ListOf,
    Located,
    Markdown,
    Obj,
    ScalarKind,
    Text,
    TimeRangeKind,
)
from ..core.schema import Phone as PhoneKind
from ..values.addresses import (
    ADDRESS_EXAMPLE,
    AddressError,
    AddressSpec,
    building_number,
    parse_address,
)
from ..values.buildings import expand, normalise
from ..values.phones import Phone, published
from ..values.timeslots import TimeRange, Weekday

# The three kinds of information section 七 of the plan asks each committee
# to disclose: record key -> the name residents know it by.
CATEGORIES: dict[str, str] = {
    "service_hours": "全岗服务时间",
    "block_leaders": "分片包块块长",
    "emergency": "紧急联络机制",
}


@dataclass(kw_only=True)
class Slot(Located):
    days: frozenset[Weekday]
    hours: list[TimeRange]


@dataclass(kw_only=True)
class Closure(Located):
    start: date
    end: date | None
    reason: str

    @property
    def last(self) -> date:
        return self.end or self.start


@dataclass(kw_only=True)
class ServiceHours(Located):
    weekly: list[Slot]
    notes: str | None
    closures: list[Closure]


@dataclass(kw_only=True)
class BlockLeader(Located):
    name: str
    section: str | None
    buildings: list[str]
    phone: Phone | None
    phone_consent: bool
    note: str | None

    @property
    def phone_published(self) -> bool:
        """A block leader's number is their own, a landline too."""
        return self.phone is not None and published(
            self.phone, consent=self.phone_consent, personal=True
        )


@dataclass(kw_only=True)
class EmergencyContact(Located):
    role: str
    name: str | None
    phone: Phone
    phone_consent: bool
    hours: list[Slot]
    what_to_do: str | None

    @property
    def phone_published(self) -> bool:
        """A named person's number, or any mobile, is personal: shown only with
        consent. A role's landline or service number belongs to an office."""
        return published(self.phone, consent=self.phone_consent, personal=self.name is not None)


@dataclass(kw_only=True)
class Address(Located):
    """One address a committee covers, as typed and as read."""

    text: str
    spec: AddressSpec


@dataclass(kw_only=True)
class VerifiedDates(Located):
    service_hours: date | None
    block_leaders: date | None
    emergency: date | None


@dataclass(kw_only=True)
class Committee(Located):
    slug: str
    name: str
    address: str
    office_phone: Phone
    office_phone_consent: bool
    verified: date | VerifiedDates
    buildings: list[str]
    shared_buildings: list[str]
    addresses: list[Address]
    description: str | None
    service_hours: ServiceHours | None
    block_leaders: list[BlockLeader]
    emergency: list[EmergencyContact]

    @property
    def office_phone_published(self) -> bool:
        return published(self.office_phone, consent=self.office_phone_consent)

    @cached_property
    def _numbered(self) -> dict[tuple[int | None, int], str]:
        return {building_number(b): b for b in expand(self.buildings)}

    def building_at(self, lane: int | None, number: int) -> str | None:
        """The building an address number is: 3号楼 (or 3幢, 3号) for 3号 in a
        lane, 80弄3号楼 when the committee names lanes."""
        return self._numbered.get((lane, number)) or self._numbered.get((None, number))

    @cached_property
    def leader_of(self) -> dict[str, int]:
        """Building -> the index of the (first) block leader who covers it."""
        found: dict[str, int] = {}
        for index, leader in enumerate(self.block_leaders):
            for building in expand(leader.buildings):
                found.setdefault(building, index)
        return found

    def verified_for(self, category: str) -> tuple[date | None, Position]:
        """When a category was last checked, and where that date is written."""
        if isinstance(self.verified, VerifiedDates):
            return getattr(self.verified, category), self.verified.where(category)
        return self.verified, self.where("verified")

    @property
    def last_verified(self) -> date | None:
        """The oldest of the category dates: what a reader may rely on."""
        dates = [self.verified_for(category)[0] for category in CATEGORIES]
        known = [d for d in dates if d is not None]
        return min(known) if known else None


@dataclass(kw_only=True)
class EmergencyNumber(Located):
    name: str
    phone: Phone
    phone_consent: bool
    note: str | None

    @property
    def phone_published(self) -> bool:
        return published(self.phone, consent=self.phone_consent)


@dataclass(kw_only=True)
class Subdistrict(Located):
    name: str
    address: str
    office_phone: Phone
    office_phone_consent: bool
    office_hours: list[Slot]
    emergency_numbers: list[EmergencyNumber]
    description: str | None
    verified: date

    @property
    def office_phone_published(self) -> bool:
        return published(self.office_phone, consent=self.office_phone_consent)


class BuildingName(Text):
    """A building as the site compares it: `２１ 号楼` is `21号楼`."""

    label = "楼栋"

    def __init__(self):
        super().__init__(max_length=40)

    def parse(self, node, ctx: Context):
        text = super().parse(node, ctx)
        return normalise(text) if isinstance(text, str) else text


BUILDINGS = ListOf(BuildingName(), split=True)


class AddressKind(ScalarKind):
    label = "地址（路名 + 弄号 + 门牌号）"

    def parse(self, node: yt.Scalar, ctx: Context):
        try:
            spec = parse_address(node.text)
        except AddressError as error:
            ctx.error(node.position_at(error.offset), "E130", str(error))
            return INVALID
        return Address(position=node.position, text=node.text.strip(), spec=spec)

    def json(self) -> dict:
        return {"type": "string", "pattern": r"^\D+\d", "examples": ADDRESS_EXAMPLE.split("、")}


def _addresses_have_buildings(committee: Committee, ctx: Context) -> None:
    """Every numbered address in a lane is one of the committee's buildings, so
    that it has a block leader (the block-coverage rule checks the buildings;
    with no building list at all, its D309 says so once)."""
    if not committee.buildings:
        return
    for index, address in enumerate(committee.addresses):
        spec = address.spec
        if spec.lanes is None or spec.numbers is None:
            continue
        missing = [
            f"{lane}弄{number}号"
            for lane in spec.lanes
            for number in spec.numbers
            if committee.building_at(lane, number) is None
        ]
        if missing:
            shown = "、".join(missing[:6]) + (f" 等 {len(missing)} 处" if len(missing) > 6 else "")
            with ctx.enter(f".addresses[{index}]"):
                ctx.error(
                    address.position,
                    "E131",
                    f"地址 {spec.road}{shown} 在楼栋列表 buildings 中没有对应的楼栋"
                    f"（如 {spec.numbers.first}号楼）：请把楼栋写进 buildings，或改正地址",
                )


def _closure_in_order(closure: Closure, ctx: Context) -> None:
    if closure.end is not None and closure.end < closure.start:
        ctx.error(
            closure.where("end"),
            "E116",
            f"结束日期 {closure.end} 早于开始日期 {closure.start}，请核对",
        )


def _dialable(attr: str, consent_key: str, what: str):
    """A number residents are told to call must not be masked: a mobile there
    is someone's own and needs their consent to be shown."""

    def check(record, ctx: Context) -> None:
        if not getattr(record, f"{attr}_published"):
            ctx.error_in(
                attr,
                record.where(attr),
                "E703",
                f"{what} {getattr(record, attr).masked()} 是手机号码，属于个人号码，"
                f"不能打码公开：请改写单位固话；如本人同意公开这个手机号，请加 {consent_key}: true",
            )

    return check


def _slot(title: str) -> Obj:
    return Obj(
        Slot,
        [
            Field("days", DaysList(), "星期", required=True, help="例如 周一至周五、周六、每天"),
            Field(
                "hours",
                ListOf(TimeRangeKind(), min_items=1, single=True, split=True),
                "时间段",
                required=True,
                help="HH:MM-HH:MM，可写多段，例如 [08:30-11:30, 13:30-17:00]",
            ),
        ],
        title=title,
    )


CLOSURE = Obj(
    Closure,
    [
        Field("from", Date(), "开始日期", required=True, attr="start"),
        Field("to", Date(), "结束日期", help="只停一天可不写", attr="end"),
        Field("reason", Text(max_length=60), "原因", required=True, help="例如 国庆节放假"),
    ],
    title="暂停服务",
    checks=[_closure_in_order],
)

SERVICE_HOURS = Obj(
    ServiceHours,
    [
        Field("weekly", ListOf(_slot("每周服务时段"), min_items=1), "每周服务时段", required=True),
        Field("notes", Markdown(), "说明", help="例如 午间有社工值守，可按门铃"),
        Field("closures", ListOf(CLOSURE), "暂停服务日期", default=[]),
    ],
    title="全岗服务时间",
)

_CONSENT_HELP = "本人是否同意公开此号码；不写或 false 时号码在网站上打码显示"

BLOCK_LEADER = Obj(
    BlockLeader,
    [
        Field("name", Text(max_length=20), "姓名", required=True),
        Field("section", Text(max_length=20), "所在片区", help="例如 第一片"),
        Field(
            "buildings",
            ListOf(BuildingName(), min_items=1, single=True, split=True),
            "负责楼栋",
            required=True,
            help="负责的楼栋或区块，例如 [1号楼, 2号楼]",
        ),
        Field("phone", PhoneKind(), "电话"),
        Field("phone_consent", Bool(), "同意公开电话", default=False, help=_CONSENT_HELP),
        Field("note", Text(max_length=80), "备注"),
    ],
    title="块长",
)

EMERGENCY_CONTACT = Obj(
    EmergencyContact,
    [
        Field("role", Text(max_length=30), "职责", required=True, help="例如 居委会夜间值班"),
        Field("name", Text(max_length=20), "姓名", help="写了姓名即视为个人号码，需本人同意才公开"),
        Field("phone", PhoneKind(), "电话", required=True),
        Field("phone_consent", Bool(), "同意公开电话", default=False, help=_CONSENT_HELP),
        Field("hours", ListOf(_slot("联络时段"), min_items=1), "联络时段", required=True),
        Field("what_to_do", Markdown(), "遇到情况怎么做"),
    ],
    title="紧急联络人",
)

VERIFIED_DATES = Obj(
    VerifiedDates,
    [Field(key, Date(), f"{title}核实日期") for key, title in CATEGORIES.items()],
    title="分类核实日期",
)

# The committee's and the subdistrict's office phone: residents are told to
# call it, so a mobile there needs its owner's consent and is never masked.
OFFICE_PHONE = [
    Field("office_phone", PhoneKind(), "办公电话", required=True),
    Field(
        "office_phone_consent",
        Bool(),
        "同意公开办公电话",
        default=False,
        help="办公电话是某人的手机时，本人同意公开才写 true；办公电话不能打码",
    ),
]
_OFFICE_PHONE_DIALABLE = _dialable("office_phone", "office_phone_consent", "办公电话")

COMMITTEE = Obj(
    Committee,
    [
        Field("name", Text(max_length=40), "居委会名称", required=True),
        Field("address", Text(max_length=80), "办公地址", required=True),
        *OFFICE_PHONE,
        Field(
            "verified",
            Either(Date(), VERIFIED_DATES),
            "信息核实日期",
            required=True,
            help="最近一次核实这些信息的日期；各类分别核实时写成 service_hours: 日期 等",
        ),
        Field(
            "buildings",
            BUILDINGS,
            "辖区楼栋",
            default=[],
            help="居民区内的全部楼栋或区块，可写范围，例如 1-26号楼",
        ),
        Field(
            "shared_buildings",
            BUILDINGS,
            "共同负责的楼栋",
            default=[],
            help="由两位或以上块长共同负责的楼栋",
        ),
        Field(
            "addresses",
            ListOf(AddressKind()),
            "服务范围（地址）",
            default=[],
            help=f"本居民区包括的地址，照信封上的写法，例如 {ADDRESS_EXAMPLE}",
        ),
        Field("description", Markdown(), "简介"),
        Field("service_hours", SERVICE_HOURS, "全岗服务时间"),
        Field("block_leaders", ListOf(BLOCK_LEADER), "分片包块块长", default=[]),
        Field("emergency", ListOf(EMERGENCY_CONTACT), "紧急联络机制", default=[]),
    ],
    title="居委会",
    checks=[_OFFICE_PHONE_DIALABLE, _addresses_have_buildings],
    supplied=("slug",),
)

EMERGENCY_NUMBER = Obj(
    EmergencyNumber,
    [
        Field("name", Text(max_length=30), "名称", required=True, help="例如 报警、火警"),
        Field("phone", PhoneKind(), "电话", required=True),
        Field(
            "phone_consent",
            Bool(),
            "同意公开电话",
            default=False,
            help="是某人的手机时，本人同意公开才写 true；紧急电话不能打码",
        ),
        Field("note", Text(max_length=80), "何时拨打"),
    ],
    title="紧急电话",
    checks=[_dialable("phone", "phone_consent", "紧急电话")],
)

SUBDISTRICT = Obj(
    Subdistrict,
    [
        Field("name", Text(max_length=40), "街道名称", required=True),
        Field("address", Text(max_length=80), "办公地址", required=True),
        *OFFICE_PHONE,
        Field("office_hours", ListOf(_slot("办公时间")), "办公时间", default=[]),
        Field(
            "emergency_numbers",
            ListOf(EMERGENCY_NUMBER, min_items=1),
            "紧急电话",
            required=True,
        ),
        Field("description", Markdown(), "简介"),
        Field("verified", Date(), "信息核实日期", required=True),
    ],
    title="街道",
    checks=[_OFFICE_PHONE_DIALABLE],
)

# record kind -> declaration; the key names the published schema file
SCHEMAS: dict[str, Obj] = {
    "subdistrict": SUBDISTRICT,
    "committee": COMMITTEE,
}
