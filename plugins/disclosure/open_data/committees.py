"""committees.json and its CSV files: each committee, its block leaders and its
emergency contacts, from the views the committee pages show.

Phones come only from the views (`PhoneView`): a masked number has no `tel`,
and a data file leaves it out altogether.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..committees.model import CATEGORIES, Committee
from ..committees.views import CommitteeView, slot_lines
from ..core.memo import ByIdentity
from ..values.phones import PhoneView
from .tables import Column, Table

PHONE_NOTE = (
    "本人同意公开的号码，以及单位电话、服务号码，照原样给出；"
    "未经本人同意公开的号码不出现在数据中：此处为空（null），phone_withheld 为 true。"
)
TEL_NOTE = "拨号用的数字（区号和号码连写，分机号在逗号后），号码未公开时为空"


def phone_fields(phone: PhoneView | None, prefix: str = "") -> dict:
    """The number as typed and its digits when published; nothing when masked."""
    published = phone is not None and phone.tel is not None
    return {
        f"{prefix}phone": phone.typed if published else None,
        f"{prefix}tel": phone.tel.removeprefix("tel:") if published else None,
        f"{prefix}phone_withheld": phone is not None and not published,
    }


def phone_columns(prefix: str = "", what: str = "电话") -> list[Column]:
    return [
        Column(f"{prefix}phone", what, nullable=True, note=PHONE_NOTE),
        Column(f"{prefix}tel", f"{what}（拨号数字）", nullable=True, note=TEL_NOTE),
        Column(
            f"{prefix}phone_withheld",
            f"{what}未经本人同意，不公开",
            "boolean",
            note="true：有号码，但本人没有同意公开，数据中不给出；需要联系时请拨打居委会电话",
        ),
    ]


_PARENT = [
    Column("committee_slug", "居委会编号（与 committees.csv 的 slug 对应）", nested=False),
    Column("committee_name", "居委会名称", nested=False),
]

COMMITTEE_COLUMNS = [
    Column("slug", "居委会编号（网址中的拼音）"),
    Column("name", "居委会名称"),
    Column("address", "地址"),
    Column("office_phone", "居委会办公电话", nullable=True, note=PHONE_NOTE),
    Column("office_tel", "办公电话（拨号数字）", nullable=True, note=TEL_NOTE),
    Column("verified", "信息核实日期（三类信息中最早的一个）", "date", nullable=True),
    *(
        Column(f"verified_{key}", f"{title}核实日期", "date", nullable=True)
        for key, title in CATEGORIES.items()
    ),
    Column(
        "service_hours",
        "全岗服务时间（每行一段，如“周一至周五 08:30–11:30、13:30–17:00”）",
        "list",
        note="没有公开服务时间时为空列表",
    ),
    Column("open_days", "开放日（未公开时为“未公开”）"),
    Column("closures", "即将暂停服务的日期及原因（已过去的不列出）", "list"),
    Column("buildings_count", "楼栋数", "integer"),
    Column("block_leaders_count", "块长人数", "integer"),
    Column("emergency_contacts_count", "紧急联络人数", "integer"),
    Column(
        "disclosure_status",
        "三类信息公开是否完整（complete 完整，incomplete 不完整；未参加公开试点为空）",
        nullable=True,
        enum=("complete", "incomplete"),
    ),
    Column("url", "居委会页面网址", "url"),
]

LEADER_COLUMNS = [
    *_PARENT,
    Column("name", "块长姓名"),
    Column("section", "片区", nullable=True),
    Column("buildings", "负责的楼栋", "list"),
    *phone_columns(what="块长电话"),
]

CONTACT_COLUMNS = [
    *_PARENT,
    Column("role", "职责（如“夜间及节假日值班手机”）"),
    Column("name", "联系人姓名", nullable=True),
    *phone_columns(what="紧急联络电话"),
    Column("hours", "接听时间（每行一段）", "list"),
    Column("what_to_do", "说明", "text", nullable=True),
]


def _plain(markup) -> str | None:
    """Rendered Markdown as one line of text: a cell holds no markup."""
    text = markup.striptags() if markup else ""
    return text or None


def committee_tables(
    pairs: list[tuple[Committee, CommitteeView]], link: Callable[[str], str]
) -> Table:
    rows, leaders, contacts = [], [], []
    leader_groups, contact_groups = [], []
    for committee, view in pairs:
        # kept by the records they are made from: see tables._CSV_LINES
        row, its_leaders, its_contacts = _ROWS.get(
            (committee, view), link(view.url), lambda c=committee, v=view: _rows(c, v, link)
        )
        rows.append(row)
        leaders += its_leaders
        contacts += its_contacts
        leader_groups.append(its_leaders)
        contact_groups.append(its_contacts)
    link_to_committee = {"committee_slug": "slug"}
    return Table(
        name="committees",
        key="committees",
        title="居委会",
        description="各居委会的地址、办公电话、全岗服务时间、信息核实日期，以及块长和紧急联络人的数目",
        columns=COMMITTEE_COLUMNS,
        rows=rows,
        children=[
            Table(
                name="committee_block_leaders",
                title="分片包块块长",
                description="每位块长的片区、负责的楼栋和（本人同意公开的）电话",
                columns=LEADER_COLUMNS,
                rows=leaders,
                key="block_leaders",
                link=link_to_committee,
                groups=leader_groups,
            ),
            Table(
                name="committee_emergency_contacts",
                title="紧急联络机制",
                description="各居委会的紧急联络人、电话和接听时间",
                columns=CONTACT_COLUMNS,
                rows=contacts,
                key="emergency_contacts",
                link=link_to_committee,
                groups=contact_groups,
            ),
        ],
    )


_ROWS: ByIdentity[tuple[dict, tuple[dict, ...], tuple[dict, ...]]] = ByIdentity(within_build=False)


def _rows(
    committee: Committee, view: CommitteeView, link: Callable[[str], str]
) -> tuple[dict, tuple[dict, ...], tuple[dict, ...]]:
    """A committee's row, and the rows of its block leaders and emergency contacts."""
    leaders, contacts = [], []
    parent = {"committee_slug": view.slug, "committee_name": view.name}
    office = phone_fields(view.office_phone, "office_")
    row = {
        "slug": view.slug,
        "name": view.name,
        "address": view.address,
        "office_phone": office["office_phone"],
        "office_tel": office["office_tel"],
        "verified": view.verified,
        **{f"verified_{key}": committee.verified_for(key)[0] for key in CATEGORIES},
        "service_hours": slot_lines(committee.service_hours.weekly)
        if committee.service_hours
        else [],
        "open_days": view.open_days,
        "closures": [f"{c.dates}：{c.reason}" for c in view.closures],
        "buildings_count": len(committee.buildings),
        "block_leaders_count": len(view.block_leaders),
        "emergency_contacts_count": len(view.emergency),
        "disclosure_status": None
        if view.disclosure is None
        else ("complete" if view.disclosure.complete else "incomplete"),
        "url": link(view.url),
    }
    for leader, record in zip(view.block_leaders, committee.block_leaders, strict=True):
        leaders.append(
            {
                **parent,
                "name": leader.name,
                "section": leader.section,
                "buildings": list(record.buildings),
                **phone_fields(leader.phone),
            }
        )
    for contact in view.emergency:
        contacts.append(
            {
                **parent,
                "role": contact.role,
                "name": contact.name,
                **phone_fields(contact.phone),
                "hours": contact.hours,
                "what_to_do": _plain(contact.what_to_do),
            }
        )
    return row, tuple(leaders), tuple(contacts)


def committees_modified(committees: list[Committee]) -> date | None:
    """The newest verification date any committee records."""
    days = [
        day for c in committees for key in CATEGORIES if (day := c.verified_for(key)[0]) is not None
    ]
    return max(days, default=None)
