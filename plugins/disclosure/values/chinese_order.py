"""Chinese order: how residents expect lists of committees, roads and buildings.

Numbers go by value, however they are written (一村 before 二村 before 十村,
2号楼 before 10号楼), and words by pinyin, so that 日晖一村 … 日晖六村 stand
together in that order and roads fall where a reader looks for them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
# Figures are always a number; numerals in words only before a counter, so
# that 零陵路 and 一号线 read as words but 日晖一村 and 十二号楼 as numbers.
_NUMBER = re.compile(r"[0-9]+|[〇零一二两三四五六七八九十百]+(?=[村号弄幢楼栋期片组街坊区单层室])")


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二六 → 2026, 26 → 26."""
    if text.isdigit():
        return int(text)
    if any(char not in _DIGITS and char not in "十百" for char in text):
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(_DIGITS[char]) for char in text))
    total, current = 0, 0
    for char in text:
        if char == "十":
            total, current = total + (current or 1) * 10, 0
        elif char == "百":
            total, current = total + (current or 1) * 100, 0
        else:
            current = _DIGITS[char]
    return total + current


# Large enough for a city's committees, roads and events; pinyin is the cost.
@lru_cache(maxsize=65536)
def chinese_key(text: str) -> tuple:
    """A sort key: numbers (in figures or in words) by value, the rest by pinyin."""
    normal = unicodedata.normalize("NFKC", text)
    key: list[tuple] = []
    position = 0
    for match in _NUMBER.finditer(normal):
        key += _words(normal[position : match.start()])
        value = chinese_number(match.group())
        key.append((0, value if value is not None else 0, ""))
        position = match.end()
    key += _words(normal[position:])
    return tuple(key)


def _words(text: str) -> list[tuple]:
    return [(1, 0, syllable) for syllable in lazy_pinyin(text, style=Style.TONE3) if syllable]


def initial(text: str) -> str:
    """The letter a reader looks a name up by: 日晖六村 → R; # for a name
    that starts with a number or anything else."""
    first = chinese_key(text)[:1]
    letter = first[0][2][:1].upper() if first and first[0][0] == 1 else ""
    return letter if "A" <= letter <= "Z" else "#"
