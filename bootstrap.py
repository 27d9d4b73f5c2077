"""Set up the project's own environment in .venv/ and run an invoke task in it.

Usage: python3 bootstrap.py TASK [ARGS...]   e.g. `python3 bootstrap.py build`

Only the standard library is used here, because this is what runs on a fresh
machine that has nothing but Python 3.11+. The dependency list is read from
pyproject.toml (declared once) and pinned by requirements.lock.
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - checked before the 3.11-only import below
    sys.exit("需要 Python 3.11 或更高版本。")

import hashlib
import os
import subprocess
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".bootstrap-stamp"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [*project["dependencies"], *extras.get("test", [])]


def stamp_text() -> str:
    # Rebuild the environment whenever what it is made from changes.
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> None:
    wanted = stamp_text()
    if venv_python().exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("正在准备运行环境 .venv/（首次运行需要几分钟）…", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "install", "--quiet", "-c", str(ROOT / "requirements.lock"), *requirements()],
        check=True,
    )
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    try:
        ensure_environment()
        env = dict(os.environ, VIRTUAL_ENV=str(VENV))
        env["PATH"] = os.pathsep.join([str(venv_python().parent), env.get("PATH", "")])
        return subprocess.call([str(venv_python()), "-m", "invoke", *argv], cwd=ROOT, env=env)
    except subprocess.CalledProcessError as error:
        print(f"安装依赖失败（退出码 {error.returncode}），请检查网络后重试。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Ctrl+C reaches the task too, which says what it left behind.
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
