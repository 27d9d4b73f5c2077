"""Typed records kept on disk: a new process types only what no process typed.

Each test loads as a new process would: with an empty in-process memo
(`_TYPED`), so that what it does not type it has read from the cache folder.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, committee_file, replace_in, tree_digest
from disclosure import pipeline
from disclosure.cli import commands
from disclosure.core import code_version, record_cache
from disclosure.core import files as record_files
from disclosure.core.kept import Kept
from disclosure.site import load_site_data
from pelican.settings import read_settings


@pytest.fixture
def typed(monkeypatch) -> list[str]:
    """The names of the files typed from now on, each load as in a new process."""
    names: list[str] = []
    real = record_files._typed
    monkeypatch.setattr(
        record_files,
        "_typed",
        lambda data, shown, *rest: names.append(Path(shown).name) or real(data, shown, *rest),
    )
    return names


def new_process(monkeypatch) -> None:
    monkeypatch.setattr(record_files, "_TYPED", Kept(record_files._TYPED.most))


def entries(cache: Path) -> list[Path]:
    record_cache.wait_for_writes()  # written while the build goes on
    return sorted(cache.glob("*/*.pickle"))


def record_count(content: Path) -> int:
    return sum(1 for _ in (content / "data").rglob("*.yaml"))


def loaded(content: Path, cache: Path):
    site, _pages = pipeline.load(content, {**SETTINGS, "PATH": str(content), "CACHE_PATH": cache})
    return site


SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


def same_site(a, b) -> None:
    assert (a.subdistrict, a.catalogue, a.plans) == (b.subdistrict, b.catalogue, b.plans)
    assert (a.committees, a.event_series, a.events) == (b.committees, b.event_series, b.events)
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert a.unpublished_numbers == b.unpublished_numbers


def test_a_new_process_types_nothing_an_earlier_one_typed(content, tmp_path, typed, monkeypatch):
    cache = tmp_path / "cache"
    new_process(monkeypatch)
    first = loaded(content, cache)
    assert len(typed) == record_count(content)
    assert len(entries(cache / "records")) == record_count(content)
    new_process(monkeypatch)
    typed.clear()
    again = loaded(content, cache)
    assert typed == []
    same_site(first, again)


def test_an_edited_file_is_typed_again_and_its_old_entry_removed(
    content, tmp_path, typed, monkeypatch
):
    cache = tmp_path / "cache"
    new_process(monkeypatch)
    loaded(content, cache)
    before = set(entries(cache / "records"))
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-20:30")
    new_process(monkeypatch)
    typed.clear()
    site = loaded(content, cache)
    assert typed == [committee_file(content).name]
    after = set(entries(cache / "records"))
    assert len(after) == record_count(content) and len(before - after) == len(after - before) == 1
    new_process(monkeypatch)
    same_site(site, load_site_data(content))  # as typed without any cache


def test_a_file_with_errors_is_kept_with_its_problems(content, tmp_path, typed, monkeypatch):
    cache = tmp_path / "cache"
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 8:3-20:00")
    new_process(monkeypatch)
    first = loaded(content, cache)
    new_process(monkeypatch)
    typed.clear()
    again = loaded(content, cache)
    assert typed == []
    assert any(p.code == "E102" for p in again.errors)
    same_site(first, again)


def test_an_entry_that_would_run_code_is_not_read_but_typed_again(
    content, tmp_path, typed, monkeypatch
):
    cache = tmp_path / "cache"
    new_process(monkeypatch)
    first = loaded(content, cache)
    marker = tmp_path / "ran"
    planted = entries(cache / "records")[0]
    # what a pickle may do if nothing stops it: call any function it names
    planted.write_bytes(pickle.dumps(_Planted(marker)))
    new_process(monkeypatch)
    typed.clear()
    again = loaded(content, cache)
    assert not marker.exists()
    assert len(typed) == 1
    same_site(first, again)
    assert pickle.loads(planted.read_bytes()) is not None  # written anew, a record


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_the_reader_makes_only_record_classes():
    reader = record_cache._Reader
    for module, name in [("os", "system"), ("builtins", "eval"), ("pathlib", "Path")]:
        with pytest.raises(pickle.UnpicklingError):
            reader.find_class(reader.__new__(reader), module, name)
    # the plugin's own functions are not classes, and its non-record classes not records
    for module, name in [
        ("disclosure.cli.commands", "build_site"),
        ("disclosure.core.kept", "Kept"),
    ]:
        with pytest.raises(pickle.UnpicklingError):
            reader.find_class(reader.__new__(reader), module, name)


def test_entries_cut_short_are_typed_again(content, tmp_path, typed, monkeypatch):
    cache = tmp_path / "cache"
    new_process(monkeypatch)
    first = loaded(content, cache)
    for entry in entries(cache / "records")[:3]:
        entry.write_bytes(entry.read_bytes()[:40])
    new_process(monkeypatch)
    typed.clear()
    again = loaded(content, cache)
    assert len(typed) == 3
    same_site(first, again)


def test_a_cache_that_cannot_be_written_is_no_cache(content, tmp_path, typed, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    new_process(monkeypatch)
    site = loaded(content, blocked)
    assert len(typed) == record_count(content)
    new_process(monkeypatch)
    same_site(site, load_site_data(content))


def test_entries_of_other_code_are_removed_when_this_code_writes(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    old = cache / "records" / "0123456789abcdef0123"
    old.mkdir(parents=True)
    (old / "entry.pickle").write_bytes(b"old")
    new_process(monkeypatch)
    loaded(content, cache)
    assert [p.name for p in (cache / "records").iterdir()] == [code_version.code_version()]


def test_the_code_version_follows_every_module(tmp_path):
    package = tmp_path / "disclosure"
    shutil.copytree(code_version._PACKAGE, package)
    before = code_version.version_of(package)
    assert code_version.version_of(package) == before
    rules = package / "completeness" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert code_version.version_of(package) != before


def test_two_builds_in_new_processes_write_the_same_site(content, tmp_path, typed, monkeypatch):
    # the project's CACHE_PATH, as staff build: its board notices are made already
    overrides = {"PATH": str(content), "DISCLOSURE_AS_OF": AS_OF}
    new_process(monkeypatch)
    commands.build_site(
        ROOT / "pelicanconf.py", overrides={**overrides, "OUTPUT_PATH": str(tmp_path / "one")}
    )
    new_process(monkeypatch)
    typed.clear()
    commands.build_site(
        ROOT / "pelicanconf.py", overrides={**overrides, "OUTPUT_PATH": str(tmp_path / "two")}
    )
    assert typed == []
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_a_process_that_ends_right_after_loading_leaves_every_entry_written(content, tmp_path):
    # the entries are written by a thread of their own while a build goes on
    import subprocess
    import sys

    cache = tmp_path / "cache"
    code = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from disclosure import pipeline
from pelican.settings import read_settings
settings = read_settings(sys.argv[2])
pipeline.load(Path(sys.argv[3]), {**settings, "PATH": sys.argv[3], "CACHE_PATH": sys.argv[4]})
"""
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(ROOT / "plugins"),
            str(ROOT / "pelicanconf.py"),
            str(content),
            str(cache),
        ],
        check=True,
    )
    assert len(entries(cache / "records")) == record_count(content)
