"""Read every plan under content/data/plans/: one file per period, e.g. 2020-h2.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import named_records, read_record
from .model import PLAN

if TYPE_CHECKING:
    from ..site import SiteData

PLANS_DIR = "plans"


def load(data_dir: Path, base: Path, site: SiteData) -> None:
    """Add every valid plan to `site`, newest period first, and all problems found."""
    for path, shown, naming in named_records(data_dir / PLANS_DIR, base, site.problems):
        site.files_read += 1
        plan, problems = read_record(path, shown, PLAN, slug=path.stem)
        site.problems += naming + problems
        if plan is not None and not naming:
            site.plans.append(plan)
    site.plans.sort(key=lambda plan: plan.period.start, reverse=True)
