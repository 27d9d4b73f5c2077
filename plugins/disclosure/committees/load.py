"""Read and type every committee file: committees/<slug>.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import Loaded, named_records, read_records
from ..core.problems import Problem, Severity, quoted
from ..core.record_cache import RecordCache
from .model import COMMITTEE, Committee

COMMITTEES_DIR = "committees"


@dataclass
class CommitteesLoaded(Loaded):
    committees: list[Committee] = field(default_factory=list)  # the valid ones
    slugs: set[str] = field(default_factory=set)  # every file, valid or not


def load(data_dir: Path, base: Path, cache: RecordCache | None = None) -> CommitteesLoaded:
    """Every valid committee, every committee file's slug and every problem found."""
    found = CommitteesLoaded()
    names: dict[str, Committee] = {}
    files = list(named_records(data_dir / COMMITTEES_DIR, base, found.problems))
    jobs = [(path, shown, COMMITTEE, {"slug": path.stem}) for path, shown, _ in files]
    read = read_records(jobs, cache)
    for (path, _shown, naming), (committee, problems) in zip(files, read, strict=True):
        found.files_read += 1
        found.slugs.add(path.stem)
        found.problems += naming + problems
        if committee is None or naming:
            continue
        if committee.name in names:
            first = names[committee.name].position.path
            found.problems.append(
                Problem(
                    committee.where("name"),
                    "E202",
                    f"居委会名称 {quoted(committee.name)} 与 {first} 重复",
                )
            )
            continue
        names[committee.name] = committee
        found.committees.append(committee)
    found.problems += road_spellings(found.committees)
    return found


_DIRECTIONS = frozenset("东西南北中")


def _one_slip(road: str, other: str) -> bool:
    """One character different, and not the direction that tells 日晖东路 from 日晖西路."""
    if len(road) != len(other):
        return False
    different = [(a, b) for a, b in zip(road, other, strict=True) if a != b]
    return len(different) == 1 and not set(different[0]) <= _DIRECTIONS


def road_spellings(committees: list[Committee]) -> list[Problem]:
    """A road written one way in one committee and another way elsewhere
    (零陵陆 beside 零陵路), and in no office's address, is a slip of the input
    method more often than a new road: a warning that names the road in use."""
    used: dict[str, set[str]] = {}
    for committee in committees:
        for address in committee.addresses:
            used.setdefault(address.spec.road, set()).add(committee.slug)
    # A city has thousands of roads on one committee's list only: each is
    # compared with the roads one character away (by the road with that
    # character blanked) and looked for in every office's address at once,
    # not with every road and every office in turn.
    offices = "\0".join(committee.address for committee in committees)
    blanked: dict[str, list[str]] = {}
    for road in used:  # in the order first used, so the first suggested is
        for at in range(len(road)):
            blanked.setdefault(f"{road[:at]}\0{road[at + 1 :]}", []).append(road)
    order = {road: number for number, road in enumerate(used)}
    problems = []
    for committee in committees:
        for index, address in enumerate(committee.addresses):
            road = address.spec.road
            if used[road] != {committee.slug} or road in offices:
                continue  # on two committees' lists, or where an office stands: a real road
            near = {
                other
                for at in range(len(road))
                for other in blanked[f"{road[:at]}\0{road[at + 1 :]}"]
                if other != road and used[other] - {committee.slug}
            }
            close = sorted((r for r in near if _one_slip(road, r)), key=order.__getitem__)
            if close:
                problems.append(
                    Problem(
                        address.position,
                        "W130",
                        f"路名 {quoted(road)} 只在这里出现，其他居委会写的是 {quoted(close[0])}："
                        f"是否想写 {quoted(close[0])}？（字段 addresses[{index}]）",
                        Severity.WARNING,
                    )
                )
    return problems
