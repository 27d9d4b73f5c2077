"""The leak scan's fast paths give what the plain definitions give.

`narrow` skips ASCII and CJK ideographs; `digit_runs` lets the regex skip
runs of fewer than seven digits, and leaves unfolded the Chinese punctuation
that is the same to a run folded or not. Each is held here to the slow, obvious
version on arbitrary text, including the digits, separators and marks that
staff and hostile editors type.
"""

from __future__ import annotations

import re

from disclosure.values.phones import (
    _BETWEEN,
    _FOLDED,
    _GROUPS,
    _SAME_TO_RUNS,
    DigitRun,
    digit_runs,
    narrow,
)
from hypothesis import given, settings
from hypothesis import strategies as st

_PLAIN_RUN = re.compile(r"\d+(?:(?:" + _BETWEEN + r"|\+)+\d+)*", re.ASCII)


def plain_digit_runs(text: str) -> list[DigitRun]:
    runs = []
    for match in _PLAIN_RUN.finditer(text.translate(_FOLDED)):
        ends, digits = {0}, ""
        for group in _GROUPS.findall(match.group()):
            digits += group
            ends.add(len(digits))
        if len(digits) >= 7:
            runs.append(DigitRun(digits, frozenset(ends)))
    return runs


# what a page is made of: markup, Chinese, digits of every script, the
# separators people put in numbers, invisible and combining marks
PIECES = st.sampled_from(
    [
        "<td>", " ", "\n        ", "-", "—", "一", "，", "、", "·", "+", "转", "(", "）",
        "021", "6418", "1185", "136", "4211", "6136", "2026", "0086", "86",
        "０２１", "６４１８", "٠١٢٣٤٥٦٧٨٩", "①②", "\u200b", "\u00ad", "\u0301", "\u3000",
        "居委会", "电话", "豈", "ｆｕｌｌ", "\U0001d7ce\U0001d7cf",
        "：", "（", "；", "。", "！", "？", "“", "”", "《", "》", "【", "…", "．", "－",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(), st.lists(PIECES, max_size=40).map("".join))


@settings(max_examples=400)
@given(TEXTS)
def test_narrow_is_the_table_applied_to_every_character(text):
    assert narrow(text) == text.translate(_FOLDED)


@settings(max_examples=400)
@given(TEXTS)
def test_digit_runs_are_the_runs_of_seven_digits_or_more(text):
    assert digit_runs(text) == plain_digit_runs(text)


def test_cjk_ideographs_fold_to_themselves():
    # why narrow may skip them
    changed = [hex(c) for c in range(0x4E00, 0xA000) if _FOLDED[c] != chr(c)]
    assert changed == []


def test_punctuation_left_unfolded_is_the_same_to_a_run_as_its_fold():
    # a digit on each side: joined by the mark exactly when joined by its fold
    for mark in _SAME_TO_RUNS:
        folded = narrow(mark)
        assert not folded.isdigit(), mark
        assert digit_runs(f"1364{mark}2116136") == plain_digit_runs(f"1364{folded}2116136"), mark


# what the open data, report and search index hold around numbers: JSON's
# quotes and brackets, CSV's letters, and digits with what joins them
JSON_PIECES = st.sampled_from(
    [
        '"', ":", "{", "}", "[", "]", "=", "<", "a", "Z", ",", " ", "\n", "-", "一", "，",
        "（", "）", "+", "\u200b", "０２１", "021", "6418", "1185", "136", "4211", "6136",
    ]
)  # fmt: skip
JSON_TEXTS = st.one_of(st.lists(JSON_PIECES, max_size=40).map("".join), st.text())


@settings(max_examples=600)
@given(JSON_TEXTS, st.integers(min_value=0, max_value=12))
def test_a_text_read_in_pieces_holds_the_runs_it_holds_whole(text, size):
    """The leak scan reads a long file in pieces (output_scan.pieces), each
    piece found clean kept by its digest: no run of digits may be cut."""
    from disclosure.output_scan import pieces
    from disclosure.values.phones import written_runs

    cut = pieces(text, size)
    assert "".join(cut) == text
    assert [run for piece in cut for run in written_runs(piece)] == written_runs(text)
