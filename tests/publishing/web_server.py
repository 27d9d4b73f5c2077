"""A real nginx on 127.0.0.1 serving a folder deploy target, for the deploy tests.

The server block comes from the project's own generator
(disclosure.publishing.nginx), so the tests exercise what an operator installs.
There is deliberately no `user` directive: run as root, nginx's workers drop to
nobody, as on a real server, so a file or folder a deploy leaves unreadable
is a 403 here too. That is also why the target must live in a folder nobody
can traverse (`web_root`), not under pytest's private tmp_path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path

import pytest
from disclosure.publishing.nginx import server_block

NGINX = Path("/usr/sbin/nginx")
HOST = "127.0.0.1"
PREFIX = "/jiedao/rihui/"
START_TIMEOUT_S = 10
STOP_TIMEOUT_S = 5
# A free port can be taken by someone else before nginx binds it.
START_ATTEMPTS = 3
LOG_TAIL_LINES = 30
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# Proxy variables in the developer's environment must not route loopback requests elsewhere.
direct_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclasses.dataclass(frozen=True)
class Response:
    status: int
    headers: Message = dataclasses.field(repr=False)
    body: bytes = dataclasses.field(repr=False)

    @property
    def content_type(self) -> str | None:
        return self.headers["Content-Type"]


def fetch(url: str, timeout: float = 10) -> Response:
    """A plain GET; an HTTP error status is an answer, not an exception."""
    try:
        with direct_http.open(url, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers, error.read())


@dataclasses.dataclass(frozen=True)
class WebServer:
    port: int
    prefix: str  # e.g. "/jiedao/rihui/"
    root: Path  # the folder target; nginx serves root / "current"
    error_log: Path

    @property
    def site_url(self) -> str:
        """The address to build the site for, as SITEURL wants it (no trailing slash)."""
        return f"http://{HOST}:{self.port}{self.prefix.rstrip('/')}"

    def url(self, path: str = "") -> str:
        """The URL of `path`, relative to the site root, e.g. "events/events.ics"."""
        return f"{self.site_url}/{urllib.parse.quote(path)}"

    def get(self, path: str = "") -> Response:
        return fetch(self.url(path))

    def error_log_tail(self) -> str:
        return _tail(self.error_log)


def nginx_binary() -> Path:
    if os.access(NGINX, os.X_OK):
        return NGINX
    reason = f"nginx is not installed at {NGINX} (Debian: apt-get install nginx)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide it: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def nginx_conf(workdir: Path, target: Path, prefix: str, port: int) -> str:
    server = server_block(root=str(target / "current"), prefix=prefix, listen=f"{HOST}:{port}")
    # The compiled-in temp paths are under /var/lib/nginx, which need not exist here.
    temp = "\n".join(f"    {name}_temp_path {workdir / name};" for name in TEMP_PATHS)
    return (
        "daemon off;\n"
        f"pid {workdir / 'nginx.pid'};\n"
        f"error_log {workdir / 'error.log'};\n"
        "events {}\n"
        "http {\n"
        "    access_log off;\n"
        f"{temp}\n"
        f"{textwrap.indent(server, '    ')}"
        "}\n"
    )


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return f"({path} was not written)"
    return "\n".join(lines[-LOG_TAIL_LINES:]) or f"({path} is empty)"


def _bound(process: subprocess.Popen, pid_file: Path) -> bool:
    # nginx writes its pid file only after it has bound every listen socket, so an
    # answer on the port is then ours, not another server's that holds the port
    # while nginx retries its bind.
    try:
        return pid_file.read_text().strip() == str(process.pid)
    except OSError:
        return False


def _answers(url: str) -> bool:
    try:
        fetch(url, timeout=2)
    except OSError:
        return False
    return True


def _wait_until_ready(process: subprocess.Popen, pid_file: Path, url: str) -> str:
    """Empty once nginx answers `url` (any status), else why not."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"nginx exited with status {process.returncode}"
        if _bound(process, pid_file) and _answers(url):
            return ""
        time.sleep(0.05)
    return f"nginx did not answer {url} within {START_TIMEOUT_S} s"


def _stop(process: subprocess.Popen) -> None:
    # SIGQUIT is nginx's graceful stop: workers finish the requests they are serving.
    for sig in (signal.SIGQUIT, signal.SIGTERM):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT_S)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # A master that did not exit cleanly can leave workers behind; they are in its
    # own process group (start_new_session), which is empty after a clean stop.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def running_nginx(target: Path, workdir: Path, *, prefix: str = PREFIX) -> Iterator[WebServer]:
    """nginx serving `target`/current at `prefix` until the block ends."""
    nginx = nginx_binary()
    for attempt in range(1, START_ATTEMPTS + 1):
        folder = workdir / f"attempt-{attempt}"
        folder.mkdir(parents=True)
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(nginx_conf(folder, target, prefix, port), encoding="utf-8")
        error_log = folder / "error.log"
        server = WebServer(port=port, prefix=prefix, root=target, error_log=error_log)
        with (folder / "nginx.out").open("wb") as output:
            process = subprocess.Popen(
                # -e: the log for errors found before the configuration is read
                [nginx, "-p", str(folder), "-c", str(conf), "-e", str(error_log)],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            problem = _wait_until_ready(process, folder / "nginx.pid", server.url())
            if not problem:
                yield server
                return
        finally:
            _stop(process)
        tail = _tail(error_log)
        if "Address already in use" not in tail or attempt == START_ATTEMPTS:
            pytest.fail(
                f"nginx did not start: {problem}; end of {error_log}:\n{tail}\n"
                f"output:\n{_tail(folder / 'nginx.out')}\nconfiguration:\n{conf.read_text()}",
                pytrace=False,
            )


@contextlib.contextmanager
def served_folder() -> Iterator[Path]:
    """A fresh folder that nginx's workers (nobody) can traverse, removed at the end."""
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="rihui-web-"))
    try:
        folder.chmod(0o755)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


StartNginx = Callable[..., WebServer]


def _starter(stack: contextlib.ExitStack, workdir: Path) -> StartNginx:
    numbers = itertools.count(1)

    def start(target: Path, *, prefix: str = PREFIX) -> WebServer:
        """Serve the folder target `target` (its `current` link) at `prefix`."""
        return stack.enter_context(
            running_nginx(target, workdir / str(next(numbers)), prefix=prefix)
        )

    return start


# Explicit names let test modules import these under an alias, which spares them
# ruff's F811 on every test that takes the fixture as a parameter.
@pytest.fixture(name="web_root")
def web_root() -> Iterator[Path]:
    with served_folder() as folder:
        yield folder


@pytest.fixture(scope="module", name="module_web_root")
def module_web_root() -> Iterator[Path]:
    with served_folder() as folder:
        yield folder


@pytest.fixture(name="nginx_server")
def nginx_server(tmp_path: Path) -> Iterator[StartNginx]:
    """`nginx_server(target)` starts nginx for `target`; every one stops at teardown."""
    with contextlib.ExitStack() as stack:
        yield _starter(stack, tmp_path / "nginx")


@pytest.fixture(scope="module", name="module_nginx_server")
def module_nginx_server(tmp_path_factory) -> Iterator[StartNginx]:
    """As nginx_server, for a module that builds its sites once for one port."""
    with contextlib.ExitStack() as stack:
        yield _starter(stack, tmp_path_factory.mktemp("nginx"))
