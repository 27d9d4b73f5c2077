"""Street addresses as Shanghai writes them: road, 弄 and 号.

A committee covers, for example, 零陵路80弄1-26号 (buildings 1 to 26 in lane
80 of 零陵路), 零陵路80弄 (the whole lane), 瑞宁路81-99号（单号） (the odd
numbers 81 to 99 on the road itself) or 日晖东路30、32弄. Staff type them the
way they would write them on an envelope; residents type them the same way
into the lookup box, which reads them with the same rules (find.js).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .pickling import quick_pickling

MAX_NUMBER = 9999  # no lane or house number in the city comes near it

_DASHES = re.compile(r"[‐‑‒–—―－~～至到]")
_LIST = re.compile(r"[、，,；;]")
_PARITY = re.compile(r"[（(]?([单双])号?[)）]?")
_ITEM = re.compile(r"([单双])?(\d+)(?:-(\d+))?")
_ROAD = re.compile(r"^\D+?(?=(?:[单双]号?)?\d)")

ADDRESS_EXAMPLE = "零陵路80弄1-26号、零陵路80弄、瑞宁路81-99号（单号）"


class AddressError(ValueError):
    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.offset = offset


@quick_pickling
@dataclass(frozen=True, slots=True)
class Run:
    first: int
    last: int
    parity: str = ""  # "", "单" (odd) or "双" (even)

    def __contains__(self, number: int) -> bool:
        if not self.first <= number <= self.last:
            return False
        return not self.parity or (number % 2 == 1) == (self.parity == "单")

    def __str__(self) -> str:
        span = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return span


@quick_pickling
@dataclass(frozen=True, slots=True)
class Numbers:
    runs: tuple[Run, ...]

    def __contains__(self, number: int) -> bool:
        return any(number in run for run in self.runs)

    def __iter__(self):
        seen = set()
        for run in self.runs:
            for number in range(run.first, run.last + 1):
                if number in run and number not in seen:
                    seen.add(number)
                    yield number

    @property
    def first(self) -> int:
        return min(run.first for run in self.runs)

    @property
    def spans(self) -> str:
        """1-26、30, as the address writes the runs."""
        return "、".join(str(run) for run in self.runs)

    @property
    def parity_note(self) -> str:
        """（单号） or （双号） when every run is odd or even, else nothing."""
        parities = {run.parity for run in self.runs}
        return f"（{parities.pop()}号）" if len(parities) == 1 and "" not in parities else ""


@quick_pickling
@dataclass(frozen=True, slots=True)
class AddressSpec:
    road: str
    lanes: Numbers | None  # 弄; None: numbers on the road itself
    numbers: Numbers | None  # 号; None: the whole lane

    @property
    def place(self) -> str:
        """What follows the road: 80弄1-26号, 81-99号（单号）, 30、32弄."""
        text = f"{self.lanes.spans}弄" if self.lanes is not None else ""
        if self.numbers is not None:
            return f"{text}{self.numbers.spans}号{self.numbers.parity_note}"
        return text + (self.lanes.parity_note if self.lanes is not None else "")

    def __str__(self) -> str:
        return self.road + self.place


def normalise(text: str) -> str:
    """As the lookup compares: full-width forms narrowed, spaces gone, one dash,
    one list mark, 号楼 read as 号."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = _DASHES.sub("-", text)
    text = _LIST.sub("、", text)
    return text.replace("号楼", "号").replace("弄堂", "弄")


def parse_address(typed: str) -> AddressSpec:
    """The address `typed` covers; AddressError (with where) when it cannot be read."""
    text = normalise(typed)
    if not re.search(r"\d", text):
        raise AddressError(f"只写了路名，请写上弄号或门牌号，例如 {ADDRESS_EXAMPLE}", 0)
    road = _ROAD.match(text)
    if not road or not road.group().strip("、"):
        raise AddressError(f"地址应以路名开头，例如 {ADDRESS_EXAMPLE}", 0)
    # 单号81-99 → 单81-99; 1-10号、15号 → 1-10、15号; 30弄、32弄 → 30、32弄
    rest = re.sub(r"([单双])号(?=\d)", r"\1", text[road.end() :])
    rest = re.sub(r"([弄号])、(?=[单双]?\d)", "、", rest)
    parity = ""
    trailing = re.search(r"[（(]([单双])号?[)）]$", rest)
    if trailing:
        parity, rest = trailing.group(1), rest[: trailing.start()]
    parts = re.fullmatch(r"(?P<a>[^弄号]+)弄(?:(?P<b>[^弄号]+)号)?|(?P<c>[^弄号]+)号", rest)
    if not parts:
        raise AddressError(
            f"看不懂这个地址：请按 路名 + 弄号 + 门牌号 的顺序写，例如 {ADDRESS_EXAMPLE}",
            road.end(),
        )
    offset = road.end()
    if parts.group("c") is not None:
        return AddressSpec(road.group(), None, _numbers(parts.group("c"), parity, offset, "号"))
    lanes_parity = parity if parts.group("b") is None else ""
    lanes = _numbers(parts.group("a"), lanes_parity, offset, "弄")
    numbers = None
    if parts.group("b") is not None:
        numbers = _numbers(parts.group("b"), parity, offset + parts.start("b"), "号")
    return AddressSpec(road.group(), lanes, numbers)


def _numbers(text: str, parity: str, offset: int, what: str) -> Numbers:
    runs = []
    position = offset
    for item in text.split("、"):
        inner = _PARITY.search(item)
        own = parity
        if inner:
            own, item = inner.group(1), item[: inner.start()] + item[inner.end() :]
        match = _ITEM.fullmatch(item)
        if not match:
            raise AddressError(f"{what}应写成数字或范围（如 1-26），实际为 “{item}”", position)
        own = match.group(1) or own
        first = int(match.group(2))
        last = int(match.group(3)) if match.group(3) else first
        if last < first:
            raise AddressError(
                f"范围 {first}-{last} 写反了：应从小到大，如 {last}-{first}", position
            )
        if last > MAX_NUMBER or first < 1:
            raise AddressError(
                f"{what}应在 1 到 {MAX_NUMBER} 之间，实际为 {first}-{last}", position
            )
        if own and first % 2 != last % 2:
            raise AddressError(
                f"{own}号范围 {first}-{last} 的两端应都是{'单' if own == '单' else '双'}数",
                position,
            )
        if own and (first % 2 == 1) != (own == "单"):
            raise AddressError(f"{first} 不是{own}数，请核对{own}号范围", position)
        runs.append(Run(first, last, own))
        position += len(item) + 1
    return Numbers(tuple(runs))


# A building named by its number: 3号楼, 3号, 3幢, 3栋, or 80弄3号楼.
_BUILDING = re.compile(r"^(?:(?P<lane>\d+)弄)?(?P<number>\d+)(?:号楼|号|幢|栋)$")


def building_number(name: str) -> tuple[int | None, int] | None:
    """(lane, number) a building name stands for, or None for a name like 综合楼."""
    match = _BUILDING.match(normalise(name).replace("号楼", "号"))
    if not match:
        return None
    lane = match.group("lane")
    return (int(lane) if lane else None, int(match.group("number")))
