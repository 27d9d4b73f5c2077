"""Work shared among forked processes, with the result one process gives.

A build's pages, calendars, notices and read-backs are independent of each
other once the records are loaded and their views made. Each worker is a
fork of the build, so it shares those views as they are (nothing is pickled
on the way in but a range of indices) and returns only small results: the
files it wrote, the problems it found.

The answer is the same whatever the number of workers: results come back in
the order of `items`, and a job that fails in a worker is run again here, so
that the exception a person sees is the one a single process raises.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from . import collector

T = TypeVar("T")
R = TypeVar("R")

# What the forked workers run, set just before they are forked.
_SHARED: tuple[Callable, Sequence] | None = None


class _Failed:
    """A job that raised in a worker, to be run again in the parent."""

    def __init__(self, index: int) -> None:
        self.index = index


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_forked(
    function: Callable[[T], R], items: Sequence[T], workers: int, *, least: int = 2
) -> list[R]:
    """[function(item) for item in items], in `workers` forked processes.

    One worker, fewer than `least` items (too little work to pay for forking),
    or a system without fork runs it here.
    """
    if workers <= 1 or len(items) < least or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _SHARED
    _SHARED = (function, items)
    # Several chunks per worker: pages differ in cost, and a worker that
    # finishes early takes the next chunk.
    size = max(1, -(-len(items) // (workers * 8)))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    # Objects alive now are not collected in the workers: frozen, the
    # collector does not touch (and so copy) the pages they share. A build
    # that froze its views already (generator) unfreezes them when it ends.
    frozen_before = collector.frozen()
    collector.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            min(workers, len(chunks)),
            mp_context=context,
            initializer=_die_with,
            initargs=(os.getpid(),),
        ) as pool:
            parts = list(pool.map(_run_chunk, chunks))
    finally:
        _SHARED = None
        if not frozen_before:
            collector.unfreeze()
    results: list = [result for part in parts for result in part]
    for index, result in enumerate(results):
        if isinstance(result, _Failed):
            results[index] = function(items[index])  # raises as it did in the worker
    return results


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(build: int) -> None:
    """A worker ends when its build is killed (kill -9, the OOM killer):
    forked, it holds both ends of the pool's pipes itself, so it would wait
    for work that never comes, for ever."""
    with contextlib.suppress(OSError, AttributeError):  # not on Linux: no prctl
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != build:  # killed before that took hold
        os._exit(1)


def _run_chunk(bounds: tuple[int, int]) -> list:
    function, items = _SHARED
    results = []
    for index in range(*bounds):
        try:
            results.append(function(items[index]))
        except BaseException:  # told to the parent, which raises it itself
            results.append(_Failed(index))
    return results
