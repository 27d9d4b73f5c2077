"""Deploys to a folder target, served by a real nginx from the generated configuration.

The sites are published (strict build and gate) for the address nginx serves
them at, /jiedao/rihui/ on a free port, and checked over HTTP as a browser
would see them, and on disk where HTTP cannot see: modes, hard links, and the
previous release left alone.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import math
import os
import re
import shutil
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, committee_file, publish, replace_in, tree_digest
from disclosure.cli import commands
from disclosure.cli import publish as publishing
from disclosure.publishing import checked_build
from disclosure.publishing import deploy as deploy_module
from web_server import WebServer, fetch
from web_server import module_nginx_server as _module_nginx_server  # noqa: F401
from web_server import module_web_root as _module_web_root  # noqa: F401

# What a browser must be told for each kind of file in the example site.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".ico": "image/x-icon",
    ".svg": "image/svg+xml",
    ".csv": "text/csv; charset=utf-8",
    ".pdf": "application/pdf",  # the committees' board notices
}
OLD_NOTE = "如有急事请按门铃"
NOTE_B = "如有急事请拨打值班电话"
NOTE_C = "如有急事请到居委会二楼"
CHANGED_PAGE = "committees/rihui-liucun/"
DELETED_EVENT = "data/events/2026/zuojia-jianmianhui.yaml"
DELETED_PAGE = "events/2026/zuojia-jianmianhui/"
# Fetched again and again while a deploy switches versions: pages, data and assets.
WATCHED = (
    "",
    "committees/",
    CHANGED_PAGE,
    "committees/rihui-yicun/",
    "events/",
    "events/events.ics",
    "events/feed.atom",
    "disclosure/",
    "disclosure/report.json",
    "theme/css/site.css",
    "theme/js/events.js",
)
MAX_REQUESTS = 2000
P002 = (
    "P002 没有检查通过的版本可以部署：请先运行 python3 bootstrap.py publish，"
    "并确认它通过了检查。线上网站没有改动。\n"
)


@dataclasses.dataclass(frozen=True)
class Build:
    output: Path
    digest: str  # as recorded by publish; a release's manifest repeats it

    def files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }

    def body(self, path: str) -> bytes:
        """The bytes nginx should send for `path` (relative to the site root)."""
        file = self.output / path
        return (file / "index.html" if not path or path.endswith("/") else file).read_bytes()


def deploy(output: Path, target: Path, **options) -> tuple[int, str]:
    said = io.StringIO()
    status = publishing.deploy(output, str(target), out=said, **options)
    return status, said.getvalue()


def live(target: Path) -> str:
    return Path(os.readlink(target / "current")).name


def snapshot(target: Path) -> tuple:
    """Everything about a target that a refused deploy or rollback must leave alone."""
    return (
        tree_digest(target),
        os.readlink(target / "current"),
        sorted(os.listdir(target / "releases")),
    )


def served_wrongly(server: WebServer, build: Build, gone: Build | None = None) -> list[str]:
    """Every file of `build` not served as it is, and every file only `gone` had not a 404."""
    wrong = []
    files = build.files()
    for path, data in files.items():
        response = server.get(path)
        if (response.status, response.body) != (200, data):
            wrong.append(f"{path}: HTTP {response.status}, {len(response.body)} bytes")
    for path in sorted(set(gone.files() if gone else ()) - set(files)):
        if (status := server.get(path).status) != 404:
            wrong.append(f"{path}: HTTP {status}, expected 404")
    return wrong


@pytest.fixture(scope="module", autouse=True)
def umask_022() -> Iterator[None]:
    # Builds and deploys write with the process umask; the gate and nginx's
    # workers need 755 and 644, whatever the developer's own umask is.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture(scope="module")
def server(module_web_root, module_nginx_server) -> WebServer:
    """One nginx for the module: the sites are built for its port."""
    return module_nginx_server(module_web_root / "site")


@pytest.fixture
def target(server: WebServer) -> Iterator[Path]:
    """The folder target nginx serves, empty for each test."""
    shutil.rmtree(server.root, ignore_errors=True)
    yield server.root
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Path:
    # One parent for every output: publish records each as .<name>-checked.json beside it.
    return tmp_path_factory.mktemp("builds")


def _published(builds: Path, server: WebServer, name: str, change: Callable[[Path], None]):
    content = builds / f"{name}-content"
    shutil.copytree(ROOT / "content", content)
    change(content)
    output = builds / name
    status, said = publish(content, output, server.site_url)
    assert status == 0, said
    checked = checked_build.read(output)
    assert checked is not None
    return Build(output, checked.digest)


@pytest.fixture(scope="module")
def version_a(builds, server) -> Build:
    """The example site."""
    return _published(builds, server, "a", lambda content: None)


@pytest.fixture(scope="module")
def version_b(builds, server) -> Build:
    """A committee's notes changed and a cancelled event's record deleted."""

    def change(content: Path) -> None:
        replace_in(committee_file(content), OLD_NOTE, NOTE_B)
        (content / DELETED_EVENT).unlink()

    return _published(builds, server, "b", change)


@pytest.fixture(scope="module")
def version_c(builds, server) -> Build:
    """The example site with the same committee's notes changed another way."""
    return _published(
        builds, server, "c", lambda content: replace_in(committee_file(content), OLD_NOTE, NOTE_C)
    )


