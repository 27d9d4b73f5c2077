"""Building lists as staff write them: `1号楼`, or a range such as `1-26号楼`."""

from __future__ import annotations

import re
import unicodedata

_RANGE = re.compile(
    r"^(?P<pre>.*?)(?P<a>[0-9]{1,6})\s*(?:-|–|—|~|至|到)\s*(?P<b>[0-9]{1,6})(?P<post>[^0-9]*)$"
)
MAX_RANGE = 999
# `21 号楼` is `21号楼`: no space between a number and what it numbers
_GAP = re.compile(r"(?<=[0-9])\s+(?=[号幢栋座])|(?<=号)\s+(?=楼)")


def normalise(name: str) -> str:
    """One spelling per building: full-width digits and spaces as ASCII (NFKC),
    no space between the number and 号楼."""
    return _GAP.sub("", unicodedata.normalize("NFKC", name).strip())


def expand(items: list[str]) -> list[str]:
    """`["1-3号楼", "5号楼"]` -> `["1号楼", "2号楼", "3号楼", "5号楼"]`, in order."""
    out: list[str] = []
    for item in items:
        normal = normalise(item)
        match = _RANGE.match(normal)
        if match:
            first, last = int(match["a"]), int(match["b"])
            if first <= last and last - first < MAX_RANGE:
                out.extend(f"{match['pre']}{n}{match['post']}" for n in range(first, last + 1))
                continue
        out.append(normal)
    return out
