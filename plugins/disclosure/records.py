"""Find, read and type every record under content/data, in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import event_records, plan_records
from .event_types import Event, Series
from .plan_types import Plan
from .problems import Position, Problem, errors, quoted
from .record_files import display_path, named_records, read_record
from .record_types import CATALOGUE, COMMITTEE, SUBDISTRICT, Catalogue, Committee, Subdistrict

__all__ = ["SiteData", "display_path", "load_site_data", "read_record"]

DATA_DIR = "data"


@dataclass
class SiteData:
    subdistrict: Subdistrict | None = None
    catalogue: Catalogue | None = None
    committees: list[Committee] = field(default_factory=list)
    committee_slugs: set[str] = field(default_factory=set)  # every file, valid or not
    event_series: list[Series] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)


def load_site_data(content: Path, base: Path | None = None) -> SiteData:
    """Read subdistrict.yaml, catalogue.yaml, committees/*.yaml, event_series.yaml,
    events/<yyyy>/*.yaml and plans/*.yaml under content/data."""
    base = base or Path.cwd()
    data_dir = content / DATA_DIR
    site = SiteData()

    for name, declaration, attribute, what in (
        ("subdistrict.yaml", SUBDISTRICT, "subdistrict", "街道记录"),
        ("catalogue.yaml", CATALOGUE, "catalogue", "公开目录"),
    ):
        path = data_dir / name
        shown = display_path(path, base)
        if not path.is_file():
            site.problems.append(
                Problem(Position(shown), "E200", f"缺少{what}文件 {name}，请对照示例创建")
            )
            continue
        record, problems = read_record(path, shown, declaration)
        setattr(site, attribute, record)
        site.problems += problems
        site.files_read += 1

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
    event_records.load(data_dir, base, site)
    plan_records.load(data_dir, base, site)
    return site