class _Links(HTMLParser):
    """href and src values (and a form's action), and the anchors a fragment can point at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src") or (tag == "form" and name == "action"):
                self.links.append(value)
            elif name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _links_in(kind: str, body: bytes, site_url: str) -> tuple[list[str], set[str] | None]:
    if kind in ("text/html", "application/atom+xml"):
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        parser.close()
        return parser.links, parser.anchors
    if kind in ("text/calendar", "application/json"):
        # Calendars fold long lines: a CRLF and one space or tab continue the line.
        text = re.sub(r"\r\n[ \t]", "", body.decode("utf-8"))
        return re.findall(re.escape(site_url) + r"/[^\s\"'<>\\]*", text), None
    return [], None


def crawl(server: WebServer) -> tuple[set[str], list[str]]:
    """Every URL of the site reachable from its home page, and what is broken on the way."""
    parts = urllib.parse.urlsplit(server.site_url)
    origin = (parts.scheme, parts.netloc)
    home = server.url()
    linked_from = {home: "(start)"}
    queue = [home]
    anchors: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []  # page, fragment, linked from
    problems = []
    while queue:
        url = queue.pop()
        response = fetch(url)
        if response.status != 200:
            problems.append(f"{url} (linked from {linked_from[url]}): HTTP {response.status}")
            continue
        kind = (response.content_type or "").split(";")[0]
        links, ids = _links_in(kind, response.body, server.site_url)
        if ids is not None:
            anchors[url] = ids
        for link in links:
            absolute, fragment = urllib.parse.urldefrag(urllib.parse.urljoin(url, link))
            split = urllib.parse.urlsplit(absolute)
            if (split.scheme, split.netloc) != origin:
                continue  # tel:, another site
            if not split.path.startswith(server.prefix):
                problems.append(f"{url} links outside {server.prefix}: {link}")
                continue
            if fragment:
                fragments.append((absolute, fragment, url))
            if absolute not in linked_from:
                linked_from[absolute] = url
                queue.append(absolute)
    for page, fragment, source in fragments:
        if page in anchors and fragment not in anchors[page]:
            problems.append(f"{source} links to #{fragment}, which {page} does not have")
    return set(linked_from), problems


def test_example_site_is_served_whole_under_the_sub_path(server, target, version_a):
    status, said = deploy(version_a.output, target)
    release = live(target)
    assert (status, said) == (
        0,
        f"已部署：{target} 现在是 {release}（这是第一个版本）。\n",
    )
    manifest = json.loads((target / "releases" / f"{release}.json").read_text("utf-8"))
    assert (manifest["digest"], manifest["site_url"]) == (version_a.digest, server.site_url)

    reached, broken = crawl(server)
    assert broken == []
    files = version_a.files()
    # The site's own address, as written in SITE_URL without the final /, opens it.
    home = fetch(server.site_url)
    assert (home.status, home.body) == (200, files["index.html"])
    pages = {server.url(p.removesuffix("index.html")) for p in files if p.endswith("index.html")}
    assert pages - reached == set(), "pages no link leads to"

    assert {Path(p).suffix for p in files} == set(CONTENT_TYPES)
    wrong = []
    for path, data in files.items():
        response = server.get(path)
        seen = (response.status, response.content_type, response.headers["Cache-Control"])
        if seen != (200, CONTENT_TYPES[Path(path).suffix], "no-cache") or response.body != data:
            wrong.append(f"{path}: {seen}, {len(response.body)} of {len(data)} bytes")
    assert wrong == []

    folder = target / "releases" / release
    modes = {}
    for path in [target, target / "releases", folder, *folder.rglob("*")]:
        mode = path.lstat().st_mode
        expected = 0o755 if stat.S_ISDIR(mode) else 0o644
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)) or mode & 0o777 != expected:
            modes[str(path.relative_to(target))] = stat.filemode(mode)
    assert modes == {}


def test_an_address_with_no_page_gets_the_sites_404_page(server, target, version_a):
    deploy(version_a.output, target)
    not_found = version_a.body("404.html")
    for path in ("no-such-page/", "committees/no-such-committee/", "events/2020/x/y/z.html"):
        response = server.get(path)
        assert (response.status, response.content_type) == (404, CONTENT_TYPES[".html"]), path
        assert response.body == not_found, path
    # what browsers and crawlers ask for at the root is there
    for path in ("favicon.ico", "robots.txt", "sitemap.xml"):
        assert server.get(path).status == 200, path


def test_a_new_version_changes_what_changed_and_links_the_rest(
    server, target, version_a, version_b
):
    assert (version_a.output / DELETED_PAGE / "index.html").is_file()
    assert deploy(version_a.output, target)[0] == 0
    first = target / "releases" / live(target)
    assert tree_digest(first) == tree_digest(version_a.output)

    status, said = deploy(version_b.output, target)
    second = target / "releases" / live(target)
    assert (status, said) == (
        0,
        f"已部署：{target} 现在是 {second.name}（上一个版本 {first.name}，可用 --rollback 回退）。\n",
    )
    page = server.get(CHANGED_PAGE)
    assert page.status == 200
    assert NOTE_B in page.body.decode() and OLD_NOTE not in page.body.decode()
    assert server.get(DELETED_PAGE).status == 404
    assert served_wrongly(server, version_b, gone=version_a) == []

    old, new = version_a.files(), version_b.files()
    unchanged = {path for path, data in new.items() if old.get(path) == data}
    linked = {
        path for path in new if (first / path).is_file() and (first / path).samefile(second / path)
    }
    assert linked == unchanged
    assert len(unchanged) > len(new) / 2  # most of the site did not change
    assert tree_digest(first) == tree_digest(version_a.output), "the previous release changed"

    before = snapshot(target)
    status, said = deploy(version_b.output, target)
    assert (status, said) == (0, f"线上已是这个版本（{second.name}），没有需要传输的内容。\n")
    assert snapshot(target) == before


def test_rollback_serves_the_previous_version_and_stops_at_the_earliest(
    server, target, version_a, version_b
):
    assert deploy(version_a.output, target)[0] == 0
    first = live(target)
    assert deploy(version_b.output, target)[0] == 0
    second = live(target)

    status, said = deploy(version_b.output, target, rollback=True)
    assert (status, said) == (0, f"已回退：{target} 现在是 {first}（原来是 {second}）。\n")
    assert served_wrongly(server, version_a, gone=version_b) == []

    before = snapshot(target)
    status, said = deploy(version_b.output, target, rollback=True)
    assert (status, said) == (
        1,
        f"P022 {first} 已是保留的最早版本，没有更早的版本可以回退\n"
        f"回退没有完成：{target} 的线上版本没有切换。\n",
    )
    assert snapshot(target) == before
    assert server.get(CHANGED_PAGE).body == version_a.body(CHANGED_PAGE)


@dataclasses.dataclass(frozen=True)
class Hit:
    path: str
    started: float
    ended: float
    status: int | None
    version: str | None  # "A" or "B", whichever the body is exactly; None if neither


def _keep_fetching(server, versions, stop: threading.Event, hits: list[Hit]) -> None:
    for number in range(MAX_REQUESTS):
        if stop.is_set():
            return
        path = WATCHED[number % len(WATCHED)]
        started = time.monotonic()
        try:
            response = server.get(path)
            status, body = response.status, response.body
        except OSError:
            status, body = None, b""
        ended = time.monotonic()
        version = next((name for name, bodies in versions.items() if bodies[path] == body), None)
        hits.append(Hit(path, started, ended, status, version))
        # Paced, so that MAX_REQUESTS lasts well past the rollback even on a fast machine.
        time.sleep(0.001)


def test_visitors_see_one_whole_version_while_deploying(server, target, version_a, version_b):
    versions = {
        "A": {path: version_a.body(path) for path in WATCHED},
        "B": {path: version_b.body(path) for path in WATCHED},
    }
    changed = {path for path in WATCHED if versions["A"][path] != versions["B"][path]}
    assert {"", CHANGED_PAGE, "events/events.ics"} <= changed
    assert deploy(version_a.output, target)[0] == 0

    hits: list[Hit] = []
    stop = threading.Event()
    visitor = threading.Thread(target=_keep_fetching, args=(server, versions, stop, hits))
    visitor.start()
    try:
        deadline = time.monotonic() + 5
        while len(hits) < len(WATCHED) and time.monotonic() < deadline:
            time.sleep(0.01)
        deploying = time.monotonic()
        deployed_status = deploy(version_b.output, target)[0]
        deployed = time.monotonic()
        time.sleep(0.2)
        rolling_back = time.monotonic()
        rolled_back_status = deploy(version_b.output, target, rollback=True)[0]
        rolled_back = time.monotonic()
        time.sleep(0.5)
    finally:
        stop.set()
        visitor.join(timeout=30)
    assert not visitor.is_alive()
    assert len(hits) < MAX_REQUESTS, "the visitor stopped before the rollback was over"
    assert (deployed_status, rolled_back_status) == (0, 0)

    bad = [hit for hit in hits if hit.status != 200 or hit.version is None]
    assert bad == [], f"{len(bad)} of {len(hits)} responses were neither version"
    assert any(hit.started < deployed and hit.ended > deploying for hit in hits), (
        f"none of {len(hits)} requests was made during the deploy"
    )

    def versions_seen(start: float, end: float) -> set[str | None]:
        return {
            hit.version
            for hit in hits
            if hit.path in changed and start <= hit.started and hit.ended <= end
        }

    assert versions_seen(0, deploying) == {"A"}
    assert versions_seen(deployed, rolling_back) == {"B"}
    assert versions_seen(rolled_back, math.inf) == {"A"}


def test_nothing_is_deployed_after_a_failed_build_or_gate_or_a_development_build(
    server, target, version_a, content, tmp_path
):
    assert deploy(version_a.output, target)[0] == 0
    before = snapshot(target)
    output = tmp_path / "output"
    status, said = publish(content, output, server.site_url)
    assert status == 0, said

    development = io.StringIO()
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF}
    status = commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=development)
    assert status == 0, development.getvalue()
    assert deploy(output, target) == (
        1,
        "P003 output/ 在发布检查之后被改动过（例如又运行了 build），请重新运行 publish。"
        "线上网站没有改动。\n",
    )
    assert snapshot(target) == before

    # The gate refuses files nginx's workers could not read.
    os.umask(0o077)
    try:
        status, said = publish(content, output, server.site_url)
    finally:
        os.umask(0o022)
    assert status == 1
    lines = said.splitlines()
    assert re.fullmatch(
        r"发布检查未通过：发现 \d+ 个问题，网站没有更新（output/ 保持原样）。", lines[-1]
    )
    assert [line for line in lines if ": G" in line and " G301 " not in line] == []
    assert deploy(output, target) == (1, P002)
    assert snapshot(target) == before

    replace_in(committee_file(content), "verified: 2026-11-22", "verified: 2025-11-22")
    status, said = publish(content, output, server.site_url)
    assert status == 1
    assert said.splitlines()[-1] == "构建未完成：发现 3 个错误，网站没有更新（output/ 保持原样）。"
    assert deploy(output, target) == (1, P002)
    assert snapshot(target) == before
    assert served_wrongly(server, version_a) == []


def test_only_the_newest_releases_are_kept(server, target, version_a, version_b, version_c):
    ids = []
    for version in (version_a, version_b, version_c):
        status, said = deploy(version.output, target, keep=2)
        assert status == 0, said
        ids.append(live(target))
    kept = ids[1:]
    assert sorted(os.listdir(target / "releases")) == sorted(kept + [f"{i}.json" for i in kept])
    assert os.readlink(target / "current") == f"releases/{ids[2]}"
    assert sorted(os.listdir(target)) == [".deploy.lock", "current", "releases"]
    assert served_wrongly(server, version_c) == []


# Deploys as scripts and retries make them: several in one second, a rollback
# followed by a new deploy, a private umask.


@pytest.fixture
def deploys_within_one_second(monkeypatch):
    """Each deploy 1 ms after the last, all in one second: a script or CI retry, say."""
    ticks = itertools.count(1)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 26, 9, 30, 0, next(ticks) * 1000, tzinfo=tz)

    monkeypatch.setattr(deploy_module, "datetime", Clock)


def test_rollback_after_two_deploys_in_one_second(
    server, target, version_a, version_b, deploys_within_one_second
):
    # Deployed second but with the smaller digest, so sorted first by the id.
    earlier, later = sorted([version_a, version_b], key=lambda v: v.digest, reverse=True)
    assert deploy(earlier.output, target)[0] == 0
    first = live(target)
    assert deploy(later.output, target)[0] == 0
    status, said = deploy(later.output, target, rollback=True)
    assert (status, live(target)) == (0, first), said
    assert served_wrongly(server, earlier) == []


def test_deploying_a_build_again_within_one_second(
    server, target, version_a, version_b, deploys_within_one_second
):
    for version in (version_a, version_b, version_a):
        status, said = deploy(version.output, target)
        assert status == 0, said
    assert served_wrongly(server, version_a) == []


def test_rollback_returns_to_the_version_the_deploy_replaced(
    server, target, version_a, version_b, version_c
):
    assert deploy(version_a.output, target)[0] == 0
    first = live(target)
    assert deploy(version_b.output, target)[0] == 0
    assert deploy(version_b.output, target, rollback=True)[0] == 0  # B was wrong: back to A
    status, said = deploy(version_c.output, target)
    assert f"（上一个版本 {first}，可用 --rollback 回退）" in said
    status, said = deploy(version_c.output, target, rollback=True)
    assert (status, live(target)) == (0, first), said
    assert served_wrongly(server, version_a, gone=version_c) == []


def test_a_deploy_under_a_private_umask_is_readable_by_the_web_server(server, target, version_a):
    target.mkdir(mode=0o755)  # set up by the operator, as the web server's folder
    os.umask(0o077)
    try:
        status, said = deploy(version_a.output, target)
    finally:
        os.umask(0o022)
    assert status == 0, said
    assert served_wrongly(server, version_a) == []
