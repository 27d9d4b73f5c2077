"""Results kept for the next build: at most so many, the one used longest ago going
first; on disk for a build in a new process, never half a file."""

from __future__ import annotations

import json
import os
import signal
import tempfile
from pathlib import Path

import pytest
from disclosure.core import memo
from disclosure.core.code_version import code_version
from disclosure.core.kept import Kept, kept_file, read_regular
from disclosure.settings import kept_between_processes


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


# ---- kept on disk, for the next build in a new process ----------------------------


def _written(tmp_path, entries: dict) -> Path:
    kept = Kept(10)
    for key, result in entries.items():
        kept.keep(key, result)
    path = kept_file(tmp_path / "cache", "results")
    kept.write_to(path, list(entries), lambda result: result)
    return path


def test_a_new_process_takes_the_results_a_build_kept(tmp_path):
    path = _written(tmp_path, {b"\x01" * 32: [1, "一"], b"\x02" * 32: None})
    taken = Kept(10)
    taken.read_from(path, lambda result: result)
    assert (taken[b"\x01" * 32], taken[b"\x02" * 32]) == ([1, "一"], None)


def test_only_the_results_this_build_used_are_kept():
    kept = Kept(10)
    kept.keep(b"old", 1)
    kept.keep(b"new", 2)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kept" / "v1" / "results.json"
        kept.write_to(path, [b"new", b"gone"], lambda result: result)
        assert json.loads(path.read_text()) == {b"new".hex(): 2}


@pytest.mark.parametrize(
    "text",
    [
        "",  # cut short before anything was written
        '{"0101": true, "02',  # cut short
        "[1, 2]",  # not ours
        '{"not hex": true}',
        '{"0101": true, "0202": "a string where a result is"}',
    ],
)
def test_a_file_that_does_not_read_adds_nothing(tmp_path, text):
    path = tmp_path / "results.json"
    path.write_text(text, encoding="utf-8")
    kept = Kept(10)

    def decode(result):
        if result is not True:
            raise ValueError(result)
        return result

    kept.read_from(path, decode)
    assert b"\x01\x01" not in kept  # not one result of a file that is not whole


def test_results_of_other_code_are_removed_and_an_unwritable_folder_is_no_error(tmp_path):
    cache = tmp_path / "cache"
    old = cache / "kept" / "0123456789abcdef0123"
    old.mkdir(parents=True)
    (old / "results.json").write_text("{}", encoding="utf-8")
    (cache / "kept" / "notes").mkdir()  # not a code version's: not ours to remove
    path = _written(tmp_path, {b"\x01": True})
    assert sorted(p.name for p in (cache / "kept").iterdir()) == [code_version(), "notes"]
    assert path.parent.name == code_version() and not list(path.parent.glob(".*"))
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    Kept(1).write_to(blocked / "kept" / "v" / "results.json", [], lambda r: r)  # no error
    assert kept_file(None, "results") is None


def test_a_build_for_the_public_keeps_nothing_between_processes(tmp_path):
    assert kept_between_processes({"CACHE_PATH": str(tmp_path)}) == tmp_path
    assert kept_between_processes({"CACHE_PATH": str(tmp_path), "DISCLOSURE_PUBLISH": True}) is None
    assert kept_between_processes({"CACHE_PATH": ""}) is None


def test_a_pipe_where_a_kept_file_belongs_is_no_file(tmp_path):
    """A pipe or a device would block the build, or never end: only regular files are read."""
    pipe = tmp_path / "results.json"
    os.mkfifo(pipe)
    signal.alarm(10)  # a read that blocks fails the test instead of hanging it
    try:
        assert read_regular(pipe) is None
        assert read_regular(Path("/dev/zero")) is None
        kept = Kept(10)
        kept.read_from(pipe, lambda result: result)
        assert not kept._results
    finally:
        signal.alarm(0)
    regular = tmp_path / "regular.json"
    regular.write_bytes(b"{}")
    assert read_regular(regular) == b"{}" and read_regular(tmp_path / "missing") is None


def test_the_same_results_are_not_written_again(tmp_path):
    """`serve` builds after every save: what is on disk already stays untouched."""
    path = _written(tmp_path, {b"\x01": True, b"\x02": True})
    kept = Kept(10)
    kept.read_from(path, lambda result: result)
    before = path.stat()
    kept.write_to(path, [b"\x02", b"\x01"], lambda result: result)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    kept.write_to(path, [b"\x01"], lambda result: result)  # a file changed since
    assert json.loads(path.read_text()) == {b"\x01".hex(): True}
    path.unlink()  # the cache cleared meanwhile
    kept.write_to(path, [b"\x01"], lambda result: result)
    assert json.loads(path.read_text()) == {b"\x01".hex(): True}


def test_a_file_that_lacks_only_a_few_results_is_not_written_again(tmp_path):
    """`serve` changes a few of a city's pages per save: the kept file is written
    again only once a twentieth of what a build used is missing from it or unused."""
    keys = [bytes([n]) for n in range(100)]
    path = kept_file(tmp_path / "cache", "results")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(dict.fromkeys((key.hex() for key in keys), True)), "utf-8")
    kept = Kept(200)
    kept.read_from(path, lambda result: result)
    before = path.stat()

    def write(used):
        for key in used:
            kept.keep(key, True)
        kept.write_to(path, used, lambda result: result)
        return json.loads(path.read_text())

    assert len(write(keys[3:] + [bytes([200 + n]) for n in range(3)])) == 100
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    now = keys[10:] + [bytes([200 + n]) for n in range(10)]
    assert set(write(now)) == {key.hex() for key in now}  # a tenth new: written whole
    assert set(write(now[:97])) == {key.hex() for key in now}  # three unused: left
    assert set(write(now[:80])) == {key.hex() for key in now[:80]}  # twenty: written again


def test_what_only_a_next_build_asks_for_is_kept_only_when_one_follows():
    kept: Kept[str] = Kept(10, within_build=False)
    kept.keep("line", "terms")
    assert "line" not in kept  # the last build of its process
    with memo.for_a_next_build(True):  # serve's
        kept.keep("line", "terms")
    assert kept["line"] == "terms"
