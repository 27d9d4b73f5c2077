"""What templates see: plain view objects built from typed records.

Templates never receive a record, so a personal phone number that may not be
published cannot reach HTML or any file the build writes: the view holds
only its masked form. The publication rule is `values.phones.phone_view`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..core.memo import ByIdentity
from ..values.buildings import expand
from ..values.chinese_order import chinese_key
from ..values.dates import zh_date_weekday
from ..values.markup import render_markdown
from ..values.phones import PhoneView, phone_view
from ..values.timeslots import WEEKDAY_LABELS, TimeRange, Weekday, describe_days
from .model import (
    BlockLeader,
    Closure,
    Committee,
    EmergencyContact,
    EmergencyNumber,
    Slot,
    Subdistrict,
)

if TYPE_CHECKING:
    # views receive completeness results as data; the type is only named here
    from ..completeness.rules import CommitteeStatus


@dataclass(frozen=True)
class DayClosure:
    """A closure on the one date of the coming week that falls on a row's weekday."""

    day: date
    label: str  # 11月28日
    reason: str


@dataclass(frozen=True)
class DayRow:
    label: str
    ranges: list[str]
    weekend: bool
    weekday: int  # 0 = Monday, as in Python and in the page's script
    spans: tuple[TimeRange, ...] = ()  # the ranges as values, for structured data
    # Set when the office is closed on this weekday's date in the week from the
    # build's date: the table without script must not send anyone to a shut door.
    closure: DayClosure | None = None


WEEK_AHEAD = 7  # the build's date and the six days after it


def timetable(
    slots: list[Slot], closures: Sequence[Closure] = (), as_of: date | None = None
) -> list[DayRow]:
    """One row per weekday, the ranges of every slot that includes it, in order;
    a row whose date in the week from `as_of` is closed carries that closure."""
    by_day: dict[Weekday, list[TimeRange]] = {day: [] for day in Weekday}
    for slot in slots:
        for day in slot.days:
            by_day[day].extend(slot.hours)
    closed: dict[int, DayClosure] = {}
    for offset in range(WEEK_AHEAD if as_of else 0):
        day = as_of + timedelta(days=offset)
        covering = next((c for c in closures if c.start <= day <= c.last), None)
        if covering is not None:
            closed[day.weekday()] = DayClosure(day, f"{day.month}月{day.day}日", covering.reason)
    rows = []
    for day, ranges in by_day.items():
        spans = tuple(sorted(set(ranges), key=lambda r: (r.start, r.end)))
        # a day the office does not open anyway needs no closure
        closure = closed.get(int(day)) if spans else None
        rows.append(
            DayRow(day.label, [str(r) for r in spans], day >= Weekday.SAT, int(day), spans, closure)
        )
    return rows


def slot_lines(slots: list[Slot]) -> list[str]:
    """`周一至周五 08:30–17:00` lines for a list of slots."""
    return [f"{describe_days(s.days)} {'、'.join(str(r) for r in s.hours)}" for s in slots]


@dataclass(frozen=True)
class ClosureView:
    dates: str
    reason: str
    start: date | None = None  # the first and last day closed, as values
    last: date | None = None

    @property
    def data(self) -> dict[str, str]:
        """What the page's script needs to mark today closed: ISO dates, Shanghai days."""
        return {
            "from": self.start.isoformat() if self.start else "",
            "to": self.last.isoformat() if self.last else "",
            "reason": self.reason,
        }


def closure_view(closure: Closure) -> ClosureView:
    if closure.last == closure.start:
        dates = zh_date_weekday(closure.start)
    else:
        end = closure.last
        end_text = (
            f"{end.month}月{end.day}日（{WEEKDAY_LABELS[end.weekday()]}）"
            if end.year == closure.start.year
            else zh_date_weekday(end)
        )
        dates = f"{zh_date_weekday(closure.start)}至{end_text}"
    return ClosureView(dates, closure.reason, closure.start, closure.last)


@dataclass(frozen=True)
class LeaderView:
    name: str
    section: str | None
    buildings: str
    phone: PhoneView | None
    note: str | None
    anchor: str  # the id of the leader's card, which the address lookup links to


def leader_anchor(index: int) -> str:
    return f"leader-{index + 1}"


