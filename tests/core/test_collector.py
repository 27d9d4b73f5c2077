"""The collector is paused while records are loaded and views made, and only then."""

from __future__ import annotations

import gc

import pytest
from conftest import ROOT
from disclosure import pipeline
from disclosure.core import collector


def test_a_pause_ends_as_it_began_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # paused by someone else: left to them
    finally:
        gc.enable()


def noted_when_called(monkeypatch, owner, name: str, note) -> list:
    """`owner.name` patched to note `note()` each time it is called: the notes."""
    seen = []
    real = getattr(owner, name)

    def noting(*args, **kwargs):
        seen.append(note())
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, noting)
    return seen


def test_loading_runs_with_the_collector_paused(monkeypatch):
    seen = noted_when_called(monkeypatch, pipeline, "load_site_data", gc.isenabled)
    pipeline.load(ROOT / "content")
    assert seen == [False] and gc.isenabled()


def test_views_are_made_with_the_collector_paused(monkeypatch, tmp_path):
    from conftest import build
    from disclosure import generator

    seen = noted_when_called(monkeypatch, generator.DisclosureGenerator, "make_views", gc.isenabled)
    build(ROOT / "content", tmp_path / "output")
    assert seen == [False] and gc.isenabled()


def test_what_a_build_froze_is_unfrozen_when_it_ends(tmp_path):
    from conftest import build

    build(ROOT / "content", tmp_path / "output")
    assert not collector.frozen() and gc.get_freeze_count() == 0
    collector.freeze()
    try:
        assert collector.frozen() and gc.get_freeze_count() > 0
    finally:
        collector.unfreeze()
    assert not collector.frozen() and gc.get_freeze_count() == 0


def test_a_build_keeps_its_views_frozen_until_its_site_is_live(tmp_path, monkeypatch):
    # Pelican's `finalized` asks to unfreeze before the build compares and
    # swaps in its site; unfrozen then, the city's objects cost a full pass
    # of the collector in the middle of the build.
    from conftest import build
    from disclosure.cli import commands

    seen = noted_when_called(
        monkeypatch,
        commands.page_keys,
        "went_live",
        lambda: (collector.frozen(), gc.get_freeze_count() > 0),
    )
    build(ROOT / "content", tmp_path / "output")
    assert seen == [(True, True)]
    assert not collector.frozen() and gc.get_freeze_count() == 0


def test_a_failed_build_also_unfreezes_when_it_ends(tmp_path, monkeypatch):
    from conftest import build
    from disclosure.cli import commands

    def failing(*args, **options):
        raise OSError("disk full")

    monkeypatch.setattr(commands.staging, "keep_unchanged", failing)
    with pytest.raises(OSError):
        build(ROOT / "content", tmp_path / "output")
    assert not collector.frozen() and gc.get_freeze_count() == 0


def test_held_unfreezes_once_the_outermost_hold_ends():
    with collector.held():
        collector.freeze()
        with collector.held():
            collector.unfreeze()
        collector.unfreeze()
        assert collector.frozen() and gc.get_freeze_count() > 0
    assert not collector.frozen() and gc.get_freeze_count() == 0


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settling_collects_the_garbage_and_freezes_the_rest():
    import weakref

    garbage, kept = _Cycle(), _Cycle()
    gone = weakref.ref(garbage)
    del garbage
    try:
        collector.settle()
        assert gone() is None
        assert collector.frozen() and gc.get_freeze_count() > 0
        assert kept.me is kept
    finally:
        collector.unfreeze()


def test_a_command_that_ends_the_process_never_unfreezes_and_freezes_at_exit():
    # in a process of its own: until_exit holds for the rest of the process
    import subprocess
    import sys

    code = """
import atexit, gc, sys
sys.path.insert(0, sys.argv[1])
from disclosure.core import collector
atexit.register(lambda: print("at exit", gc.get_freeze_count() > 0))  # runs after the freeze
collector.until_exit()
collector.freeze()
collector.unfreeze()
with collector.held():
    collector.unfreeze()
print("frozen", collector.frozen() and gc.get_freeze_count() > 0)
gc.unfreeze()
print("unfrozen by hand", gc.get_freeze_count() == 0)
"""
    said = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "plugins")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert said[:3] == ["frozen True", "unfrozen by hand True", "at exit True"]
