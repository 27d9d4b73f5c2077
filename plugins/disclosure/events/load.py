"""Read event_series.yaml and events/<yyyy>/*.yaml, and check them against each other.

What one record can check by itself is in events/model.py; here are the checks
that need the other records: the series an event names, the committee whose
area its venue is in, and the year folder it is filed under. After loading,
`Event.series` and `Event.committee` hold slugs, whichever way staff wrote them.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import Loaded, display_path, named_records, read_record, read_records
from ..core.memo import ByIdentity
from ..core.problems import Position, Problem, quoted
from ..core.record_cache import RecordCache
from .model import EVENT, SERIES_CATALOGUE, Event, Series
from .times import day_of

SERIES_FILE = "event_series.yaml"
EVENTS_DIR = "events"
_YEAR = re.compile(r"^\d{4}$")
# each typed event with its names resolved, as the last build had it (core.memo)
_RESOLVED: ByIdentity[Event] = ByIdentity()


@dataclass
class EventsLoaded(Loaded):
    series: list[Series] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # the valid ones, by year and name


def load(
    data_dir: Path,
    base: Path,
    committees: dict[str, str],
    slugs: set[str],
    cache: RecordCache | None = None,
) -> EventsLoaded:
    """The series and every valid event, and all problems found.

    `committees` maps each valid committee's name to its slug; `slugs` are the
    slugs of every committee file, valid or not (an event naming a committee
    whose file has an error is not told the committee does not exist).
    """
    found = EventsLoaded()
    series_path = data_dir / SERIES_FILE
    series_path_shown = display_path(series_path, base)
    series_valid = True
    if series_path.is_file():
        catalogue, problems = read_record(series_path, series_path_shown, SERIES_CATALOGUE, cache)
        found.problems += problems
        found.files_read += 1
        if catalogue is not None:
            found.series = catalogue.series
        series_valid = catalogue is not None

    events_dir = data_dir / EVENTS_DIR
    if not events_dir.is_dir():
        return found
    resolver = _Resolver(
        found.series, committees, slugs, series_path_shown, series_path.is_file(), series_valid
    )
    for folder in sorted(events_dir.iterdir()):
        if folder.name.startswith((".", "~", "#")):
            continue
        shown_folder = display_path(folder, base)
        if not folder.is_dir() or not _YEAR.match(folder.name):
            found.problems.append(
                Problem(
                    Position(shown_folder),
                    "E411",
                    "活动文件要放在以年份命名的文件夹里，例如 events/2020/chongyang.yaml，"
                    f"实际为 {quoted(shown_folder)}",
                )
            )
            continue
        files = list(named_records(folder, base, found.problems))
        year = int(folder.name)
        jobs = [(path, shown, EVENT, {"slug": path.stem, "year": year}) for path, shown, _ in files]
        for (_path, _shown, naming), (event, problems) in zip(
            files, read_records(jobs, cache), strict=True
        ):
            found.files_read += 1
            found.problems += naming + problems
            if event is None or naming:
                continue
            resolved, unresolved = resolver.resolve(event)
            found.problems += unresolved
            if not unresolved:
                found.events.append(resolved)
    found.events.sort(key=lambda e: (e.year, e.slug))
    return found


class _Resolver:
    """Names written in events, matched against the series and committees."""

    def __init__(
        self,
        series: list[Series],
        committees: dict[str, str],
        slugs: set[str],
        series_file: str,
        series_file_exists: bool,
        series_valid: bool,
    ):
        self.series_file, self.series_file_exists = series_file, series_file_exists
        # with the series file in error, that error is the one to fix; naming
        # every event's series unknown as well would bury it
        self.series_valid = series_valid
        self.series: dict[str, Series] = {}
        for one in series:
            self.series[one.slug] = self.series[one.name] = one
        self.committee_slugs = set(slugs)
        self.committees = dict(committees)

    def resolve(self, event: Event) -> tuple[Event, list[Problem]]:
        """The event with its series and committee as slugs (a new record:
        the typed one may serve the next build too), and what did not resolve."""
        problems: list[Problem] = []
        series, committee = event.series, event.committee
        if day_of(event.start).year != event.year:
            problems.append(
                Problem(
                    event.where("start"),
                    "E411",
                    f"活动开始于 {day_of(event.start).year} 年，却放在 {event.year} 文件夹里："
                    f"请把文件移到 events/{day_of(event.start).year}/，或核对开始日期",
                )
            )
        if event.series is not None and self.series_valid:
            known = self.series.get(event.series)
            if known is None:
                problems.append(self._unknown_series(event))
            else:
                series = known.slug
        if event.committee is not None:
            slug = self.committees.get(event.committee, event.committee)
            if slug not in self.committee_slugs:
                problems.append(self._unknown_committee(event))
            else:
                committee = slug
        resolved = _RESOLVED.get(
            (event,),
            (series, committee),
            lambda: dataclasses.replace(event, series=series, committee=committee),
        )
        return resolved, problems

    def _unknown_series(self, event: Event) -> Problem:
        if not self.series_file_exists:
            hint = f"还没有 {self.series_file}，请先在其中定义系列"
        else:
            names = sorted({s.name for s in self.series.values()})
            close = difflib.get_close_matches(event.series, list(self.series), n=1, cutoff=0.5)
            hint = (
                f"是否想写 {quoted(self.series[close[0]].name)}？"
                if close
                else f"已定义的系列有：{'、'.join(names)}"
            )
        return Problem(
            event.where("series"),
            "E409",
            f"未知的活动系列 {quoted(event.series)}；{hint}（系列在 {self.series_file} 中定义）",
        )

    def _unknown_committee(self, event: Event) -> Problem:
        candidates = sorted(self.committee_slugs | set(self.committees))
        close = difflib.get_close_matches(event.committee, candidates, n=1, cutoff=0.6)
        hint = f"是否想写 {quoted(close[0])}？" if close else "请写居委会文件名，例如 rihui-liucun"
        return Problem(
            event.where("committee"),
            "E410",
            f"没有这个居委会：{quoted(event.committee)}；{hint}",
        )
