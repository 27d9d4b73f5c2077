"""pretty_json writes what Python's json module writes, indented, in C."""

from __future__ import annotations

import json

from disclosure.core.json_text import pretty_json
from hypothesis import given, settings
from hypothesis import strategies as st

# what open data and the report hold: text of any kind (control characters,
# quotes, backslashes, CJK, emoji), whole numbers, booleans, nothing, and
# decimals as people write them
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) >= 1e-4),
    st.text(st.characters(exclude_categories=("Cs",))),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


def python_json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@settings(max_examples=500)
@given(VALUES)
def test_the_same_bytes_as_pythons_encoder(value):
    assert pretty_json(value) == python_json(value)


def test_the_example_sites_open_data_and_report(example_site):
    files = [*sorted(example_site.glob("data/*.json")), example_site / "disclosure/report.json"]
    assert len(files) > 4
    for path in files:
        assert pretty_json(json.loads(path.read_bytes())) == path.read_bytes(), path.name
        assert path.read_bytes() == python_json(json.loads(path.read_bytes())), path.name
