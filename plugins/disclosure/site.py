"""Find, read and type every record under content/data, in one pass, every kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .committees.load import COMMITTEES_DIR
from .committees.load import load as load_committees
from .committees.model import SUBDISTRICT, Committee, Subdistrict
from .completeness.catalogue import CATALOGUE, Catalogue
from .core.files import display_path, read_record
from .core.problems import Position, Problem, errors
from .core.record_cache import RecordCache
from .events.load import load as load_events
from .events.model import Event, Series
from .personal_numbers import NumberUse, consent_problems, number_uses, unpublished
from .plans.load import load as load_plans
from .plans.model import Plan

__all__ = ["SiteData", "load_site_data"]

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
    # identifying digits -> where written, of each number that may not be shown whole
    unpublished_numbers: dict[str, NumberUse] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)


def load_site_data(
    content: Path, base: Path | None = None, cache: RecordCache | None = None
) -> SiteData:
    """Read subdistrict.yaml, catalogue.yaml, committees/*.yaml, event_series.yaml,
    events/<yyyy>/*.yaml and plans/*.yaml under content/data.

    Each kind's loader reads its own files and returns what it found; what
    one kind needs of another (events name committees) is handed over here.
    """
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
        record, problems = read_record(path, shown, declaration, cache)
        setattr(site, attribute, record)
        site.problems += problems
        site.files_read += 1

    committees = load_committees(data_dir, base, cache)
    site.committees, site.committee_slugs = committees.committees, committees.slugs
    folder = display_path(data_dir / COMMITTEES_DIR, base)
    if (
        site.files_read + committees.files_read
        and not committees.committees
        and not any(p.position.path.startswith(folder) for p in committees.problems)
    ):
        committees.problems.append(
            Problem(
                Position(folder),
                "E201",
                "没有任何居委会记录：请在 committees 文件夹中为每个居委会建一个 .yaml 文件",
            )
        )
    events = load_events(
        data_dir, base, {c.name: c.slug for c in committees.committees}, committees.slugs, cache
    )
    site.event_series, site.events = events.series, events.events
    plans = load_plans(data_dir, base, cache)
    site.plans = plans.plans
    for loaded in (committees, events, plans):
        site.problems += loaded.problems
        site.files_read += loaded.files_read
    records = (site.subdistrict, site.catalogue, site.committees, site.event_series)
    uses = list(number_uses([*records, site.events, site.plans]))
    site.problems += consent_problems(uses)
    site.unpublished_numbers = unpublished(uses)
    return site
