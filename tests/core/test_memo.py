"""core.memo: results kept by the identity of what they are made from."""

from __future__ import annotations

from disclosure.core import memo


def test_the_same_objects_and_values_give_what_was_made_for_them():
    kept: memo.ByIdentity[list] = memo.ByIdentity()
    record, made = ["a record"], []

    def make():
        made.append(1)
        return [len(made)]

    first = kept.get((record,), "2026-11-28", make)
    assert kept.get((record,), "2026-11-28", make) is first
    assert made == [1]
    # an equal record is another record: it may be read differently later
    assert kept.get((["a record"],), "2026-11-28", make) == [2]
    # another value beside the same record (another day) is made again
    assert kept.get((record,), "2026-11-29", make) == [3]


def test_what_two_builds_did_not_ask_for_is_let_go():
    kept: memo.ByIdentity[str] = memo.ByIdentity()
    used, unused = object(), object()
    kept.get((used,), (), lambda: "used")
    kept.get((unused,), (), lambda: "unused")
    memo.next_build()
    assert kept.get((used,), (), lambda: "again") == "used"
    memo.next_build()
    assert kept.find((used,), ()) == "used"
    assert kept.find((unused,), ()) is None
    memo.next_build()
    memo.next_build()
    assert not kept


def test_what_another_core_made_is_kept_for_the_next_build():
    kept: memo.ByIdentity[bytes] = memo.ByIdentity()
    event, view = object(), object()
    assert kept.find((event, view), ("example.org", "")) is None
    kept.keep((event, view), ("example.org", ""), b"BEGIN:VEVENT")
    memo.next_build()
    assert kept.find((event, view), ("example.org", "")) == b"BEGIN:VEVENT"
    assert kept.find((view, event), ("example.org", "")) is None


def test_what_only_a_next_build_asks_for_is_kept_only_when_one_follows():
    kept: memo.ByIdentity[list] = memo.ByIdentity(within_build=False)
    record = object()
    first = kept.get((record,), (), list)
    assert kept.get((record,), (), list) is not first  # the last build of its process
    with memo.for_a_next_build(True):  # serve's
        first = kept.get((record,), (), list)
        memo.next_build()
        assert kept.get((record,), (), list) is first
    assert kept.get((record,), (), list) is first  # made before, and still valid
    always: memo.ByIdentity[list] = memo.ByIdentity()
    assert always.get((record,), (), list) is always.get((record,), (), list)
