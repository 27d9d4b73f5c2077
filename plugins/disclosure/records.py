"""Find, read and type every record under content/data, in one pass."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import yaml_text
from .problems import Position, Problem, Severity, errors, quoted
from .record_types import CATALOGUE, COMMITTEE, SUBDISTRICT, Catalogue, Committee, Subdistrict
from .schema import INVALID, Context, Obj

DATA_DIR = "data"
RECORD_SUFFIXES = (".yaml", ".yml")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class SiteData:
    subdistrict: Subdistrict | None = None
    catalogue: Catalogue | None = None
    committees: list[Committee] = field(default_factory=list)
    committee_slugs: set[str] = field(default_factory=set)  # every file, valid or not
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)


def display_path(path: Path, base: Path) -> str:
    """Paths in messages are relative to where staff run commands, when possible."""
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_record(path: Path, shown: str, declaration: Obj, **extra):
    """One file -> (typed record or None, its problems)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(Position(shown), "E000", f"无法读取文件：{error.strerror}")]
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


def _kind_name(node: yaml_text.Node) -> str:
    if isinstance(node, yaml_text.Sequence):
        return "列表"
    if isinstance(node, yaml_text.Scalar):
        return f"一段文字 {quoted(node.text[:20])}"
    return "无法读取的值"


def _record_files(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~", "#")) or not path.is_file():
            continue
        yield path


def load_site_data(content: Path, base: Path | None = None) -> SiteData:
    """Read subdistrict.yaml, catalogue.yaml and committees/*.yaml under content/data."""
    base = base or Path.cwd()
    data_dir = content / DATA_DIR
    site = SiteData()

    for name, declaration, attribute, what in (
        ("subdistrict.yaml", SUBDISTRICT, "subdistrict", "街道记录"),
        ("catalogue.yaml", CATALOGUE, "catalogue", "公开目录"),
    ):
        path = data_dir / name
        shown = display_path(path, base)
        if not path.is_file():
            site.problems.append(
                Problem(Position(shown), "E200", f"缺少{what}文件 {name}，请对照示例创建")
            )
            continue
        record, problems = read_record(path, shown, declaration)
        setattr(site, attribute, record)
        site.problems += problems
        site.files_read += 1

    names: dict[str, Committee] = {}
    for path in _record_files(data_dir / "committees"):
        shown = display_path(path, base)
        if path.suffix not in RECORD_SUFFIXES:
            site.problems.append(_not_a_record(shown, path))
            continue
        site.files_read += 1
        problems = _slug_problems(shown, path.stem)
        site.committee_slugs.add(path.stem)
        committee, record_problems = read_record(path, shown, COMMITTEE, slug=path.stem)
        site.problems += problems + record_problems
        if committee is None or problems:
            continue
        if committee.name in names:
            first = names[committee.name].position.path
            site.problems.append(
                Problem(
                    committee.where("name"),
                    "E202",
                    f"居委会名称 {quoted(committee.name)} 与 {first} 重复",
                )
            )
            continue
        names[committee.name] = committee
        site.committees.append(committee)

    if (
        site.files_read
        and not names
        and not any(
            p.position.path.startswith(display_path(data_dir / "committees", base))
            for p in site.problems
        )
    ):
        site.problems.append(
            Problem(
                Position(display_path(data_dir / "committees", base)),
                "E201",
                "没有任何居委会记录：请在 committees 文件夹中为每个居委会建一个 .yaml 文件",
            )
        )
    return site


def _slug_problems(shown: str, stem: str) -> list[Problem]:
    if _SLUG.match(stem):
        return []
    return [
        Problem(
            Position(shown),
            "E115",
            "文件名会成为网址，只能用小写字母、数字和连字符（例如 rihui-liucun.yaml），"
            f"实际为 {quoted(stem)}",
        )
    ]


def _not_a_record(shown: str, path: Path) -> Problem:
    return Problem(
        Position(shown),
        "W120",
        f"这个文件不会被读取：记录文件名应以 .yaml 结尾，实际为 {quoted(path.name)}"
        "（Windows 可能隐藏了扩展名）",
        Severity.WARNING,
    )
