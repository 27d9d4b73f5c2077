"""Slugs: the lowercase ASCII names of record files, tasks and series, which become URLs.

Declared once: the loader, the schema engine, the JSON schemas for editors
and report.json all use this pattern.
"""

from __future__ import annotations

import functools
import re

from ..values.phones import find_numbers

# ECMAScript and Python read it alike, so JSON Schema can carry it as is.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG = re.compile(SLUG_PATTERN)


@functools.lru_cache(maxsize=100_000)  # every file name, again on every save in `serve`
def number_in_slug(slug: str) -> str | None:
    """Why a name that becomes a URL may not be used: it holds a phone or ID number."""
    found = find_numbers(slug.replace("-", " "))
    if not found:
        return None
    what = "身份证号码" if found[0].kind == "id" else "电话号码"
    return f"名字里有{what} {found[0].shown}：它会成为网址，公开给所有人，请换一个名字"
