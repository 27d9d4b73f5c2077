"""Read and type every committee file: committees/<slug>.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import Loaded, named_records, read_record
from ..core.problems import Problem, quoted
from .model import COMMITTEE, Committee

COMMITTEES_DIR = "committees"


@dataclass
class CommitteesLoaded(Loaded):
    committees: list[Committee] = field(default_factory=list)  # the valid ones
    slugs: set[str] = field(default_factory=set)  # every file, valid or not


def load(data_dir: Path, base: Path) -> CommitteesLoaded:
    """Every valid committee, every committee file's slug and every problem found."""
    found = CommitteesLoaded()
    names: dict[str, Committee] = {}
    for path, shown, naming in named_records(data_dir / COMMITTEES_DIR, base, found.problems):
        found.files_read += 1
        found.slugs.add(path.stem)
        committee, problems = read_record(path, shown, COMMITTEE, slug=path.stem)
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
    return found
