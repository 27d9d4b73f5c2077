"""Results this process worked out from some bytes, kept for the next build.

`serve` builds again, in the same process, after every save, and most of what
a build reads and writes is the same bytes as the build before. A result kept
here is keyed by everything it is made from (a digest of the bytes among it),
so taking it is the same as working it out again.

A build keeps them on disk too (`kept_file`, under CACHE_PATH), so that the
next build in a new process (`build` after `build`, `serve` after `build`)
takes them there; a build meant for the public takes and keeps none
(settings.kept_between_processes). The file is in a folder of the code that
made them (core/code_version): a rule changed or a library upgraded since
starts afresh.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

from .code_version import code_version, remove_other_versions
from .memo import next_build_asks

V = TypeVar("V")

_FOLDER = "kept"
# a kept file that lacks, or holds besides, at most 1/_FEW of the results a
# build used is not written again
_FEW = 20


def signature(found: os.stat_result) -> tuple[int, ...]:
    """A file as this process last saw it: the same device, inode, size and
    mtime (to the nanosecond) are the same bytes, as `make` and rsync take
    them; and the same mode and owner (a chmod leaves the mtime). A page
    `serve` takes from the live site (page_keys) is the live file itself, so
    what was worked out from its bytes need not be read again."""
    return (
        found.st_dev,
        found.st_ino,
        found.st_size,
        found.st_mtime_ns,
        found.st_mode,
        found.st_uid,
        found.st_gid,
    )


def seen_as(found: os.stat_result) -> tuple[int, ...]:
    """The signature of a file as this process saw it: where an overlay of
    this process left a live file in place of a written one with the same
    bytes (cli.staging), the written file's, by which what was worked out
    from it (found clean, read for search) is known."""
    own = signature(found)
    return _SAME_BYTES.get(own, own)


def same_bytes(live: os.stat_result, written: os.stat_result) -> None:
    """The live file `live` stays in place of `written`, which holds its bytes."""
    _SAME_BYTES[signature(live)] = seen_as(written)
    _SAME_BYTES.move_to_end(signature(live))
    while len(_SAME_BYTES) > _MOST_SAME:
        _SAME_BYTES.popitem(last=False)


# live file -> the written file it stands for (by signature): `serve`'s first
# build after a `build` in the same process writes every file again, and the
# overlay keeps each live one; without this, its next save read and scanned
# the whole site again (0.8 s at city scale)
_SAME_BYTES: OrderedDict[tuple[int, ...], tuple[int, ...]] = OrderedDict()
_MOST_SAME = 400_000


class Kept(Generic[V]):
    """At most `most` results; the one used longest ago goes first.

    `within_build`, as core.memo.ByIdentity has it: False for results only a
    next build in this process asks for again, kept only when one follows
    (`memo.for_a_next_build`)."""

    def __init__(self, most: int, *, within_build: bool = True) -> None:
        self.most = most
        self._within_build = within_build
        self._results: OrderedDict[Hashable, V] = OrderedDict()
        # the keys each file on disk holds, as this process read or wrote it:
        # `serve` neither reads a city's pages again (0.3 s) nor writes the
        # same keys again (0.2 s) on every save
        self._on_disk: dict[Path, frozenset] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._results

    def __getitem__(self, key: Hashable) -> V:
        self._results.move_to_end(key)
        return self._results[key]

    def keep(self, key: Hashable, result: V) -> None:
        if not (self._within_build or next_build_asks()):
            return
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > self.most:
            self._results.popitem(last=False)

    def read_from(self, path: Path | None, decode: Callable[[Any], V]) -> None:
        """Take the results a build kept in `path` (`write_to`). A file that is
        missing, cut short or not one of ours adds nothing: every result in it
        is worked out again."""
        if path is None or path in self._on_disk:
            return
        data = read_regular(path)
        if data is None:
            return
        try:
            entries = orjson.loads(data)
            taken = [(bytes.fromhex(key), decode(value)) for key, value in entries.items()]
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            return
        for key, result in taken:
            self.keep(key, result)
        self._on_disk[path] = frozenset(key for key, _ in taken)

    def write_to(
        self, path: Path | None, keys: Iterable[bytes], encode: Callable[[V], Any]
    ) -> None:
        """Keep the results of `keys` (those this build used) in `path`, in
        place of what it held. A folder that cannot be written is no cache,
        not an error; the file is swapped in whole, so a reader never sees
        half of it.

        A file this process wrote or read that lacks only a few of them, and
        holds not many more, is left as it is: `serve` builds after every
        save, which changes a few of a city's 9,600 pages, and writing them
        all again took 0.2 s of each. A new process works out the few again."""
        if path is None:
            return
        kept = [key for key in keys if key in self]
        on_disk = self._on_disk.get(path)
        if on_disk is not None and path.exists():
            missing = sum(key not in on_disk for key in kept)
            if missing <= len(kept) // _FEW and len(on_disk) - (len(kept) - missing) <= (
                len(kept) // _FEW
            ):
                return
        entries = {key.hex(): encode(self._results[key]) for key in kept}
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_other_versions(path.parent)
            partial.write_bytes(orjson.dumps(entries))
            os.replace(partial, path)
            self._on_disk[path] = frozenset(kept)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()


def kept_file(folder: Path | None, name: str) -> Path | None:
    """Where a build keeps the results named `name` for the next, under the
    folder it keeps things in (settings.kept_between_processes):
    <folder>/kept/<code version>/<name>.json; None where it keeps none."""
    if folder is None:
        return None
    return folder / _FOLDER / code_version() / f"{name}.json"


def read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file; None for anything else (a pipe or a
    device put where a cache file belongs would block the build or never
    end), or a file that cannot be read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        with os.fdopen(handle, "rb", closefd=False) as opened:
            return opened.read()
    except OSError:
        return None
    finally:
        os.close(handle)
