"""Typed records kept on disk, so that a new process need not type them again.

`validate`, `build` and `serve` each start a process of their own, and typing
a file costs about 2 ms: twenty seconds of CPU for a city's 9,000 files, of
which staff changed one. An entry is named by a digest of everything the
typed record is made from: the file's bytes, the name shown for it, the
record class, what the reader supplies, and the code that types (every module
of this plugin, the versions of the libraries that read for it, and Python's:
core/code_version). A changed file, rule or library gives a new name, so an
entry is never stale; the folder of another code version is removed when
this one writes, and entries a whole load did not use are removed after it.

Entries are pickles. They are read by an unpickler that makes only this
plugin's record and value classes and a few value types of the standard
library, so that a file put in the cache by someone else cannot run code; an
entry that cannot be read is typed again and written anew. A build meant for
the public reads none (settings.kept_between_processes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import enum
import hashlib
import io
import os
import pickle
import threading
from pathlib import Path

from .code_version import code_version, remove_other_versions
from .kept import read_regular

_PROTOCOL = 5
_SUFFIX = ".pickle"

_ROOT_MODULE = __name__.split(".")[0]
# What an entry may name: these value types of the standard library, and the
# plugin's own dataclasses and enums (added as entries name them).
_ALLOWED: dict[tuple[str, str], type] = {
    ("datetime", "date"): datetime.date,
    ("datetime", "time"): datetime.time,
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "timedelta"): datetime.timedelta,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "set"): set,
}


# Threads writing entries a load of this process kept.
_WRITING: list[threading.Thread] = []


def wait_for_writes() -> None:
    """Return once every entry a load of this process kept is on disk."""
    while _WRITING:
        _WRITING.pop().join()


class RecordCache:
    """The entries under `folder`, for the code running now."""

    def __init__(self, folder: Path) -> None:
        wait_for_writes()  # a load reads what the last one kept
        self.folder = folder / code_version()
        self.used: set[str] = set()
        self._ready = False

    def name(self, kind: type, shown: str, extra: dict, digest: bytes) -> str:
        """The entry for a file's record, counted as used by this load."""
        key = hashlib.sha256()
        for part in (f"{kind.__module__}.{kind.__qualname__}", shown, repr(sorted(extra.items()))):
            key.update(part.encode() + b"\0")
        key.update(digest)
        name = key.hexdigest()
        self.used.add(name)
        return name

    def read(self, name: str):
        """The entry's (record, problems), or None when there is none that reads."""
        data = read_regular(self.folder / f"{name}{_SUFFIX}")
        if data is None:
            return None
        try:
            return _Reader(io.BytesIO(data)).load()
        except Exception:  # an entry cut short, or not one of ours: typed again
            return None

    @staticmethod
    def pickled(typed) -> bytes | None:
        """An entry's bytes, or None when it cannot be pickled."""
        try:
            return pickle.dumps(typed, _PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return None

    def write_all(self, entries: list[tuple[str, bytes]]) -> None:
        """Keep these entries (name, `pickled`), written by a thread of their
        own while the build goes on: creating a city's 9,000 files took two
        seconds of its first build. The thread is not a daemon, so a process
        finishes writing before it exits. A cache that cannot be written is no
        cache, not an error."""
        if not entries:
            return
        try:
            if not self._ready:
                self._make_folder()
        except OSError:
            return
        thread = threading.Thread(target=self._write, args=(entries,), name="record cache")
        try:
            thread.start()
        except RuntimeError:  # the interpreter is shutting down
            return
        _WRITING.append(thread)

    def _write(self, entries: list[tuple[str, bytes]]) -> None:
        entries.reverse()
        while entries:  # each let go once written: a city's are 50 MB
            name, data = entries.pop()
            # Written in place: an entry cut short (its process killed while
            # writing it, or read while being written) lacks the STOP every
            # pickle ends with, so it does not load and is typed again.
            try:
                with open(self.folder / f"{name}{_SUFFIX}", "wb") as entry:
                    entry.write(data)
            except OSError:
                return

    def _make_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._ready = True
        remove_other_versions(self.folder)

    def prune(self) -> None:
        """Remove the entries this load did not use (files edited since, or gone)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.removesuffix(_SUFFIX) not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


class _Reader(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = _ALLOWED.get((module, name))
        if found is None:
            if module == _ROOT_MODULE or module.startswith(_ROOT_MODULE + "."):
                found = super().find_class(module, name)
            if not (
                isinstance(found, type)
                and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum))
            ):
                raise pickle.UnpicklingError(f"not a record class: {module}.{name}")
            _ALLOWED[(module, name)] = found
        return found
