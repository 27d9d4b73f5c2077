"""Results this process worked out from some bytes, kept for the next build.

`serve` builds again, in the same process, after every save, and most of what
a build reads and writes is the same bytes as the build before. A result kept
here is keyed by everything it is made from (a digest of the bytes among it),
so taking it is the same as working it out again.

A build keeps them on disk too (`kept_file`, under CACHE_PATH), so that the
next build in a new process (`build` after `build`, CI after CI) takes them
there. The file is in a folder of the code that made them (core/code_version):
a rule changed or a library upgraded since starts afresh.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

from .code_version import code_version

V = TypeVar("V")

_FOLDER = "kept"


class Kept(Generic[V]):
    """At most `most` results; the one used longest ago goes first."""

    def __init__(self, most: int) -> None:
        self.most = most
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
        try:
            entries = orjson.loads(path.read_bytes())
            taken = [(bytes.fromhex(key), decode(value)) for key, value in entries.items()]
        except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
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
        half of it."""
        if path is None:
            return
        kept = [key for key in keys if key in self]
        if self._on_disk.get(path) == frozenset(kept) and path.exists():
            return
        entries = {key.hex(): encode(self._results[key]) for key in kept}
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for other in path.parent.parent.iterdir():  # results of code that is gone
                if other.is_dir() and other != path.parent:
                    shutil.rmtree(other, ignore_errors=True)
            partial.write_bytes(orjson.dumps(entries))
            os.replace(partial, path)
            self._on_disk[path] = frozenset(kept)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()


def kept_file(settings: dict, name: str) -> Path | None:
    """Where a build keeps the results named `name` for the next:
    CACHE_PATH/kept/<code version>/<name>.json; None without a CACHE_PATH."""
    cache = settings.get("CACHE_PATH")
    if not cache:
        return None
    return Path(cache) / _FOLDER / code_version() / f"{name}.json"
