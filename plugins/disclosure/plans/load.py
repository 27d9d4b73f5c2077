"""Read every plan under content/data/plans/: one file per period, e.g. 2020-h2.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import Loaded, named_records, read_record
from ..core.record_cache import RecordCache
from .model import PLAN, Plan

PLANS_DIR = "plans"


@dataclass
class PlansLoaded(Loaded):
    plans: list[Plan] = field(default_factory=list)  # newest period first


def load(data_dir: Path, base: Path, cache: RecordCache | None = None) -> PlansLoaded:
    """Every valid plan and every problem found."""
    found = PlansLoaded()
    for path, shown, naming in named_records(data_dir / PLANS_DIR, base, found.problems):
        found.files_read += 1
        plan, problems = read_record(path, shown, PLAN, cache, slug=path.stem)
        found.problems += naming + problems
        if plan is not None and not naming:
            found.plans.append(plan)
    found.plans.sort(key=lambda plan: plan.period.start, reverse=True)
    return found
