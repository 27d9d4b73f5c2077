"""The output folder's side of a build: a staging folder beside it, swapped in whole.

A build writes into a fresh staging folder beside output/; only a finished
(and checked) build replaces output/, by two renames, so output/ is never
half-written, emptied or half-updated. Before the swap, every staged file
whose bytes, mode and owner equal the live file's is replaced by a hard link
to the live file, so it keeps its inode and mtime: whatever looks at mtimes
(rsync, a CDN's origin, a web server's Last-Modified) sees only what changed.
A build that changed nothing leaves output/ untouched.

Folders no build needs any more are deleted by a background thread, so a
build returns once the new site is in place; the thread is not a daemon, so a
process finishes deleting before it exits, and what a killed process left is
swept by the next build. A process that builds again (`serve`) keeps the site
it retired as a spare instead: emptied of files in the background, its
folders are where the next build writes (a city's site is 19,000 folders,
and making them took seconds); the folders that build leaves empty are
removed before it is compared, so that it holds the folders a fresh build
makes (but an empty folder a fresh build would make as well: no page is in one).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

# Link failures that hold for every file of the folder: stop trying.
_NO_LINKS = {errno.EXDEV, errno.EOPNOTSUPP, errno.ENOTSUP}
_CHUNK = 1 << 20


@dataclass
class Changes:
    """What a staged build changes in the live site."""

    written: int = 0  # files new or with other bytes (or mode, or owner)
    removed: int = 0  # live files the build no longer makes
    others: bool = False  # a folder, symlink or mode that differs
    copies: int = 0  # files with the live bytes that could not be linked to them
    # staged file -> the live file with the same bytes, and its stat when compared
    same: list[tuple[str, str, os.stat_result]] = field(default_factory=list)
    # folders that hold the same names as live: staged folder -> live times
    times: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def none(self) -> bool:
        return not (self.written or self.removed or self.others)


def make_staging(final: Path, *, reuse: bool = False) -> tuple[Path, bool]:
    """A fresh folder beside `final`, named after this process for the sweep,
    and whether it is a spare: with `reuse`, the folder an earlier build of
    this process left (`retire`), when there is one, with its folders and
    without a file (`keep_unchanged(prune=True)` then removes those the build
    left empty)."""
    spare = _take_spare(final) if reuse else None
    if spare is not None:
        staging = final.with_name(f".{final.name}-building-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            spare.rename(staging)
        except OSError:
            shutil.rmtree(spare, ignore_errors=True)
        else:
            staging.chmod(0o777 & ~current_umask())
            return staging, True
    staging = Path(
        tempfile.mkdtemp(prefix=f".{final.name}-building-{os.getpid()}-", dir=final.parent)
    )
    # mkdtemp makes a private (0700) folder; once swapped in it is the web
    # root, which a web server must be able to read like any folder.
    staging.chmod(0o777 & ~current_umask())
    return staging, False


def _prune_under(folder: str, *, keep: bool = False) -> bool:
    """Remove the empty folders under `folder`, and `folder` itself if it is
    left empty (but with `keep`); whether it was removed."""
    for found, _folders, files in os.walk(folder, topdown=False):
        # the folders it listed may be gone by now: a folder of empty folders goes too
        if not files and not (keep and found == folder):
            with contextlib.suppress(OSError):  # not empty after all: a folder in it stayed
                os.rmdir(found)
    return not os.path.lexists(folder)


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def keep_unchanged(staging: Path, final: Path, *, prune: bool = False) -> Changes | None:
    """Make every staged file that equals its live twin a hard link to it;
    with `prune` (a build into a spare), first remove each folder the build
    left empty, in the same walk.

    Returns what the staged build changes (`.none` when it is the live site
    exactly, and there is nothing to swap in), or None when there is no live
    site. A file that cannot be linked (another device, a filesystem without
    hard links, a live file replaced meanwhile) keeps its new copy: the staged
    tree always holds exactly the bytes the build wrote.
    """
    try:
        live_root = os.lstat(final)
    except FileNotFoundError:
        live_root = None
    if live_root is None or not stat.S_ISDIR(live_root.st_mode):
        if prune:  # nothing to compare with: the spare's empty folders go all the same
            _prune_under(str(staging), keep=True)
        return None
    changes = Changes()
    staged_root = os.lstat(staging)
    if stat.S_IMODE(staged_root.st_mode) != stat.S_IMODE(live_root.st_mode):
        changes.others = True
    one_device = staged_root.st_dev == live_root.st_dev
    _compare(str(staging), str(final), changes, root=True, one_device=one_device, prune=prune)
    if changes.none:
        try:
            untouched = _same_inode(os.lstat(final), live_root)
        except OSError:
            untouched = False
        if untouched:
            return changes
        # another build swapped its site in while this one compared: this
        # build is the newer, so it goes in
        changes.others = True
    _link_same(changes)
    for folder, accessed, modified in changes.times:
        os.utime(folder, ns=(accessed, modified), follow_symlinks=False)
    return changes


def _compare(
    staged: str,
    live: str,
    changes: Changes,
    root: bool = False,
    one_device: bool = False,
    prune: bool = False,
) -> int:
    """How many names the staged folder holds once compared. `one_device`:
    the two folders are on one filesystem, where a file of each with the same
    inode number is one file. `prune`: a folder the build left empty is
    removed (not the root), as a fresh build would not have made it."""
    try:
        live_entries = {entry.name: entry for entry in os.scandir(live)}
    except OSError:  # removed meanwhile by another build's swap
        live_entries = {}
    names = set()
    counted = set()  # live folders whose staged twin was pruned: compared already
    for entry in os.scandir(staged):
        twin = live_entries.get(entry.name)
        if (
            one_device
            and twin is not None
            and entry.inode() == twin.inode()
            and entry.is_file(follow_symlinks=False)
            and twin.is_file(follow_symlinks=False)
        ):
            # the live file itself, taken or linked by the build (serve's
            # 19,000 pages): nothing to compare, and no need to stat either
            names.add(entry.name)
            continue
        here = entry.stat(follow_symlinks=False)
        try:
            there = twin.stat(follow_symlinks=False) if twin else None
        except OSError:
            there = None
        if stat.S_ISDIR(here.st_mode):
            if there is not None and stat.S_ISDIR(there.st_mode):
                left = _compare(
                    entry.path,
                    twin.path,
                    changes,
                    one_device=here.st_dev == there.st_dev,
                    prune=prune,
                )
                if not left and prune and _removed(entry.path):
                    # what the live folder held is counted as removed already
                    changes.others = True
                    counted.add(entry.name)
                    continue
                if stat.S_IMODE(here.st_mode) != stat.S_IMODE(there.st_mode):
                    changes.others = True
            else:
                if prune and _prune_under(entry.path):
                    continue  # nothing of it in the build
                changes.others = True
                changes.written += sum(len(files) for _, _, files in os.walk(entry.path))
        elif stat.S_ISREG(here.st_mode):
            if there is not None and _same_file(entry.path, twin.path, here, there):
                if not _same_inode(here, there):
                    changes.same.append((entry.path, twin.path, there))
            else:
                changes.written += 1
        elif not (
            stat.S_ISLNK(here.st_mode)
            and there is not None
            and stat.S_ISLNK(there.st_mode)
            and os.readlink(entry.path) == os.readlink(twin.path)
        ):
            changes.others = True
        names.add(entry.name)
    gone = live_entries.keys() - names - counted
    for name in gone:
        entry = live_entries[name]
        if entry.is_dir(follow_symlinks=False):
            changes.others = True
            changes.removed += sum(len(files) for _, _, files in os.walk(entry.path))
        elif entry.is_file(follow_symlinks=False):
            changes.removed += 1
        else:
            changes.others = True
    # A folder's mtime says when its names last changed; the root's is left
    # new, as the sweep tells the newest of two retired sites by it. A folder
    # about to be pruned has no mtime to keep.
    if (
        not root
        and (names or not prune)
        and not gone
        and not counted
        and len(names) == len(live_entries)
    ):
        try:
            there = os.lstat(live)
        except OSError:
            return len(names)
        changes.times.append((staged, there.st_atime_ns, there.st_mtime_ns))
    return len(names)


def _removed(folder: str) -> bool:
    """Remove an empty folder; whether it is gone."""
    try:
        os.rmdir(folder)
    except OSError:  # not empty after all, or not ours to remove
        return False
    return True


def _same_file(staged: str, live: str, here: os.stat_result, there: os.stat_result) -> bool:
    if not stat.S_ISREG(there.st_mode):
        return False
    if (here.st_size, stat.S_IMODE(here.st_mode), here.st_uid, here.st_gid) != (
        there.st_size,
        stat.S_IMODE(there.st_mode),
        there.st_uid,
        there.st_gid,
    ):
        return False
    if _same_inode(here, there):
        return True
    try:
        with open(staged, "rb") as mine, open(live, "rb") as theirs:
            while True:
                block = mine.read(_CHUNK)
                if block != theirs.read(_CHUNK):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def _same_inode(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _link_same(changes: Changes) -> None:
    suffix = f".{os.getpid()}.keep"
    for number, (staged, live, compared) in enumerate(changes.same):
        # linked under another name first: if the link fails, the new copy stays
        temporary = staged + suffix
        try:
            os.link(live, temporary, follow_symlinks=False)
        except OSError as error:
            if error.errno in _NO_LINKS:
                changes.copies += len(changes.same) - number
                return
            changes.copies += 1
            continue
        try:
            linked = os.lstat(temporary)
            if not _same_inode(linked, compared) or (linked.st_size, linked.st_mtime_ns) != (
                compared.st_size,
                compared.st_mtime_ns,
            ):
                # the live file was replaced after it was compared
                os.unlink(temporary)
                changes.copies += 1
                continue
            os.replace(temporary, staged)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def swap_in(staging: Path, final: Path, *, keep_folders: bool = False) -> None:
    """Put the staged build in `final`'s place; the old site is deleted later
    (or, `keep_folders`, emptied for the next build: `retire`)."""
    if not final.exists():
        staging.rename(final)
        return
    retired = final.with_name(f".{final.name}-old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    final.rename(retired)
    try:
        staging.rename(final)
    except BaseException:
        retired.rename(final)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retire(retired, final, keep_folders=keep_folders)


_discarding: list[threading.Thread] = []
# Folders emptied for the next build of this process beside each live
# folder: (the folder, the thread emptying it, whether it is all emptied).
_SPARES: dict[str, tuple[Path, threading.Thread, list[bool]]] = {}


def retire(folder: Path, final: Path, *, keep_folders: bool = False) -> None:
    """`folder`, beside `final`, holds no live site (any more): delete it in
    the background, or (`keep_folders`, for a process that builds again:
    `serve`) empty it of files in the background and keep its folders for the
    next build to build in (make_staging): making a city's 19,000 page
    folders again took three seconds of every save."""
    kind = "spare" if keep_folders else "trash"
    renamed = final.with_name(f".{final.name}-{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        # A half-deleted site must never be taken for the one to restore
        # (the sweep puts an "old" folder back when output/ is missing).
        folder.rename(renamed)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    if not keep_folders:
        discard(renamed)
        return
    emptied: list[bool] = []
    thread = threading.Thread(target=_empty, args=(renamed, emptied), name="empty")
    before = _SPARES.pop(str(final), None)
    try:
        thread.start()
    except RuntimeError:  # the interpreter is shutting down
        shutil.rmtree(renamed, ignore_errors=True)
    else:
        _SPARES[str(final)] = (renamed, thread, emptied)
    if before is not None:
        before[1].join()
        discard(before[0])


def _empty(folder: Path, emptied: list[bool]) -> None:
    """Unlink every file under `folder` (links to the live site's files among
    them: the live files stay), leaving its folders; `emptied` is told when
    all went."""
    try:
        pending = [str(folder)]
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        os.unlink(entry.path)
    except OSError:
        return
    emptied.append(True)


def _take_spare(final: Path) -> Path | None:
    spare = _SPARES.pop(str(final), None)
    if spare is None:
        return None
    folder, thread, emptied = spare
    thread.join()
    if not emptied:  # a file it could not unlink: not a staging folder
        discard(folder)
        return None
    return folder


def discard(folder: Path) -> None:
    """Delete `folder` in the background (a folder no live site is in)."""
    thread = threading.Thread(
        target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, name="discard"
    )
    try:
        thread.start()
    except RuntimeError:  # the interpreter is shutting down
        shutil.rmtree(folder, ignore_errors=True)
        return
    # serve runs for hours: keep only the threads still deleting
    _discarding[:] = [*(t for t in _discarding if t.is_alive()), thread]


def wait_for_discards() -> None:
    """Return once every folder handed to `discard` is gone, and every spare
    kept for a next build (a process that builds no more: `serve` ending)."""
    for final in list(_SPARES):
        folder, thread, _emptied = _SPARES.pop(final)
        thread.join()
        discard(folder)
    while _discarding:
        _discarding.pop().join()


def sweep_leftovers(final: Path) -> None:
    """Remove the staging, retired and discarded folders of builds that were killed.

    Each is named after the process that made it; one whose process is gone
    is a leftover. A folder of a build still running (serve and a build at
    once) is left alone.
    """
    for leftover in sorted(final.parent.glob(f".{final.name}-*"), key=_age):
        kind, _, rest = leftover.name.removeprefix(f".{final.name}-").partition("-")
        if kind not in ("building", "old", "trash", "spare") or not leftover.is_dir():
            continue
        pid = rest.partition("-")[0]
        if pid.isdigit() and _running(int(pid)):
            continue
        if kind == "old" and not final.exists():
            # killed in the instant between moving the site aside and moving
            # the new one in: the site it moved aside is the one to keep
            leftover.rename(final)
            continue
        shutil.rmtree(leftover, ignore_errors=True)


def _age(path: Path) -> float:
    """Newest first; a folder gone meanwhile (another build swept it) last."""
    try:
        return -path.stat().st_mtime
    except OSError:
        return 0.0


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    return True
