"""The benchmark still runs: it is not timed here, only kept from rotting."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_the_benchmark_runs_on_a_tiny_site():
    finished = subprocess.run(
        [sys.executable, "benchmarks/bench_build.py", "--committees", "3", "--events", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    said = finished.stdout
    assert "committees: 3, events: 2" in said
    # every phase, the floor it is measured against (byte-identical pages), cores and memory
    for line in ("build:", "load:", "validate:", "views:", "render:", "calendars:", "search:"):
        assert f"\n    {line}" in said or f"\n  {line}" in said, line
    assert "byte-identical" in said
    # an edit built again as serve builds it, with what it wrote
    assert "\n  edit one:  " in said and " edited, built again in the same process" in said
    for line in ("ratio:", "cores:", "memory:", "largest page:"):
        assert f"\n  {line}" in said, line
    # validate and the build again in new processes, with the typed records kept on disk
    assert "again in a new process (typed records read from disk)" in said
    assert "\n  build again in a new process, with what the first kept on disk: " in said


def test_a_city_of_distinct_committees_is_valid_and_its_own(tmp_path):
    # --distinct: roads and numbers of each committee's own, as a real city's
    import io

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_build import make_content
    from disclosure.cli import commands

    content = tmp_path / "content"
    make_content(content, 40, 10, distinct=True)
    said = io.StringIO()
    settings = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache")}
    settings["DISCLOSURE_AS_OF"] = "2026-11-26"
    assert commands.validate_site(ROOT / "pelicanconf.py", settings, out=said) == 0
    assert "0 个错误、0 个警告" in said.getvalue()
    # committee 0 and 19 are the same example: nothing but the name in common
    first, again = (
        (content / f"data/committees/committee-{n:05d}.yaml").read_text("utf-8") for n in (0, 19)
    )
    lines = set(first.splitlines()) & set(again.splitlines())
    assert not [line for line in lines if "phone:" in line or line.startswith("address")]
