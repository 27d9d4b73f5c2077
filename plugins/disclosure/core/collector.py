"""The garbage collector kept off what a build makes to keep."""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection while the block runs, then as before.

    Loading a city, and making the views of its pages, make millions of
    objects (records, their positions and values, views) that all live until
    the build ends, and the collector's passes over them as they are made
    find next to nothing: a fifth of loading the city (8.9 s against 11.2 s,
    5 objects of cyclic garbage left, the same peak memory) and two fifths of
    making the views (1.4 s against 2.4 s at 2,000 committees, 180 objects
    left). Workers forked meanwhile inherit the pause."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Whether this process froze what it holds (gc.get_freeze_count walks every
# frozen object to count them: a quarter of a second per call at city scale).
_frozen = False


# Inside `held`, unfreezing waits until the block ends.
_holding = 0
_unfreeze_asked = False
# Once `until_exit` said so, nothing is unfrozen again.
_for_good = False


def freeze() -> None:
    """What is alive now is kept out of every collection until `unfreeze`."""
    global _frozen
    gc.freeze()
    _frozen = True


def unfreeze() -> None:
    global _frozen, _unfreeze_asked
    if _for_good:
        return
    if _holding:
        _unfreeze_asked = True
        return
    gc.unfreeze()
    _frozen = False


@contextmanager
def held() -> Iterator[None]:
    """What is frozen inside stays frozen until the block ends, whoever asks
    to unfreeze it meanwhile (Pelican's `finalized`, a pool of workers).

    Unfrozen, a city's records and views are millions of objects back in the
    collector's care, and its next full pass over them takes two seconds
    (seen every other build in `serve`, finding a few thousand objects of
    garbage). A build holds them until its site is live, and returns them
    when it ends."""
    global _holding, _unfreeze_asked
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding and _unfreeze_asked:
            _unfreeze_asked = False
            unfreeze()


def settle() -> None:
    """Between builds of a process that builds again and again (`serve`):
    collect what the last build left, and freeze what is still alive (the
    records and views kept for the next build, the typed files), so that the
    next build's collections pass over only what it makes itself. Costs a
    full collection (two seconds for a city), which `serve` pays while it
    waits for the next save, not while staff wait for the site."""
    unfreeze()
    gc.collect()
    freeze()


def frozen() -> bool:
    return _frozen


def until_exit() -> None:
    """This process runs one command and ends (`build`, `validate`, `publish`
    as staff run them): what a build freezes stays frozen, and what is alive
    when the process exits is frozen then, so that no collection passes over
    a city's records and views again, not even the one Python makes as it
    exits. Unfrozen, those two passes kept a city's `build` running 6 to 11 s
    after its site was in place."""
    global _for_good
    _for_good = True
    atexit.register(gc.freeze)
