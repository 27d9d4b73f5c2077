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
    assert "committees: 3, events: 2" in finished.stdout
    assert "build:" in finished.stdout