def leader_view(leader: BlockLeader, index: int) -> LeaderView:
    phone = phone_view(leader.phone, public=leader.phone_published) if leader.phone else None
    listed = "、".join(sorted(leader.buildings, key=chinese_key))
    return LeaderView(leader.name, leader.section, listed, phone, leader.note, leader_anchor(index))


def uncovered_buildings(committee: Committee) -> list[str]:
    """The committee's buildings that no block leader covers, in Chinese order."""
    uncovered = (b for b in expand(committee.buildings) if b not in committee.leader_of)
    return sorted(uncovered, key=chinese_key)


@dataclass(frozen=True)
class ContactView:
    role: str
    name: str | None
    phone: PhoneView
    hours: list[str]
    what_to_do: Markup


def contact_view(contact: EmergencyContact) -> ContactView:
    return ContactView(
        contact.role,
        contact.name,
        phone_view(contact.phone, public=contact.phone_published),
        slot_lines(contact.hours),
        render_markdown(contact.what_to_do),
    )


@dataclass(frozen=True)
class CommitteeView:
    slug: str
    url: str
    name: str
    address: str
    office_phone: PhoneView
    verified: date | None
    description: Markup
    timetable: list[DayRow] | None  # None when the committee has not disclosed its hours
    hours_notes: Markup
    closures: list[ClosureView]
    block_leaders: list[LeaderView]
    uncovered: list[str]  # buildings without a block leader, said so on the page
    addresses: list[str]  # the addresses it covers, as a resident reads them
    emergency: list[ContactView]
    open_days: str
    disclosure: CommitteeStatus | None = None  # None when it does not take part


# Made again only for a committee whose record or status changed (core.memo).
_VIEWS: ByIdentity[CommitteeView] = ByIdentity()


def committee_view(
    committee: Committee, *, as_of: date, url: str, disclosure: CommitteeStatus | None = None
) -> CommitteeView:
    return _VIEWS.get(
        (committee, disclosure), (as_of, url), lambda: _view(committee, as_of, url, disclosure)
    )


def _view(
    committee: Committee, as_of: date, url: str, disclosure: CommitteeStatus | None
) -> CommitteeView:
    hours = committee.service_hours
    weekly = hours.weekly if hours else []
    days = frozenset().union(*(slot.days for slot in weekly))
    closures = sorted(hours.closures, key=lambda c: c.start) if hours else []
    return CommitteeView(
        slug=committee.slug,
        url=url,
        name=committee.name,
        address=committee.address,
        office_phone=phone_view(committee.office_phone, public=committee.office_phone_published),
        verified=committee.last_verified,
        description=render_markdown(committee.description),
        timetable=timetable(weekly, closures, as_of) if hours else None,
        hours_notes=render_markdown(hours.notes if hours else None),
        # Past closures no longer help anyone; the as-of date is the build's.
        closures=[closure_view(c) for c in closures if c.last >= as_of],
        block_leaders=[leader_view(leader, i) for i, leader in enumerate(committee.block_leaders)],
        uncovered=uncovered_buildings(committee) if committee.block_leaders else [],
        addresses=[str(address.spec) for address in committee.addresses],
        emergency=[contact_view(contact) for contact in committee.emergency],
        open_days=describe_days(days) if days else "未公开",
        disclosure=disclosure,
    )


@dataclass(frozen=True)
class EmergencyNumberView:
    name: str
    phone: PhoneView
    note: str | None


@dataclass(frozen=True)
class SubdistrictView:
    name: str
    address: str
    office_phone: PhoneView
    office_hours: list[str]
    emergency_numbers: list[EmergencyNumberView]
    description: Markup
    verified: date


def subdistrict_view(subdistrict: Subdistrict) -> SubdistrictView:
    def number(entry: EmergencyNumber) -> EmergencyNumberView:
        return EmergencyNumberView(
            entry.name, phone_view(entry.phone, public=entry.phone_published), entry.note
        )

    return SubdistrictView(
        name=subdistrict.name,
        address=subdistrict.address,
        office_phone=phone_view(
            subdistrict.office_phone, public=subdistrict.office_phone_published
        ),
        office_hours=slot_lines(subdistrict.office_hours),
        emergency_numbers=[number(entry) for entry in subdistrict.emergency_numbers],
        description=render_markdown(subdistrict.description),
        verified=subdistrict.verified,
    )
