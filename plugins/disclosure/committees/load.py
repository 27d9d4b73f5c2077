"""Read and type every committee file: committees/<slug>.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import display_path, named_records, read_record
from ..core.problems import Position, Problem, quoted
from .model import COMMITTEE, Committee

if TYPE_CHECKING:
    from ..site import SiteData


def load(data_dir: Path, base: Path, site: SiteData) -> None:
    names: dict[str, Committee] = {}
    for path, shown, problems in named_records(data_dir / "committees", base, site.problems):
        site.files_read += 1
        site.committee_slugs.add(path.stem)
        committee, record_problems = read_record(path, shown, COMMITTEE, slug=path.stem)
        site.problems += problems + record_problems
        if committee is None or problems:
            continue
        if committee.name in names:
            first = names[committee.name].position.path
            site.problems.append(
                Problem(
                    committee.where("name"),
                    "E202",
                    f"居委会名称 {quoted(committee.name)} 与 {first} 重复",
                )
            )
            continue
        names[committee.name] = committee
        site.committees.append(committee)

    if (
        site.files_read
        and not names
        and not any(
            p.position.path.startswith(display_path(data_dir / "committees", base))
            for p in site.problems
        )
    ):
        site.problems.append(
            Problem(
                Position(display_path(data_dir / "committees", base)),
                "E201",
                "没有任何居委会记录：请在 committees 文件夹中为每个居委会建一个 .yaml 文件",
            )
        )
