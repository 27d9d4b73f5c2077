"""What is worked out from records alone, kept for the next build in this process.

A record is not changed once typed, and a file whose bytes did not change
gives the same record object to every build of a process (core.files). What
is worked out from records alone (a committee's view and disclosure status,
an event's view and calendar entry) is then the same too, and `serve`, which
builds again after every save, need not work it out again for the 5,999
committees a save did not touch.

An entry is keyed by the identity of the objects it is made from, which it
holds (so that no other object takes one's id meanwhile), and by the plain,
hashable values given beside them (the as-of date, a URL). What is made must
be read only, as the records are: the next build is given the same object.
What the last two builds did not ask for is let go (`next_build`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

V = TypeVar("V")

_EVERY: list[ByIdentity] = []
# Whether the build running now is followed by another in this process that
# may ask again (`serve`'s: cli.commands.build_site(keep_pages=True)).
_next_build_asks = False


@contextmanager
def for_a_next_build(asks: bool) -> Iterator[None]:
    """While the block runs, results only a next build asks for again are
    kept (`asks`) or not: a build that is the last of its process need not
    hold a city's open data rows until it ends."""
    global _next_build_asks
    before, _next_build_asks = _next_build_asks, asks
    try:
        yield
    finally:
        _next_build_asks = before


def next_build_asks() -> bool:
    """Whether a build follows in this process that may ask again (`for_a_next_build`)."""
    return _next_build_asks


class ByIdentity(Generic[V]):
    """Results by the identity of what they are made from; one per kind of result.

    `within_build`: a build may ask for one result more than once, so results
    are always kept; False: only a next build asks again, so they are kept
    only inside `for_a_next_build(True)`."""

    def __init__(self, *, within_build: bool = True) -> None:
        self._now: dict[tuple, tuple[tuple, V]] = {}
        self._before: dict[tuple, tuple[tuple, V]] = {}
        self._within_build = within_build
        _EVERY.append(self)

    def get(self, made_from: tuple, values: Hashable, make: Callable[[], V]) -> V:
        """The result `make()` gave for these same objects and equal values,
        or what it gives now."""
        key = (tuple(map(id, made_from)), values)
        found = self._find(key)
        if found is None:
            made = make()
            self.keep(made_from, values, made)
            return made
        return found[1]

    def find(self, made_from: tuple, values: Hashable) -> V | None:
        """What was kept for these objects and values, if anything (`keep`)."""
        found = self._find((tuple(map(id, made_from)), values))
        return None if found is None else found[1]

    def keep(self, made_from: tuple, values: Hashable, result: V) -> None:
        """Keep what was made (here, or in another core) from these objects and
        values, as `within_build` says."""
        if self._within_build or _next_build_asks:
            self._now[(tuple(map(id, made_from)), values)] = (made_from, result)

    def _find(self, key: tuple) -> tuple[tuple, V] | None:
        found = self._now.get(key)
        if found is None:
            found = self._before.pop(key, None)
            if found is not None:
                self._now[key] = found
        return found

    def __bool__(self) -> bool:
        """Whether anything is kept, from this build or the last."""
        return bool(self._now or self._before)


def next_build() -> None:
    """A build begins: what neither it nor the last build asks for is let go."""
    for memo in _EVERY:
        memo._before, memo._now = memo._now, {}
