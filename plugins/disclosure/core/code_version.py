"""Which code made a result kept on disk: a result made by other code is not taken.

Typed records (record_cache), files the leak scan found clean and pages the
search read (kept) are kept between processes by digests of what they were
made from. What made them is this plugin's modules and the libraries that
read for it, so a changed rule or an upgraded library starts afresh.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
# The libraries whose reading a kept result depends on: YAML, Markdown and
# HTML cleaning (records), libxml2 through lxml (search), pdfium (the leak
# scan of PDFs).
_LIBRARIES = ("PyYAML", "Markdown", "nh3", "lxml", "pypdfium2")


# what version_of names a version: the first 20 hex digits of a digest
_VERSION_NAME = re.compile(r"[0-9a-f]{20}")


@functools.cache
def code_version() -> str:
    return version_of(_PACKAGE)


def version_of(package: Path) -> str:
    """A digest of the plugin's modules under `package`, the libraries it
    reads with, and Python (its Unicode tables)."""
    digest = hashlib.sha256()
    for part in (sys.version, unicodedata.unidata_version, *map(_installed, _LIBRARIES)):
        digest.update(part.encode() + b"\0")
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def _installed(library: str) -> str:
    try:
        return f"{library} {metadata.version(library)}"
    except metadata.PackageNotFoundError:
        return f"{library} none"


def remove_other_versions(folder: Path) -> None:
    """Remove the folders beside `folder` (one per code version, under one
    root) that code which is gone wrote; only folders named as a code
    version is, whatever else someone put there."""
    for other in folder.parent.iterdir():
        if other.is_dir() and other != folder and _VERSION_NAME.fullmatch(other.name):
            shutil.rmtree(other, ignore_errors=True)
