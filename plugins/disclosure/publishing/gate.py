"""The gate: what a finished build must pass before anything leaves the machine.

Every check runs and every problem is reported together: files a web server
can read, a content type for every kind of file, every internal link and
anchor resolving under the site's address, valid HTML5, and a completeness
report with no error.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

from ..core.problems import Position, Problem
from . import html_check
from .content_types import CONTENT_TYPES
from .links import SiteLinks


def check_site(folder: Path, site_url: str, shown_root: str) -> list[Problem]:
    problems = [
        *_files(folder, shown_root),
        *SiteLinks(folder, site_url, shown_root).check(),
        *_completeness(folder, shown_root),
    ]
    try:
        problems += html_check.check(folder, shown_root)
    except html_check.CheckerMissing as missing:
        code, _, message = str(missing).partition(" ")
        problems.append(Problem(Position(shown_root), code, message))
    return sorted(problems, key=lambda p: p.sort_key)


def _shown(folder: Path, path: Path, shown_root: str) -> str:
    return f"{shown_root}/{path.relative_to(folder).as_posix()}".rstrip("/")


def _files(folder: Path, shown_root: str) -> list[Problem]:
    """Every file and folder readable by the web server, every file of a known kind."""
    problems = []
    for path in [folder, *sorted(folder.rglob("*"))]:
        where = Position(_shown(folder, path, shown_root))
        mode = path.stat().st_mode
        needed = (stat.S_IROTH | stat.S_IXOTH) if path.is_dir() else stat.S_IROTH
        if mode & needed != needed:
            problems.append(
                Problem(
                    where,
                    "G301",
                    f"网页服务器无权读取（权限 {stat.filemode(mode)}）："
                    "文件夹应为 755、文件应为 644，请检查 umask（应为 022）",
                )
            )
        if path.is_file() and path.suffix.lower() not in CONTENT_TYPES:
            problems.append(
                Problem(
                    where,
                    "G201",
                    f"不知道用什么类型（Content-Type）发布 {path.name}：请在 "
                    "publishing/content_types.py 的 CONTENT_TYPES 中登记，或不要输出这个文件",
                )
            )
    return problems


def _completeness(folder: Path, shown_root: str) -> list[Problem]:
    problems = []
    for report in sorted(folder.rglob("report.json")):
        try:
            summary = json.loads(report.read_text("utf-8"))["summary"]
        except (ValueError, KeyError, TypeError):
            continue
        if summary.get("errors"):
            problems.append(
                Problem(
                    Position(_shown(folder, report, shown_root)),
                    "G401",
                    f"公开情况报告中有 {summary['errors']} 个错误：有错误时不能正式发布",
                )
            )
    return problems
