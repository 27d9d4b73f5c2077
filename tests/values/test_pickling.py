"""Records come back from the workers that type them exactly as they were typed."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from conftest import ROOT
from disclosure.core.problems import Position, Problem
from disclosure.site import load_site_data
from disclosure.values.addresses import parse_address
from disclosure.values.phones import parse_phone
from disclosure.values.timeslots import parse_time_range

VALUES = [
    Position("content/data/committees/a.yaml", 12, 9),
    Problem(Position("a.yaml", 1, 2), "E102", "时间格式应为 HH:MM"),
    parse_time_range("08:30-24:00"),
    parse_time_range("08:30-24:00").end,
    parse_phone("021-6418 1185 转 302"),
    parse_address("零陵路80弄1-26号"),
    parse_address("零陵路81-99号（单号）").numbers,
    parse_address("零陵路81-99号（单号）").numbers.runs[0],
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_a_value_comes_back_equal_and_still_frozen(value):
    back = pickle.loads(pickle.dumps(value))
    assert back == value and hash(back) == hash(value)
    assert [getattr(back, f.name) for f in dataclasses.fields(back)] == [
        getattr(value, f.name) for f in dataclasses.fields(value)
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(back, dataclasses.fields(back)[0].name, None)


def test_the_example_records_come_back_with_every_position():
    site = load_site_data(ROOT / "content", ROOT)
    for records in (site.committees, site.events, site.plans, [site.subdistrict]):
        back = pickle.loads(pickle.dumps(records))
        assert back == records
        # positions do not take part in a record's equality: compare them too
        assert [r.positions for r in back] == [r.positions for r in records]
