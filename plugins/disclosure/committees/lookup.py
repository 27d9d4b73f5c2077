"""From an address to its committee and block leader: the directory page and
the data the lookup box on the home page reads.

Both are built from the committees' `addresses` and their block leaders'
buildings, and from the committee views, so a masked number stays masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from itertools import groupby, pairwise

from ..core.memo import ByIdentity
from ..values.addresses import AddressSpec, Numbers
from ..values.chinese_order import chinese_key
from ..values.phones import PhoneView
from .model import Committee
from .views import CommitteeView, LeaderView


@dataclass(frozen=True)
class Stretch:
    """Numbers in one address that one block leader answers for (or none)."""

    numbers: str  # 1-7号; empty for the whole of the address
    leader: LeaderView | None
    without_leader: bool  # numbered buildings no leader covers


@dataclass(frozen=True)
class AddressEntry:
    place: str  # 80弄1-26号, 81-99号（单号）, 30、32弄
    committee: CommitteeView
    stretches: list[Stretch]


@dataclass(frozen=True)
class RoadView:
    road: str
    entries: list[AddressEntry]
    number: int = 0  # its place in the directory, from 1: its anchor on whichever page
    continued: bool = False  # the rest of a road too long for one page

    @property
    def anchor(self) -> str:
        return f"road-{self.number}"


def _numbered(committee: Committee, lane: int, numbers: Numbers) -> list[tuple[int, int | None]]:
    """(number, leader index or None) for each number of a lane."""
    return [(n, committee.leader_of.get(committee.building_at(lane, n))) for n in numbers]


def _runs(numbers: list[int]) -> str:
    """1, 2, 3, 5 → 1-3、5号 (consecutive within the address's own step)."""
    if not numbers:
        return ""
    parts, start, previous = [], numbers[0], numbers[0]
    step = 2 if len(numbers) > 1 and all(b - a == 2 for a, b in pairwise(numbers)) else 1
    for n in numbers[1:]:
        if n - previous != step:
            parts.append(f"{start}-{previous}" if start != previous else str(start))
            start = n
        previous = n
    parts.append(f"{start}-{previous}" if start != previous else str(start))
    return "、".join(parts) + "号"


def _stretches(committee: Committee, view: CommitteeView, spec: AddressSpec, lane: int):
    if spec.numbers is None:
        return [Stretch("", None, False)]
    numbered = _numbered(committee, lane, spec.numbers)
    out = []
    for index, group in groupby(numbered, key=lambda item: item[1]):
        numbers = [n for n, _ in group]
        leader = view.block_leaders[index] if index is not None else None
        out.append(Stretch(_runs(numbers), leader, index is None))
    return out


def address_directory(
    committees: list[Committee], views: dict[str, CommitteeView]
) -> list[RoadView]:
    """Every road of the subdistrict in Chinese order, each lane and number on
    it with its committee and the block leader of each stretch of numbers."""
    by_road: dict[str, list[tuple[tuple, AddressEntry]]] = {}
    for committee in committees:
        view = views[committee.slug]
        found = _ENTRIES.get((committee, view), (), partial(_entries, committee, view))
        for road, key, entry in found:
            by_road.setdefault(road, []).append((key, entry))
    return [
        RoadView(road, [entry for _, entry in sorted(entries, key=lambda item: item[0])], number)
        for number, (road, entries) in enumerate(
            sorted(by_road.items(), key=lambda item: chinese_key(item[0])), start=1
        )
    ]


# A committee's entries and lookup data, made again only for a committee whose
# record or view changed (core.memo): `serve` builds again after every save, and
# the same entries are the same objects, whose digests page_keys keeps.
_ENTRIES: ByIdentity[list] = ByIdentity(within_build=False)
_LOOKUP: ByIdentity[tuple] = ByIdentity(within_build=False)


def _entries(committee: Committee, view: CommitteeView) -> list[tuple[str, tuple, AddressEntry]]:
    """(road, its place on the road, entry) for each lane of each address."""
    found = []
    for address in committee.addresses:
        spec = address.spec
        lanes = list(spec.lanes) if spec.lanes is not None else [None]
        if spec.lanes is not None and spec.numbers is None:
            lanes = [None]  # a whole lane, or several, is one entry
        for lane in lanes:
            place = _place(spec, lane)
            if lane is None or spec.numbers is None:
                stretches = [Stretch("", None, False)]
            else:
                stretches = _stretches(committee, view, spec, lane)
            key = (lane if lane is not None else -1, _first(spec), place)
            found.append((spec.road, key, AddressEntry(place, view, stretches)))
    return found


def _first(spec: AddressSpec) -> int:
    return spec.numbers.first if spec.numbers is not None else 0


def _place(spec: AddressSpec, lane: int | None) -> str:
    """What follows the road name, for one lane of the address."""
    if lane is None or spec.numbers is None:
        return spec.place
    return f"{lane}弄{spec.numbers.spans}号{spec.numbers.parity_note}"


def _phone(phone: PhoneView | None) -> dict | None:
    """As the pages show it: grouped text, the tel: link (None when masked),
    and the words a screen reader says for it (find.js puts them in the name)."""
    return None if phone is None else {"text": phone.text, "tel": phone.tel, "spoken": phone.spoken}


def lookup_data(
    committees: list[Committee], views: dict[str, CommitteeView], urls: dict[str, str]
) -> dict:
    """What the lookup box reads (addresses/lookup.json): every address as
    runs of numbers, and for each committee what the answer shows. `urls`
    are relative to the file itself, as links in a data file are read."""
    addresses, answers = [], {}
    for committee in committees:
        view = views[committee.slug]
        url = urls[committee.slug]
        own, answer = _LOOKUP.get(
            (committee, view), (url,), partial(_lookup_of, committee, view, url)
        )
        addresses += own
        answers[committee.slug] = answer
    return {"addresses": addresses, "committees": answers}


def _lookup_of(committee: Committee, view: CommitteeView, url: str) -> tuple[list, dict]:
    """One committee's addresses and answer in the lookup data (never changed
    once made: they are kept for the next build)."""
    addresses, buildings = [], {}
    for address in committee.addresses:
        spec = address.spec
        addresses.append(
            {
                "road": spec.road,
                "lanes": _numbers(spec.lanes),
                "numbers": _numbers(spec.numbers),
                "committee": committee.slug,
            }
        )
        if spec.lanes is None or spec.numbers is None:
            continue
        for lane in spec.lanes:
            for number in spec.numbers:
                building = committee.building_at(lane, number)
                index = committee.leader_of.get(building)
                buildings[f"{lane}:{number}"] = [building, -1 if index is None else index]
    hours = committee.service_hours
    answer = {
        "name": view.name,
        "url": url,
        "address": view.address,
        "phone": _phone(view.office_phone),
        "hours": [
            [int(day), r.start.minutes, r.end.minutes]
            for slot in (hours.weekly if hours else [])
            for day in sorted(slot.days)
            for r in slot.hours
        ],
        "closures": [
            [c.start.isoformat(), c.last.isoformat()] for c in (hours.closures if hours else [])
        ],
        "leaders": [
            {
                "name": leader.name,
                "section": leader.section,
                "phone": _phone(leader.phone),
                "anchor": leader.anchor,
            }
            for leader in view.block_leaders
        ],
        "buildings": buildings,
    }
    return addresses, answer


def _numbers(numbers: Numbers | None) -> list | None:
    if numbers is None:
        return None
    return [[run.first, run.last, run.parity] for run in numbers.runs]
