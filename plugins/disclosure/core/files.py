"""Read one record file: bytes -> text nodes -> a typed record, or its problems."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import yaml_text
from .kept import Kept
from .problems import Position, Problem, Severity, quoted
from .record_cache import RecordCache
from .schema import INVALID, Context, Obj
from .slugs import SLUG, number_in_slug
from .workers import available_cores, map_forked

RECORD_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path, base: Path) -> str:
    """Paths in messages are relative to where staff run commands, when possible."""
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_record(
    path: Path, shown: str, declaration: Obj, cache: RecordCache | None = None, **extra
):
    """One file -> (typed record or None, its problems)."""
    return read_records([(path, shown, declaration, extra)], cache)[0]


# Records typed in this process, by what they were typed from (the file's
# bytes, the name shown for it, its declaration and what the reader supplies):
# typing a file costs about 2 ms, half a minute for a city's unchanged
# thousands. Records are not changed once typed (a loader that resolves a
# name makes a new record), so one serves every build that reads the same
# bytes. Room for a city's committees and events, and more.
_TYPED: Kept[tuple[object | None, list[Problem]]] = Kept(20_000)


def _typed(data: bytes, shown: str, declaration: Obj, extra: dict):
    loaded = yaml_text.load(shown, data)
    if loaded.root is None:
        return None, loaded.problems
    ctx = Context(shown)
    if isinstance(loaded.root, yaml_text.Mapping):
        record = declaration.read(loaded.root, ctx, **extra)
    else:
        ctx.error(
            loaded.root.position,
            "E109",
            f"文件的最外层应为“字段: 值”的映射（{declaration.title}记录），"
            f"实际为{_kind_name(loaded.root)}",
        )
        record = INVALID
    problems = sorted(loaded.problems + ctx.problems, key=lambda p: p.sort_key)
    return (None if record is INVALID or problems else record), problems


# Below this many files, forking costs more than it saves.
_FILES_WORTH_SHARING = 64


def read_records(
    jobs: list[tuple[Path, str, Obj, dict]], cache: RecordCache | None = None
) -> list[tuple[object | None, list]]:
    """read_record(path, shown, declaration, **extra) for each job, in order.

    A file typed before from the same bytes is taken as typed then: by this
    process (`_TYPED`), or by any process with this code (`cache`, on disk).
    The others are typed shared among the cores (a district's folders hold
    thousands of files), and kept in both."""
    results: list = [None] * len(jobs)
    wanted: list[tuple[int, tuple, bytes, str | None]] = []
    for index, (path, shown, declaration, extra) in enumerate(jobs):
        try:
            data = path.read_bytes()
        except OSError as error:
            problem = Problem(Position(shown), "E000", f"无法读取文件：{error.strerror}")
            results[index] = (None, [problem])
            continue
        digest = hashlib.sha256(data).digest()
        key = (declaration, shown, tuple(sorted(extra.items())), digest)
        name = cache.name(declaration.cls, shown, extra, digest) if cache else None
        if key in _TYPED:
            typed = _TYPED[key]
        elif cache is None or (typed := cache.read(name)) is None:
            wanted.append((index, key, data, name))
            continue
        _TYPED.keep(key, typed)
        record, problems = typed
        results[index] = (record, list(problems))

    def type_one(item: tuple[int, tuple, bytes, str | None]):
        index, _key, data, _name = item
        _path, shown, declaration, extra = jobs[index]
        typed = _typed(data, shown, declaration, extra)
        if cache is None:
            return typed
        # pickled once, for the cache and for the way back from the worker
        # (pickling a city's records twice cost a worker a second of CPU)
        kept = cache.pickled(typed)
        return typed if kept is None else kept

    made = map_forked(type_one, wanted, available_cores(), least=_FILES_WORTH_SHARING)
    entries = []
    for (index, key, _data, name), typed in zip(wanted, made, strict=True):
        if isinstance(typed, bytes):
            entries.append((name, typed))
            typed = pickle.loads(typed)
        _TYPED.keep(key, typed)
        record, problems = typed
        results[index] = (record, list(problems))
    if cache is not None:
        cache.write_all(entries)
    return results


def _kind_name(node: yaml_text.Node) -> str:
    if isinstance(node, yaml_text.Sequence):
        return "列表"
    if isinstance(node, yaml_text.Scalar):
        return f"一段文字 {quoted(node.text[:20])}"
    return "无法读取的值"


def record_files(folder: Path) -> Iterator[os.DirEntry]:
    """Every entry of `folder` staff may have meant as a record (not hidden or
    backup), in the order of their names."""
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:
        found = sorted(entries, key=lambda entry: entry.name)
    for entry in found:
        if entry.name.startswith((".", "~", "#")):
            continue
        yield entry


def slug_problems(shown: str, stem: str) -> list[Problem]:
    if SLUG.match(stem):
        number = number_in_slug(stem)
        return [Problem(Position(shown), "E705", f"文件{number}")] if number else []
    return [
        Problem(
            Position(shown),
            "E115",
            "文件名会成为网址，只能用小写字母、数字和连字符（例如 rihui-liucun.yaml），"
            f"实际为 {quoted(stem)}",
        )
    ]


def not_a_record(shown: str, path: Path) -> Problem:
    return Problem(
        Position(shown),
        "W120",
        f"这个文件不会被读取：记录文件名应以 .yaml 结尾，实际为 {quoted(path.name)}"
        "（Windows 可能隐藏了扩展名）",
        Severity.WARNING,
    )


def named_records(
    folder: Path, base: Path, problems: list[Problem]
) -> Iterator[tuple[Path, str, list[Problem]]]:
    """Each record file in `folder`: its path, the path shown to staff, and any
    problem with its name (the name becomes a URL). Files that are not records
    are warned about in `problems` and skipped."""
    seen: dict[str, str] = {}  # slug -> the file that has it
    # a city's folder holds thousands of files: its own path is worked out
    # once, and each entry knows its kind without a stat (but a link)
    shown_folder = display_path(folder, base)
    for entry in record_files(folder):
        path = Path(entry.path)
        shown = entry.name if shown_folder == "." else f"{shown_folder}/{entry.name}"
        if entry.is_symlink() and not path.exists():
            problems.append(
                Problem(Position(shown), "E204", "这是一个失效的链接（快捷方式），指向的文件不存在")
            )
            continue
        if entry.is_dir():
            # nothing under a nested folder is read: say so rather than skip it
            what = (
                "是一个文件夹，不是记录文件"
                if path.suffix in RECORD_SUFFIXES
                else ("是一个文件夹，里面的文件不会被读取：记录文件请直接放在上一层文件夹里")
            )
            problems.append(Problem(Position(shown), "E205", f"{quoted(path.name)} {what}"))
            continue
        if path.suffix not in RECORD_SUFFIXES:
            problems.append(not_a_record(shown, path))
            continue
        if path.stem in seen:
            problems.append(
                Problem(
                    Position(shown),
                    "E203",
                    f"{quoted(path.name)} 与 {quoted(Path(seen[path.stem]).name)} 是同一条记录的"
                    "两个文件（网址相同）：请只保留一个",
                )
            )
            continue
        seen[path.stem] = shown
        yield path, shown, slug_problems(shown, path.stem)


@dataclass
class Loaded:
    """What reading one kind of record gave: its problems and how many files it read.

    Each kind's loader returns a subclass with its records; site.py combines them.
    """

    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
