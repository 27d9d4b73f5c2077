"""W130's indexed search gives what its plain definition gives.

A city has thousands of roads that one committee alone lists; comparing each
with every road and every office in turn took minutes. The index must still
find the same slips, suggest the same road first, and leave alone what the
plain version leaves alone (a road where an office stands, 东 against 西).
"""

from __future__ import annotations

from types import SimpleNamespace

from disclosure.committees.load import _one_slip, road_spellings
from disclosure.core.problems import Position
from hypothesis import given, settings
from hypothesis import strategies as st


def plain_road_spellings(committees) -> list[tuple[str, str, str]]:
    used: dict[str, set[str]] = {}
    for committee in committees:
        for address in committee.addresses:
            used.setdefault(address.spec.road, set()).add(committee.slug)
    found = []
    for committee in committees:
        for address in committee.addresses:
            road = address.spec.road
            if used[road] != {committee.slug} or any(road in c.address for c in committees):
                continue
            others = [r for r in used if r != road and used[r] - {committee.slug}]
            close = [r for r in others if _one_slip(road, r)]
            if close:
                found.append((address.position.path, road, close[0]))
    return found


ROADS = st.text(alphabet="零陵路东西安日晖", min_size=1, max_size=4)
COMMITTEES = st.lists(
    st.tuples(st.lists(ROADS, max_size=3), st.sampled_from(["", "零陵路1号", "东安路5号"])),
    max_size=6,
)


def committees_of(drawn) -> list[SimpleNamespace]:
    made = []
    for number, (roads, office) in enumerate(drawn):
        slug = f"c{number}"
        addresses = [
            SimpleNamespace(spec=SimpleNamespace(road=road), position=Position(f"{slug}:{i}"))
            for i, road in enumerate(roads)
        ]
        made.append(SimpleNamespace(slug=slug, address=office, addresses=addresses))
    return made


@settings(max_examples=500)
@given(COMMITTEES)
def test_the_index_finds_what_comparing_every_road_finds(drawn):
    committees = committees_of(drawn)
    found = [
        (p.position.path, p.message.split('"')[1], p.message.split('"')[3])
        for p in road_spellings(committees)
    ]
    assert found == plain_road_spellings(committees)
