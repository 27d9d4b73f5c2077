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


def test_loading_runs_with_the_collector_paused(monkeypatch):
    seen = []
    real = pipeline.load_site_data
    monkeypatch.setattr(
        pipeline, "load_site_data", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k)
    )
    pipeline.load(ROOT / "content")
    assert seen == [False] and gc.isenabled()


def test_views_are_made_with_the_collector_paused(monkeypatch, tmp_path):
    from conftest import build
    from disclosure import generator

    seen = []
    real = generator.DisclosureGenerator.make_views
    monkeypatch.setattr(
        generator.DisclosureGenerator,
        "make_views",
        lambda self: seen.append(gc.isenabled()) or real(self),
    )
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
