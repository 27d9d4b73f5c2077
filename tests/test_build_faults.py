"""Faults while building: killed processes, read-only folders, full disks.

Whatever happens, output/ is the last good site or, where the build was
never going to succeed, exactly what it was; nothing is left half-written
beside it once the next build has run.
"""

from __future__ import annotations

import errno
import io
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, build, tree_digest
from disclosure.cli import commands, staging

UNCHANGED = "网站没有更新（output/ 保持原样）。"


def _build_command(output: Path, as_of: str = AS_OF) -> tuple[int, str]:
    said = io.StringIO()
    status = commands.build(
        ROOT / "pelicanconf.py",
        overrides={"OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": as_of},
        out=said,
    )
    # what the build retired is deleted in the background: wait, to see all it left
    staging.wait_for_discards()
    return status, said.getvalue()


@pytest.fixture
def built(tmp_path) -> tuple[Path, dict]:
    output = tmp_path / "output"
    build(ROOT / "content", output)
    return output, tree_digest(output)


def test_a_folder_that_refuses_writes_is_named_with_what_to_do(built, monkeypatch):
    output, before = built

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(output.parent))

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    status, said = _build_command(output)
    assert status == 1
    assert said.splitlines()[-1] == (
        f"构建失败：无法写入 {output.parent.as_posix()}（没有写入权限），"
        f"请检查这个文件夹的权限和磁盘空间。{UNCHANGED}"
    )
    assert "Traceback" not in said and "Errno" not in said
    assert tree_digest(output) == before


@pytest.mark.parametrize(
    ("code", "why"), [(errno.EROFS, "所在的磁盘是只读的"), (errno.ENOSPC, "磁盘空间不足")]
)
def test_a_disk_that_fails_mid_build_leaves_the_last_site(built, monkeypatch, code, why):
    output, before = built
    from disclosure import generator

    def failing(self, writer):
        target = Path(self.output_path) / "index.html"
        raise OSError(code, "refused", str(target))

    monkeypatch.setattr(generator.DisclosureGenerator, "generate_output", failing)
    status, said = _build_command(output)
    assert status == 1
    assert f"（{why}），请检查这个文件夹的权限和磁盘空间。{UNCHANGED}" in said
    assert tree_digest(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]


def test_a_swap_the_folder_refuses_leaves_the_last_site_and_no_staging(built, monkeypatch):
    output, before = built
    real_rename = Path.rename

    def rename(self, target):
        if self == output:  # moving the live site aside
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    # another day's site, so that there is something to swap in
    status, said = _build_command(output, as_of="2026-12-08")
    assert status == 1
    assert "（没有写入权限）" in said
    assert tree_digest(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]


def test_a_build_killed_between_the_two_renames_gets_its_site_back(built):
    output, before = built
    # What a build killed right after moving the site aside leaves: no output/,
    # the old site under its retired name.
    retired = output.with_name(".output-old-999999999-abcd1234")
    output.rename(retired)
    # and, newer, a retired site that was being deleted: never the one to restore
    trash = output.with_name(".output-trash-999999999-abcd5678")
    trash.mkdir()
    (trash / "index.html").write_text("半删的旧网站")
    status, said = _build_command(output)
    assert status == 0, said
    assert tree_digest(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]


def test_builds_killed_at_any_moment_never_damage_output(built):
    output, before = built
    other_day = "2026-12-08"  # every build killed would change the site: A <-> B

    def script(as_of: str) -> str:
        return (
            "import sys; sys.path.insert(0, 'plugins'); from pathlib import Path;"
            "from disclosure.cli import commands;"
            "commands.build_site(Path('pelicanconf.py'), overrides="
            f"{{'OUTPUT_PATH': {str(output)!r}, 'DISCLOSURE_AS_OF': {as_of!r}}})"
        )

    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script(other_day)], cwd=ROOT, check=True)
    whole = time.perf_counter() - started
    after = tree_digest(output)
    assert after != before
    for step in range(8):
        as_of = AS_OF if tree_digest(output) == after else other_day
        process = subprocess.Popen([sys.executable, "-c", script(as_of)], cwd=ROOT)
        time.sleep(whole * (step + 1) / 9)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Between the kill and the next build: a good site, whole, the last or the new one.
        assert tree_digest(output) in (before, after), f"killed at {step + 1}/9 of a build"
    status, said = _build_command(output)
    assert status == 0, said
    assert tree_digest(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]
    # and no worker of a killed build is left waiting for work
    time.sleep(0.5)
    assert _processes_naming(str(output)) == []


def _processes_naming(text: str) -> list[int]:
    """The processes whose command line holds `text` (forked workers keep their build's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if text in line:
                found.append(int(entry.name))
    return found
