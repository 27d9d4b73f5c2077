"""The record that a build passed the gate, kept beside the output folder.

`deploy` sends only a build whose files are exactly the ones the gate passed:
a later development build, a hand edit or a failed publish all change the
digest, and the deploy refuses.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class CheckedBuild:
    digest: str  # of every file's path and bytes
    files: int
    site_url: str
    as_of: str
    demonstration: bool


def tree_digest(folder: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    count = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        count += 1
    return digest.hexdigest(), count


def stamp_path(output: Path) -> Path:
    return output.with_name(f".{output.name}-checked.json")


def write(output: Path, checked: CheckedBuild) -> None:
    target = stamp_path(output)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(asdict(checked), ensure_ascii=False, indent=2), "utf-8")
    os.replace(partial, target)


def forget(output: Path) -> None:
    stamp_path(output).unlink(missing_ok=True)


def read(output: Path) -> CheckedBuild | None:
    try:
        return CheckedBuild(**json.loads(stamp_path(output).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None
