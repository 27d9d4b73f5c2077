"""How long each phase of the last build took, for the benchmark.

A phase is wall time; phases nest (a build's "render" holds its "calendars"
no more than its "load"), and one that runs twice (the search read-back of
each mode) adds up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

timings: dict[str, float] = {}


@contextmanager
def phase(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


def reset() -> None:
    timings.clear()
