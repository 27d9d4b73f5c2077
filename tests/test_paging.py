"""Cutting listings into pages: nothing lost, nothing reordered, no page over its size."""

from __future__ import annotations

import random

import pytest
from disclosure.paging import cut, cut_groups, page_url, pages


def test_a_listing_is_cut_in_order_and_an_empty_one_is_one_page():
    assert cut(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert cut([], 3) == [[]]


def test_page_one_is_the_listing_itself_and_later_pages_follow_the_setting():
    assert page_url({}, "committees/", 1) == "committees/"
    assert page_url({}, "committees/", 2) == "committees/page/2/"
    custom = {"LISTING_PAGE_URL": "{listing}{number}.html"}
    assert page_url(custom, "events/", 3) == "events/3.html"


def test_each_page_knows_its_neighbours_and_every_label():
    listing = pages({}, "events/", [[1], [2], [3]], ["一", "二", "三"])
    assert [p.url for p in listing] == ["events/", "events/page/2/", "events/page/3/"]
    middle = listing[1]
    assert (middle.previous.url, middle.next.url, middle.label) == (
        "events/",
        "events/page/3/",
        "二",
    )
    assert listing[0].previous is None and listing[2].next is None
    assert [link.label for link in middle.links] == ["一", "二", "三"]


def test_a_group_stays_whole_where_it_fits_and_runs_on_where_it_does_not():
    months = [("10月", [1, 2]), ("11月", [3, 4, 5]), ("12月", [6, 7, 8, 9, 10, 11, 12])]
    cut_pages = cut_groups(
        [months],
        4,
        lambda g: g[1],
        lambda g, items, more: (g[0] + ("（续）" if more else ""), items),
    )
    assert [page[0] for page in cut_pages] == [
        [("10月", [1, 2])],  # 11月 fits a page of its own, so it starts one
        # 12月 fits none, so it fills what is left and runs on
        [("11月", [3, 4, 5]), ("12月", [6])],
        [("12月（续）", [7, 8, 9, 10])],
        [("12月（续）", [11, 12])],
    ]


@pytest.mark.parametrize("weighted", [False, True])
def test_any_listing_keeps_every_member_in_order_within_the_size(weighted):
    def weight(member):
        return member % 4 + 1 if weighted else 1

    chance = random.Random(13)
    for _ in range(1000):
        size = chance.randint(1, 7)
        sections = [
            [
                (g, [chance.randint(1, 9) for _ in range(chance.randint(1, 12))])
                for g in range(chance.randint(0, 4))
            ]
            for _ in range(chance.randint(1, 2))
        ]
        cut_pages = cut_groups(
            sections, size, lambda g: g[1], lambda g, ms, more: (g[0], list(ms)), weight
        )
        for index, section in enumerate(sections):
            wanted = [m for group in section for m in group[1]]
            assert [m for page in cut_pages for g in page[index] for m in g[1]] == wanted
        for page in cut_pages:
            held = [m for part in page for g in part for m in g[1]]
            # only a single member heavier than a page may pass the size
            assert sum(map(weight, held)) <= size or len(held) == 1
            assert held or len(cut_pages) == 1
