"""The output folder's side of a build: a staging folder beside it, swapped in whole.

A build writes into a fresh staging folder beside output/; only a finished
(and checked) build replaces output/, by two renames, so output/ is never
half-written, emptied or half-updated (a build of `serve`'s laid over the
live site, at the end, is finished by the next build if killed halfway).
Before the swap, every staged file whose bytes, mode and owner equal the live
file's is replaced by a hard link to it, so it keeps its inode and mtime:
whatever looks at mtimes
(rsync, a CDN's origin, a web server's Last-Modified) sees only what changed.
A build that changed nothing leaves output/ untouched.

Folders no build needs any more are deleted by a background thread, so a
build returns once the new site is in place; the thread is not a daemon, so a
process finishes deleting before it exits, and what a killed process left is
swept by the next build. A build of `serve`'s after its first is not staged
whole but laid over the live site (`lay_over`, at the end).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..core.kept import same_bytes
from ..core.tree import files_under, folders_of

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


def make_staging(final: Path) -> Path:
    """A fresh folder beside `final`, named after this process for the sweep."""
    staging = Path(
        tempfile.mkdtemp(prefix=f".{final.name}-building-{os.getpid()}-", dir=final.parent)
    )
    # mkdtemp makes a private (0700) folder; once swapped in it is the web
    # root, which a web server must be able to read like any folder.
    staging.chmod(0o777 & ~current_umask())
    return staging


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def keep_unchanged(staging: Path, final: Path) -> Changes | None:
    """Make every staged file that equals its live twin a hard link to it.

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
        return None
    changes = Changes()
    staged_root = os.lstat(staging)
    if stat.S_IMODE(staged_root.st_mode) != stat.S_IMODE(live_root.st_mode):
        changes.others = True
    _compare(str(staging), str(final), changes, root=True)
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
) -> None:
    try:
        live_entries = {entry.name: entry for entry in os.scandir(live)}
    except OSError:  # removed meanwhile by another build's swap
        live_entries = {}
    names = set()
    for entry in os.scandir(staged):
        twin = live_entries.get(entry.name)
        here = entry.stat(follow_symlinks=False)
        try:
            there = twin.stat(follow_symlinks=False) if twin else None
        except OSError:
            there = None
        if stat.S_ISDIR(here.st_mode):
            if there is not None and stat.S_ISDIR(there.st_mode):
                _compare(entry.path, twin.path, changes)
                if stat.S_IMODE(here.st_mode) != stat.S_IMODE(there.st_mode):
                    changes.others = True
            else:
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
    gone = live_entries.keys() - names
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
    # new, as the sweep tells the newest of two retired sites by it.
    if not root and not gone and len(names) == len(live_entries):
        try:
            there = os.lstat(live)
        except OSError:
            return
        changes.times.append((staged, there.st_atime_ns, there.st_mtime_ns))


def _same_file(staged: str, live: str, here: os.stat_result, there: os.stat_result) -> bool:
    """Whether the live file holds the staged file's bytes, mode and owner.
    One that does may stay in its place (linked, kept by the overlay, or the
    live site kept whole): it then stands for the staged one (kept.same_bytes)."""
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
                    same_bytes(there, here)
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


def swap_in(staging: Path, final: Path) -> None:
    """Put the staged build in `final`'s place; the old site is deleted later."""
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
    retire(retired, final)


class HeldInterrupt:
    """Whether Ctrl+C came while `interrupts_held` held it."""

    def __init__(self) -> None:
        self.asked = False

    def ask(self, *_) -> None:
        self.asked = True


@contextlib.contextmanager
def interrupts_held():
    """Hold Ctrl+C (SIGINT) until the block ends: a site swapped in or laid
    over is never left half-way by it (laying a city's save over the live
    site moves a few hundred files). The caller raises it after, by `.asked`.
    Only the main thread can hold it; elsewhere, and where SIGINT is ignored
    or not Python's to handle, nothing changes."""
    held = HeldInterrupt()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if main else None
    if previous is None or previous is signal.SIG_IGN:
        yield held
        return
    signal.signal(signal.SIGINT, held.ask)
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)


_discarding: list[threading.Thread] = []


