"""The object-store fixture works the way the deploy uses it: rclone writes, plain HTTP reads.

It also pins the SeaweedFS behaviour the deploy relies on: MD5 ETags, so that
`rclone sync --checksum` uploads only changed files, and server-side copies.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from object_store import ObjectStore, direct_http, find_binary
from object_store import object_store as _object_store_fixture  # noqa: F401  (registers it)

REMOTE = "store"
HTML_TYPE = "text/html; charset=utf-8"
ICS_TYPE = "text/calendar; charset=utf-8"
INDEX = "<!doctype html><title>日晖六村</title><p>居委会公开信息</p>\n".encode()
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"


def rclone(store: ObjectStore, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [find_binary("rclone"), *args],
        env=os.environ | store.rclone_env(REMOTE),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"rclone {' '.join(args)} failed:\n{result.stderr}"
    return result


def upload(store: ObjectStore, folder: Path, target: str, pattern: str, content_type: str):
    """Copy the files matching `pattern`; one run per type, as --header-upload covers a whole run."""
    headers = ("--header-upload", f"Content-Type: {content_type}")
    rclone(store, "copy", str(folder), target, "--include", pattern, *headers)


def transfer_stats(result: subprocess.CompletedProcess[str]) -> dict:
    """The final counters of an rclone run made with `-v --use-json-log`."""
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    return [r["stats"] for r in records if "stats" in r][-1]


def get(url: str) -> tuple[int, str | None, bytes]:
    """An unsigned GET, as a CDN would make it."""
    try:
        with direct_http.open(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "events").mkdir(parents=True)
    (folder / "index.html").write_bytes(INDEX)
    (folder / "events" / "a.ics").write_bytes(CALENDAR)
    return folder


def test_uploads_are_served_over_unsigned_http(object_store, site):
    object_store.make_bucket("selftest-http")
    target = f"{REMOTE}:selftest-http"
    upload(object_store, site, target, "*.html", HTML_TYPE)
    upload(object_store, site, target, "*.ics", ICS_TYPE)

    page_url = object_store.url("selftest-http", "index.html")
    ics_url = object_store.url("selftest-http", "events/a.ics")
    assert get(page_url) == (200, HTML_TYPE, INDEX)
    assert get(ics_url) == (200, ICS_TYPE, CALENDAR)

    rclone(object_store, "deletefile", f"{target}/events/a.ics")
    assert get(ics_url)[0] == 404
    assert get(page_url)[0] == 200


def test_anonymous_callers_cannot_write(object_store):
    object_store.make_bucket("selftest-readonly")
    request = urllib.request.Request(
        object_store.url("selftest-readonly", "index.html"), data=b"defaced", method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        direct_http.open(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 403
    assert get(object_store.url("selftest-readonly", "index.html"))[0] == 404


def test_checksum_sync_uploads_only_changed_files(object_store, site):
    object_store.make_bucket("selftest-sync")
    target = f"{REMOTE}:selftest-sync"
    sync = ["sync", str(site), target, "--checksum", "-v", "--use-json-log"]

    assert transfer_stats(rclone(object_store, *sync))["transfers"] == 2
    # The ETags are the objects' MD5s, which is what --checksum compares.
    listed = rclone(object_store, "md5sum", target).stdout.split("\n")
    assert sorted(line for line in listed if line) == sorted(
        f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(site).as_posix()}"
        for path in site.rglob("*")
        if path.is_file()
    )
    again = transfer_stats(rclone(object_store, *sync))
    assert (again["transfers"], again["checks"]) == (0, 2)

    (site / "index.html").write_bytes(INDEX.replace("公开".encode(), "公示".encode()))
    assert transfer_stats(rclone(object_store, *sync))["transfers"] == 1
    assert (
        get(object_store.url("selftest-sync", "index.html"))[2]
        == (site / "index.html").read_bytes()
    )


def test_copies_within_the_store_are_server_side(object_store, site):
    object_store.make_bucket("selftest-copy")
    v1, v2 = f"{REMOTE}:selftest-copy/v1", f"{REMOTE}:selftest-copy/v2"
    upload(object_store, site, v1, "*.ics", ICS_TYPE)

    copied = rclone(object_store, "copy", v1, v2, "-v", "--use-json-log")
    assert transfer_stats(copied)["serverSideCopies"] == 1
    # The metadata travels with the copy, so the calendar keeps its type.
    assert get(object_store.url("selftest-copy", "v2/events/a.ics")) == (200, ICS_TYPE, CALENDAR)
