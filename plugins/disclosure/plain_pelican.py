"""How plain `pelican` reports a problem a person typed: one line per problem.

Pelican logs a failed build as one CRITICAL record with its traceback, in a
console that wraps long lines; `path:line:column: CODE message` would be
broken across lines and buried. This filter writes the problems as they are
(the same lines `validate`, `build` and `publish` print) and leaves Pelican a
one-line summary, without the traceback.
"""

from __future__ import annotations

import logging
import sys

from .core.problems import RecordsInvalid, Severity, report_lines
from .settings import SettingsInvalid


def staff_lines(error: BaseException) -> tuple[list[str], str] | None:
    """The problem lines and a summary for one of our exceptions, else None."""
    from .completeness.report import DisclosureIncomplete, grouped_lines

    if isinstance(error, SettingsInvalid):
        return error.lines, f"没有生成网站：{error.summary}"
    if isinstance(error, DisclosureIncomplete):
        lines = grouped_lines(error.report)
        return lines, f"没有生成网站：公开情况有 {len(error.report.errors)} 个错误"
    if isinstance(error, RecordsInvalid):
        count = sum(1 for p in error.problems if p.severity is Severity.ERROR)
        return report_lines(error.problems), f"没有生成网站：记录有 {count} 个错误"
    return None


# What Pelican's main() logs when Ctrl+C stops it, before it exits 0.
_INTERRUPTED = "Keyboard interrupt received. Exiting."


class StaffProblems(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == _INTERRUPTED:
            # Plain pelican writes into output/ in place: say so, and exit as
            # an interrupted command does, not 0.
            print(
                "已中断：output/ 里可能只写了一部分，请重新生成"
                "（python3 bootstrap.py build 不会有这个问题）。"
            )
            sys.stdout.flush()
            raise SystemExit(130)
        error = record.exc_info[1] if record.exc_info else None
        found = staff_lines(error) if error is not None else None
        if found is None:
            return True
        lines, summary = found
        # The summary too goes out as a whole line; Pelican's console would wrap it.
        for line in [*lines, summary]:
            print(line, file=sys.stdout)
        sys.stdout.flush()
        record.msg, record.args = "%s", ("没有生成网站（见上）",)
        record.exc_info = record.exc_text = None
        return True


def install(_pelican) -> None:
    logger = logging.getLogger("pelican")
    if not any(isinstance(f, StaffProblems) for f in logger.filters):
        logger.addFilter(StaffProblems())