def retire(folder: Path, final: Path) -> None:
    """`folder`, beside `final`, holds no live site (any more): delete it in the background."""
    renamed = final.with_name(f".{final.name}-trash-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        # A half-deleted site must never be taken for the one to restore
        # (the sweep puts an "old" folder back when output/ is missing).
        folder.rename(renamed)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    discard(renamed)


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
    """Return once every folder handed to `discard` is gone."""
    while _discarding:
        _discarding.pop().join()


def sweep_leftovers(final: Path) -> None:
    """Remove the staging, retired and discarded folders of builds that were
    killed, once a build one of them was laying over the live site is finished.

    Each is named after the process that made it; one whose process is gone
    is a leftover. A folder of a build still running (serve and a build at
    once) is left alone.
    """
    for journal in final.parent.glob(f".{final.name}-journal-*"):
        pid = journal.name.removeprefix(f".{final.name}-journal-").partition("-")[0]
        # this process's own: a build of it failed laying over (it builds one at a time)
        if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
            continue
        if journal.name.endswith(".part"):  # killed before anything was laid over
            journal.unlink(missing_ok=True)
        else:
            _finish(journal, final)
    for leftover in sorted(final.parent.glob(f".{final.name}-*"), key=_age):
        kind, _, rest = leftover.name.removeprefix(f".{final.name}-").partition("-")
        # ("spare": the emptied site an earlier version's `serve` built in)
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


# Laying a build over the live site (`serve`). A city's site is 22,000
# files in 19,000 folders, of which a save changes a handful: staging the
# whole site for every save (linking each file the save left alone, walking
# both trees to compare them, swapping, emptying the retired one) took three
# seconds. A build of `serve`'s that goes live where this process put the
# last one writes only what it makes, takes the rest from the live site
# unwritten (core.tree.stand_in), and is laid over it: each written file
# with other bytes than the live one is moved in, each live file the build
# no longer makes is removed. What it changes is written to a journal
# first, so that a process killed halfway is finished by the next build
# (sweep_leftovers): the site is never left half-updated for longer than
# the moves take.


@dataclass(frozen=True)
class _LiveTree:
    """The site a build of this process put live, as it left it."""

    root: tuple[int, int]  # the live folder's device and inode
    names: frozenset[str]  # every file, from the root
    folders: dict[str, tuple[int, int]]  # "" and every folder -> (mode, mtime_ns)


_LIVE_TREES: dict[str, _LiveTree] = {}


def record_live(final: Path, names, *, seen: dict[str, tuple[int, int]] | None = None) -> None:
    """`final` holds exactly the files `names` now, as a build of this
    process left it: a next build may be laid over it (`can_lay_over`).
    `seen`: folders whose mode and mtime are known already."""
    try:
        root = os.lstat(final)
        folders = {}
        for folder in folders_of(names):
            known = seen.get(folder) if seen else None
            if known is None:
                found = os.lstat(os.path.join(final, folder))
                known = (found.st_mode, found.st_mtime_ns)
            folders[folder] = known
    except OSError:
        _LIVE_TREES.pop(str(final), None)
        return
    _LIVE_TREES[str(final)] = _LiveTree((root.st_dev, root.st_ino), frozenset(names), folders)


def forget_live(final: Path) -> None:
    _LIVE_TREES.pop(str(final), None)


def can_lay_over(final: Path) -> bool:
    """Whether the site at `final` is the one a build of this process left
    (`record_live`), so that the next may be laid over it: not another
    build's, swapped in meanwhile."""
    live = _LIVE_TREES.get(str(final))
    try:
        root = os.lstat(final)
    except OSError:
        return False
    return live is not None and live.root == (root.st_dev, root.st_ino)


def lay_over(staging: Path, final: Path, names: set[str]) -> Changes:
    """Make the live site at `final` the build in `staging`, which holds the
    files the build wrote, while `names` are all the build's files (those it
    took from the live site too): a written file the same as the live one is
    dropped, the others are moved in, and live files not in `names` removed.
    A live folder or file changed by hand since (a mode, a name added or
    removed: a folder's mtime tells) is made as the build makes it.
    `staging` is gone when this returns.

    Raises LiveSiteReplaced, with nothing done, when another build swapped
    its site in at `final` since this one began: what it took is gone. Raises
    what it could not do otherwise; once it began to move files, a journal
    lets the next build finish (sweep_leftovers), and that build is staged
    whole in any case (this process no longer knows the live site)."""
    live = _LIVE_TREES.pop(str(final), None)
    try:
        if live is None:  # forgotten meanwhile: another build of this process
            raise LiveSiteReplaced(final)
        return _lay_over(staging, final, names, live)
    except BaseException:
        begun = False
        for journal in final.parent.glob(f".{final.name}-journal-{os.getpid()}-*"):
            if journal.name.endswith(".part"):  # not written whole: nothing moved
                journal.unlink(missing_ok=True)
            else:
                begun = True
        if not begun:
            shutil.rmtree(staging, ignore_errors=True)  # nothing moved: the site is as it was
        raise


class LiveSiteReplaced(Exception):
    """Another build swapped its site in while a build was to be laid over the last."""


def _lay_over(staging: Path, final: Path, names: set[str], live: _LiveTree) -> Changes:
    root = os.lstat(final)
    if (root.st_dev, root.st_ino) != live.root:
        raise LiveSiteReplaced(final)
    changes = Changes()
    mode = 0o777 & ~current_umask()
    unmodes: list[str] = []  # live folders whose mode is not a fresh build's
    strays: list[str] = []  # names in a live folder no build of this process made
    seen: dict[str, tuple[int, int]] = {}
    for folder, (was_mode, was_mtime) in live.folders.items():
        here = os.path.join(final, folder)
        try:
            found = os.lstat(here)
        except OSError:
            changes.others = True
            continue
        if not stat.S_ISDIR(found.st_mode):
            continue  # a file now where a folder was: its files are gone, moved in again
        if stat.S_IMODE(found.st_mode) != mode:
            unmodes.append(folder)
        if found.st_mtime_ns != was_mtime or found.st_mode != was_mode:
            prefix = folder + "/" if folder else ""
            for entry in os.scandir(here):
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name not in live.folders:
                        strays.append(name)
                elif name not in live.names and name not in names:
                    # (a file at a name the build makes is moved over, or kept)
                    strays.append(name)
        seen[folder] = (found.st_mode, found.st_mtime_ns)
    moves: list[str] = []
    new: list[str] = []  # moved to a name the live site lacks
    for written in sorted(files_under(staging), key=lambda found: found.name):
        twin = os.path.join(final, written.name)
        try:
            there = os.lstat(twin)
        except OSError:
            there = None
        if there is not None and _same_file(written.path, twin, written.stat, there):
            continue
        moves.append(written.name)
        if there is None:
            new.append(written.name)
    gone = sorted(live.names - names)
    changes.written = len(moves)
    changes.removed = len(gone) + len(strays)
    changes.others = changes.others or bool(unmodes or strays)
    if changes.none:
        shutil.rmtree(staging, ignore_errors=True)
        record_live(final, names, seen=seen)
        return changes
    journal = final.with_name(f".{final.name}-journal-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    part = journal.with_name(journal.name + ".part")
    part.write_text(
        json.dumps(
            {"staging": staging.name, "remove": gone + strays, "move": moves}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    os.replace(part, journal)
    # a folder whose names stay the same keeps its mtime, as when staged
    changing = {name.rpartition("/")[0] for name in (*new, *gone, *strays)}
    times = {}
    for name in moves:
        folder = name.rpartition("/")[0]
        if folder not in changing and folder in seen and folder not in times:
            found = os.lstat(os.path.join(final, folder))
            times[folder] = (found.st_atime_ns, found.st_mtime_ns)
    made, pruned = _lay(staging, final, gone + strays, moves)
    for folder in unmodes:
        with contextlib.suppress(OSError):
            os.chmod(os.path.join(final, folder), mode)
    renamed = {folder.rpartition("/")[0] for folder in made | pruned}
    for folder, (accessed, modified) in times.items():
        if folder not in renamed:
            with contextlib.suppress(OSError):
                os.utime(os.path.join(final, folder), ns=(accessed, modified))
    journal.unlink()
    for folder in changing | renamed | set(times) | set(unmodes) | pruned | made:
        seen.pop(folder, None)
    record_live(final, names, seen=seen)
    return changes


def _lay(staging: Path, final: Path, remove: list[str], moves: list[str]):
    """Remove `remove` from `final`, then move each of `moves` from `staging`
    to the same name in `final`, and delete `staging`; the folders made and
    the folders pruned (left empty). Run again on what a killed run left, it
    finishes it: a name already moved in is neither removed nor moved again."""
    moving = set(moves)
    above = folders_of(moves)
    pruned: set[str] = set()
    for name in remove:
        path = os.path.join(final, name)
        if name in moving:
            continue  # moved over, not removed
        if os.path.isdir(path) and not os.path.islink(path):
            if name in above:
                continue  # the folder a file moved in had to become, on a run before
            shutil.rmtree(path, ignore_errors=True)
        else:
            # (gone already, or a folder above it is a file of the build's now)
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                os.unlink(path)
        folder = name.rpartition("/")[0]
        while folder and folder not in pruned:
            try:
                os.rmdir(os.path.join(final, folder))
            except OSError:  # not empty (or gone): the folders above are not either
                break
            pruned.add(folder)
            folder = folder.rpartition("/")[0]
    made: set[str] = set()
    for name in moves:
        source = os.path.join(staging, name)
        if not os.path.lexists(source):
            continue  # moved in by a run before
        folder = name.rpartition("/")[0]
        missing = folder
        while missing and not os.path.isdir(os.path.join(final, missing)):
            made.add(missing)
            missing = missing.rpartition("/")[0]
        if missing != folder:
            os.makedirs(os.path.join(final, folder), exist_ok=True)
        os.replace(source, os.path.join(final, name))
    shutil.rmtree(staging, ignore_errors=True)
    return made, pruned - made


def _finish(journal: Path, final: Path) -> None:
    """Finish laying a build over `final` that a killed process began, as
    far as it can: the next build of `serve`'s is staged whole whatever this
    leaves (a new process, or one whose lay failed, knows no live site)."""
    try:
        told = json.loads(journal.read_text(encoding="utf-8"))
        if not re.fullmatch(rf"\.{re.escape(final.name)}-building-[^/]+", told["staging"]):
            raise ValueError("not a staging folder of this site")
        staged = final.parent / told["staging"]
        remove = [name for name in told["remove"] if isinstance(name, str)]
        moves = [name for name in told["move"] if isinstance(name, str)]
        if staged.is_dir() and final.is_dir():
            _lay(staged, final, remove, moves)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    journal.unlink(missing_ok=True)
