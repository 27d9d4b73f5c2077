"""Results kept for the next build: at most so many, the one used longest ago going first."""

from __future__ import annotations

from disclosure.core.kept import Kept


def test_the_result_used_longest_ago_goes_first():
    kept = Kept(2)
    kept.keep("a", 1)
    kept.keep("b", None)  # a result may be None (a page not to index)
    assert kept["a"] == 1  # used now: "b" is the older
    kept.keep("c", 3)
    assert "b" not in kept and "a" in kept and "c" in kept
    kept.keep("a", 4)  # kept again: its new result, and the newest
    kept.keep("d", 5)
    assert ("c" in kept, kept["a"], kept["d"]) == (False, 4, 5)
