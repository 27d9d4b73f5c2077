"""Shared fixtures: a copy of the example content and real builds into tmp_path."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from disclosure.cli import commands
from disclosure.cli import publish as publishing

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-26"  # builds in tests are reproducible whatever today is
# Where strict (publishconf.py) builds in tests say they are published.
PUBLISHED_URL = "http://127.0.0.1:8000/jiedao/rihui"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the example content that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def _overrides(content: Path, output: Path, settings: str, extra: dict) -> dict:
    return {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "DISCLOSURE_AS_OF": AS_OF,
        **(PUBLISHED if settings == "publishconf.py" else {}),
        **extra,
    }


def build(content: Path, output: Path, settings: str = "pelicanconf.py", **extra):
    overrides = _overrides(content, output, settings, extra)
    return commands.build_site(ROOT / settings, overrides=overrides)


def build_as_staff(
    content: Path, output: Path, settings: str = "pelicanconf.py", **extra
) -> tuple[int, str]:
    """`build` of `content` as staff run it: its status and what it said."""
    said = io.StringIO()
    overrides = _overrides(content, output, settings, extra)
    status = commands.build(ROOT / settings, overrides=overrides, out=said)
    return status, said.getvalue()


def build_with_templates(content: Path, output: Path, templates: Path) -> tuple[int, str]:
    """`build_as_staff` with a theme edit (`templates` overrides the theme's
    templates of the same name)."""
    return build_as_staff(content, output, THEME_TEMPLATES_OVERRIDES=[str(templates)])


# A strict build of the example content: a demonstration of the sample data
# at a real-looking address, as `publish --sample-data` makes.
PUBLISHED = {"SITEURL": PUBLISHED_URL, "DISCLOSURE_DEMONSTRATION": True}


def publish(content: Path, output: Path, site_url: str = PUBLISHED_URL, **options):
    """`publish --sample-data` of `content` into `output` as of AS_OF: status and what it said."""
    said = io.StringIO()
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "DISCLOSURE_AS_OF": AS_OF,
        **PUBLISHED,
        "SITEURL": site_url,
    }
    status = publishing.publish(ROOT / "publishconf.py", overrides=overrides, out=said, **options)
    return status, said.getvalue()


def validate(content: Path) -> tuple[int, str]:
    """`validate` of `content` as of AS_OF: its status and what it said."""
    said = io.StringIO()
    status = commands.validate(content, as_of=date.fromisoformat(AS_OF), out=said)
    return status, said.getvalue()


def plain_pelican(
    output: Path,
    *extra: str,
    content: Path | None = None,
    settings: str = "pelicanconf.py",
    cwd: Path = ROOT,
) -> subprocess.CompletedProcess:
    """Plain `pelican`, as staff run it: no SITE_URL from the test's environment,
    and a console as wide as it likes (no COLUMNS), so lines are not wrapped."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "COLUMNS")}
    where = [str(content)] if content is not None else []
    command = [sys.executable, "-m", "pelican", *where, "-s", str(ROOT / settings)]
    return subprocess.run(
        [*command, "-o", str(output), *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def committee_file(content: Path, slug: str = "rihui-liucun") -> Path:
    return content / "data" / "committees" / f"{slug}.yaml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def cut_emergency(path: Path) -> None:
    """Delete the emergency block (the last key of every example committee)."""
    source = path.read_text(encoding="utf-8")
    path.write_text(source[: source.index("emergency:")], encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its hash, to prove a build left it alone."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example content built once, for tests that only read the output."""
    output = tmp_path_factory.mktemp("example") / "output"
    build(ROOT / "content", output)
    return output
