"""Problems are values: a position, a stable code and a Chinese message.

Nothing in the data layer prints or raises for the first problem it finds;
it appends to a list that is reported whole at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..values.pickling import quick_pickling


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@quick_pickling
@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A place in a record file; line and column count from 1, as editors do."""

    path: str
    line: int = 1
    column: int = 1

    def shifted(self, columns: int) -> Position:
        return Position(self.path, self.line, self.column + columns)


@quick_pickling
@dataclass(frozen=True, slots=True)
class Problem:
    position: Position
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        p = self.position
        label = "" if self.severity is Severity.ERROR else "（警告）"
        return f"{p.path}:{p.line}:{p.column}: {self.code} {self.message}{label}"

    @property
    def sort_key(self) -> tuple:
        p = self.position
        return (p.path, p.line, p.column, self.code)


def quoted(value: object) -> str:
    """Show a received value the way the person typed it, quoted and escaped."""
    return json.dumps(str(value), ensure_ascii=False)


def quoted_short(value: object, limit: int = 30) -> str:
    """`quoted`, with a very long value cut in the middle and its length said."""
    text = str(value)
    if len(text) <= limit:
        return quoted(text)
    return f"{quoted(text[:20] + '…' + text[-6:])}（共 {len(text)} 个字符）"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def report_lines(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in sorted(problems, key=lambda p: p.sort_key)]


class RecordsInvalid(Exception):
    """Raised at the boundary (build, validate) once every problem is known."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.sort_key)
        count = len(errors(self.problems))
        lines = "\n".join(report_lines(self.problems))
        super().__init__(f"记录校验未通过，共 {count} 个错误，未生成网站：\n{lines}")
