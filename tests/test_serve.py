"""`serve` end to end: a real server on 127.0.0.1, a real file watcher, a
staff member's save; the page shows the edit, the pages it did not touch
are the live files themselves (taken, not made again: page_keys)."""

from __future__ import annotations

import io
import shutil
import socket
import threading
import time
import urllib.request
from contextlib import redirect_stdout
from pathlib import Path

from conftest import ROOT, committee_file, replace_in
from disclosure import page_keys
from disclosure.cli.serve import serve_and_rebuild


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetched(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "serve did not get there in time"
        time.sleep(0.2)


def test_a_save_is_served_and_the_pages_it_did_not_touch_are_kept(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    for shared in ("theme", "plugins"):
        (project / shared).symlink_to(ROOT / shared)
    shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
    monkeypatch.chdir(project)
    port, stop, said = free_port(), threading.Event(), io.StringIO()
    taken: list[str] = []
    real_take = page_keys.PageKeys.take

    def take(self, keys, written_later):
        found = real_take(self, keys, written_later)
        taken.extend(Path(p).relative_to(self.output).as_posix() for v in found.values() for p in v)
        return found

    monkeypatch.setattr(page_keys.PageKeys, "take", take)

    def run() -> None:
        with redirect_stdout(said):
            serve_and_rebuild(project, project / "pelicanconf.py", port=port, stop=stop)

    serving = threading.Thread(target=run)
    serving.start()
    try:
        page = "committees/rihui-liucun/"
        wait_for(lambda: "预览地址" in said.getvalue())
        assert "18:00" in fetched(port, page) and "20:45" not in fetched(port, page)
        other = project / "output/committees/haizhu-gongyu/index.html"
        before = other.stat().st_ino
        time.sleep(1)  # the watcher is watching
        replace_in(committee_file(project / "content"), "hours: 18:00-20:00", "hours: 18:00-20:45")
        wait_for(lambda: "20:45" in fetched(port, page))
        assert other.stat().st_ino == before  # the live file, taken as it was
        assert "committees/haizhu-gongyu/index.html" in taken
        assert "committees/rihui-liucun/index.html" not in taken
        assert "没有文件改动" not in said.getvalue().splitlines()[-1]
    finally:
        stop.set()
        serving.join(timeout=30)
    assert not serving.is_alive()


def test_ctrl_c_during_the_first_build_stops_serve(tmp_path, monkeypatch):
    """`build` reports Ctrl+C as a status (it never shows a traceback); serve
    stops on it as it would between builds, before it serves anything."""
    from disclosure.cli import commands

    builds = []
    monkeypatch.setattr(
        commands, "build", lambda *args, **kwargs: builds.append(args) or commands.INTERRUPTED
    )
    serve_and_rebuild(tmp_path, ROOT / "pelicanconf.py", port=free_port())
    assert len(builds) == 1
