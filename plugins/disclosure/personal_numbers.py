"""Every phone number the records hold, and which of them may not be published.

The walk is by type, not by field name: any record field that holds a
`Phone` is found, and its record must say, by a `<field>_published`
property, whether that number may be shown whole. A record type that holds
a phone and does not say is a programming error, caught by the first build.

Two uses come of it: a number published in one record and masked in another
is a staff mistake to fix (E704), and the unpublished numbers are what the
scan of the written site looks for (see output_scan).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .core.memo import ByIdentity
from .core.problems import Position, Problem
from .core.schema import Located
from .values.phones import Phone


@dataclass(frozen=True)
class NumberUse:
    phone: Phone
    published: bool
    position: Position


def number_uses(records: Iterable[object]) -> Iterator[NumberUse]:
    """Each phone number held in `records` (records, or lists of them), in order."""
    for record in records:
        for one in record if isinstance(record, list | tuple) else (record,):
            if isinstance(one, Located):
                # walking a city's records again after every save in `serve`
                # took half a second: a record's numbers are its own
                yield from _USES.get((one,), None, lambda one=one: tuple(_walk(one)))
            elif isinstance(one, list | tuple):
                yield from _walk(one)


_USES: ByIdentity[tuple[NumberUse, ...]] = ByIdentity(within_build=False)


def _walk(value: object) -> Iterator[NumberUse]:
    if isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, _HOLDERS):
                yield from _walk(item)
        return
    if not isinstance(value, Located):
        return
    for name in _field_names(type(value)):
        held = getattr(value, name)
        if isinstance(held, Phone):
            decision = f"{name}_published"
            if not hasattr(type(value), decision):
                raise TypeError(f"{type(value).__name__} holds a phone but has no {decision}")
            yield NumberUse(held, getattr(value, decision), value.where(name))
        elif isinstance(held, _HOLDERS):
            yield from _walk(held)


# What may hold a phone further down: the walk goes into nothing else (a
# city's records hold a million strings, dates and numbers).
_HOLDERS = (list, tuple, Located)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def consent_problems(uses: list[NumberUse]) -> list[Problem]:
    """A number shown whole in one place is no secret in another: where the
    same line is masked elsewhere, the records disagree about consent."""
    shown: dict[str, NumberUse] = {}
    for use in uses:
        if use.published and use.phone.may_be_personal:
            shown.setdefault(use.phone.identifying, use)
    problems = []
    for use in uses:
        other = shown.get(use.phone.identifying)
        if use.published or other is None:
            continue
        where = other.position
        problems.append(
            Problem(
                use.position,
                "E704",
                f"号码 {use.phone.masked()} 在这里要打码，却在 {where.path}:{where.line} "
                "完整公开：同一个号码请统一写明是否同意公开（phone_consent）",
            )
        )
    return problems


def unpublished(uses: Iterable[NumberUse]) -> dict[str, NumberUse]:
    """Identifying digits of each number that must never be written whole."""
    return {u.phone.identifying: u for u in uses if not u.published}
