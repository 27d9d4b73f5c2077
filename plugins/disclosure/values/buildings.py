"""Building lists as staff write them: `1号楼`, or a range such as `1-26号楼`."""

from __future__ import annotations

import re
import unicodedata

_RANGE = re.compile(r"^(?P<pre>.*?)(?P<a>\d+)\s*(?:-|–|—|~|至|到)\s*(?P<b>\d+)(?P<post>\D*)$")
MAX_RANGE = 999


def expand(items: list[str]) -> list[str]:
    """`["1-3号楼", "5号楼"]` -> `["1号楼", "2号楼", "3号楼", "5号楼"]`, in order."""
    out: list[str] = []
    for item in items:
        normal = unicodedata.normalize("NFKC", item).strip()
        match = _RANGE.match(normal)
        if match:
            first, last = int(match["a"]), int(match["b"])
            if first <= last and last - first < MAX_RANGE:
                out.extend(f"{match['pre']}{n}{match['post']}" for n in range(first, last + 1))
                continue
        out.append(normal)
    return out
