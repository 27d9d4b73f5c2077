"""Results this process worked out from some bytes, kept for the next build.

`serve` builds again, in the same process, after every save, and most of what
a build reads and writes is the same bytes as the build before. A result kept
here is keyed by everything it is made from (a digest of the bytes among it),
so taking it is the same as working it out again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `most` results; the one used longest ago goes first."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._results: OrderedDict[Hashable, V] = OrderedDict()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._results

    def __getitem__(self, key: Hashable) -> V:
        self._results.move_to_end(key)
        return self._results[key]

    def keep(self, key: Hashable, result: V) -> None:
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > self.most:
            self._results.popitem(last=False)
