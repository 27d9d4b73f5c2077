"""The week of a committee's timetable in fewer lines, for a crowded notice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WeekLine:
    days: str  # 周一至周五, 周六、周日, 周三
    ranges: list[str]  # empty: closed on those days


def week_lines(rows) -> list[WeekLine]:
    """Runs of consecutive days with the same hours, Monday to Sunday: the
    timetable's seven rows (views.DayRow) said the way a notice says them."""
    runs: list[list] = []
    for row in rows:
        if runs and runs[-1][-1].ranges == row.ranges:
            runs[-1].append(row)
        else:
            runs.append([row])
    lines = []
    for run in runs:
        first, last = run[0].label, run[-1].label
        joined = f"{first}、{last}" if len(run) == 2 else f"{first}至{last}"
        days = first if len(run) == 1 else joined
        lines.append(WeekLine(days, list(run[0].ranges)))
    return lines
