"""The plugin's layering holds, and the check would notice if it did not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(plugins: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(plugins)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layers_hold():
    finished = lint_imports(ROOT / "plugins")
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_a_kind_reaching_into_another_is_caught(tmp_path):
    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))
    views = plugins / "disclosure/events/views.py"
    views.write_text(views.read_text("utf-8") + "\nfrom ..committees.views import timetable\n")
    finished = lint_imports(plugins)
    assert finished.returncode != 0
    assert "the record kinds are independent of each other BROKEN" in finished.stdout
