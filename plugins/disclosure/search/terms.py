"""How text is cut into search terms: the one definition search.js repeats.

Chinese is written without spaces, and no dictionary segmenter agrees with
itself on a street name or a committee's name, so Han text is indexed by
every character and every pair of neighbouring characters (居委会 → 居 委 会
居委 委会). A query is cut the same way: its pairs must all be on a page
(one character alone needs only itself), and search.js then checks the page
holds the query's characters in a row. Latin letters and digits are read as
lowercase words (021-6418 1185 → 021 6418 1185); everything else separates.
Both sides fold text with NFKC first, so full-width １２ and ＡＢ are 12 and ab.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Han ideographs: 〇, Extension A, the unified block, compatibility
# ideographs, and the supplementary planes' extensions (B and after).
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(f"([{HAN}]+)|([a-z0-9]+)")


def fold(text: str) -> str:
    """What both sides compare: NFKC, lowercase."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class Token:
    """A run of Han characters, or one word, of folded text."""

    text: str
    han: bool

    @property
    def terms(self) -> list[str]:
        """The index keys a page must have to hold this token."""
        if not self.han or len(self.text) == 1:
            return [self.text]
        return list(dict.fromkeys(pairs(self.text)))


def tokens(text: str) -> list[Token]:
    """The Han runs and words of `text`, in order (`text` is folded here)."""
    return [
        Token(match.group(), han=match.group(1) is not None)
        for match in _TOKEN.finditer(fold(text))
    ]


def pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> set[str]:
    """Every key a page with this text is found by: each word, each Han
    character and each pair of neighbouring Han characters."""
    found: set[str] = set()
    for token in tokens(text):
        if token.han:
            found.update(token.text)
            found.update(pairs(token.text))
        else:
            found.add(token.text)
    return found


def query_terms(query: str) -> list[str]:
    """The keys a page must all have to hold every token of `query`."""
    return list(dict.fromkeys(term for token in tokens(query) for term in token.terms))
