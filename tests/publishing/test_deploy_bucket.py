"""Deploying to a real S3-compatible bucket, and what a visitor then gets over plain HTTP.

The site is published for the bucket's own anonymous address and deployed with
`deploy` to `site:deploy-site`, an rclone remote defined by environment variables
only, as in CI. Pages are read back with unsigned GETs, as a CDN in front of the
bucket would read them.

Each publish is a ~4 s Pelican build and each bucket deploy ~5 s of rclone runs,
and the site address is baked into every build, so one bucket goes through one
history, made once per module by the `history` fixture: three versions deployed
with keep=2, then the last one again. What the tests need from the moments in
between is recorded there; the tests read it, or the store as it is now. Only
the rollback test changes what is live, and the tests that read the live site
compare it with whichever checked build CURRENT names, so the tests do not
depend on their order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, committee_file, publish, replace_in, tree_digest
from disclosure.cli import publish as publishing
from disclosure.publishing import checked_build
from disclosure.publishing.content_types import content_type
from object_store import ObjectStore, direct_http, find_binary
from object_store import object_store as _object_store_fixture  # noqa: F401  (registers it)

BUCKET = "deploy-site"
TARGET = f"site:{BUCKET}"
ARCHIVE = f"site:{BUCKET}-releases"  # a bucket of its own, private in real hosting
SECRET_VARIABLE = "RCLONE_CONFIG_SITE_SECRET_ACCESS_KEY"
# The test's own reads go through a second remote with the real key, so that
# they still work while a test gives `site:` a wrong one.
CHECK = "check"
KEEP = 2

HTML = "text/html; charset=utf-8"
CALENDAR = "text/calendar; charset=utf-8"
COMMITTEE_PAGE = "committees/rihui-liucun/index.html"
DROPPED_EVENT = "events/2026/zhiyuanzhe-ri"  # its record is deleted in the "changed" version
UNCHANGED = "theme/css/site.css"

NOT_DEPLOYED = f"部署没有完成：{TARGET} 的线上版本没有切换。\n"
NOT_ROLLED_BACK = f"回退没有完成：{TARGET} 的线上版本没有切换。\n"
NOTHING_CHECKED = (
    "P002 没有检查通过的版本可以部署：请先运行 python3 bootstrap.py publish，"
    "并确认它通过了检查。线上网站没有改动。\n"
)


@dataclasses.dataclass(frozen=True)
class Served:
    """One unsigned GET: what a CDN would get from the bucket."""

    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes = dataclasses.field(repr=False)


def get(url: str) -> Served:
    try:
        with direct_http.open(url, timeout=10) as response:
            headers, status, body = response.headers, response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            # An error's body names the request, so it differs on every read.
            headers, status, body = error.headers, error.code, b""
    return Served(status, headers["Content-Type"], headers["ETag"], headers["Last-Modified"], body)


def served_site(site_url: str, keys: Iterable[str]) -> dict[str, Served]:
    return {key: get(f"{site_url}/{urllib.parse.quote(key)}") for key in keys}


def rclone(store: ObjectStore, *args: str) -> str:
    result = subprocess.run(
        [find_binary("rclone"), *args],
        env=os.environ | store.rclone_env(CHECK),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"rclone {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def listing(store: ObjectStore, bucket: str) -> dict[str, tuple[int, str]]:
    """Every object in `bucket` with its size and MD5, to prove a bucket was left alone."""
    entries = json.loads(
        rclone(store, "lsjson", "-R", "--files-only", "--hash", f"{CHECK}:{bucket}")
    )
    return {e["Path"]: (e["Size"], e["Hashes"]["md5"]) for e in entries}


def stored(store: ObjectStore) -> dict[str, dict[str, tuple[int, str]]]:
    """The live site and the archive of releases, both."""
    return {name: listing(store, name) for name in (BUCKET, f"{BUCKET}-releases")}


def archived_text(store: ObjectStore, name: str) -> str:
    return rclone(store, "cat", f"{CHECK}:{BUCKET}-releases/{name}")


def deploy(store: ObjectStore, output: Path, **options) -> tuple[int, str]:
    shown = io.StringIO()
    options.setdefault("archive", ARCHIVE)
    target = options.pop("target", TARGET)
    code = publishing.deploy(output, target, out=shown, **options)
    text = shown.getvalue()
    # Whatever happened, this text ends up in a CI log that many people can read.
    assert store.secret_key not in text
    return code, text


@dataclasses.dataclass(frozen=True)
class Build:
    output: Path
    checked: checked_build.CheckedBuild

    def files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@pytest.fixture(scope="module", autouse=True)
def remote(object_store) -> Iterator[None]:
    """Define `site:` as CI does: environment variables only, no rclone.conf."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in object_store.rclone_env("site").items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="module")
def site_url(object_store) -> str:
    # Absolute links in the pages then point into the bucket itself.
    return f"{object_store.endpoint}/{BUCKET}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory, site_url) -> dict[str, Build]:
    """Three checked builds from one copy of the example content, each a different site.

    "example" is the example content as it is; "first" has another block leader's
    name; "changed" has a block leader renamed and one event deleted.
    """
    root = tmp_path_factory.mktemp("deploy-builds")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    committee = committee_file(content)
    example_text = committee.read_text("utf-8")
    built = {}

    def publish_checked(name: str) -> None:
        # Same parent, different names: each output keeps its own checked stamp.
        output = root / name
        code, text = publish(content, output, site_url)
        assert code == 0, text
        checked = checked_build.read(output)
        assert checked is not None
        built[name] = Build(output, checked)

    replace_in(committee, "段振华", "段振东")
    publish_checked("first")
    committee.write_text(example_text, "utf-8")
    publish_checked("example")
    replace_in(committee, "曹建国", "曹建民")
    (content / "data" / f"{DROPPED_EVENT}.yaml").unlink()
    publish_checked("changed")
    return built


@dataclasses.dataclass
class History:
    keys: list[str]  # every file any of the builds has: deleted pages are read too
    releases: dict[str, str] = dataclasses.field(default_factory=dict)  # version -> id
    printed: dict[str, str] = dataclasses.field(default_factory=dict)  # step -> deploy output
    seen: dict[str, dict[str, Served]] = dataclasses.field(default_factory=dict)
    stored: dict[str, dict] = dataclasses.field(default_factory=dict)
    current: str = ""  # CURRENT right after the third deploy


@pytest.fixture(scope="module")
def history(object_store, builds, site_url) -> History:
    """first, example, changed deployed in turn with keep=2, then changed once more."""
    object_store.make_bucket(BUCKET)
    object_store.make_bucket(f"{BUCKET}-releases")
    record = History(keys=sorted(set().union(*(b.files() for b in builds.values()))))

    def step(name: str, version: str) -> None:
        code, text = deploy(object_store, builds[version].output, keep=KEEP)
        assert code == 0, text
        record.printed[name] = text
        record.releases.setdefault(version, archived_text(object_store, "CURRENT").strip())

    step("first", "first")
    step("example", "example")
    finished = time.monotonic()
    record.seen["example"] = served_site(site_url, record.keys)
    # Last-Modified has whole seconds: an object written again must show a later one.
    time.sleep(max(0.0, 1.1 - (time.monotonic() - finished)))
    step("changed", "changed")
    record.seen["changed"] = served_site(site_url, record.keys)
    record.stored["changed"] = stored(object_store)
    record.current = archived_text(object_store, "CURRENT")
    step("again", "changed")
    record.seen["again"] = served_site(site_url, record.keys)
    record.stored["again"] = stored(object_store)
    return record


def live_build(store: ObjectStore, builds: dict[str, Build]) -> Build:
    """The checked build whose release CURRENT names, matched by its digest."""
    live = archived_text(store, "CURRENT").strip()
    digest = json.loads(archived_text(store, f"{live}.json"))["digest"]
    [build] = [b for b in builds.values() if b.checked.digest == digest]
    return build


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # a form's action too: the search box leads to the search page
        wanted = ("href", "src", "action") if tag == "form" else ("href", "src")
        self.found += [value for name, value in attrs if name in wanted and value]


def links_in(page: bytes) -> list[str]:
    parser = Links()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.found


def object_url(link: str, site_url: str) -> str | None:
    """The object a CDN with index documents would serve for `link`, or None if off-site."""
    url = urllib.parse.urldefrag(link).url
    if url == site_url:
        url += "/"
    if not url.startswith(site_url + "/"):
        return None
    # Plain S3 has no index documents; `…/x/` is the object `x/index.html`.
    return url + "index.html" if url.endswith("/") else url


def test_the_bucket_serves_the_checked_build_byte_for_byte(object_store, history, builds, site_url):
    local = live_build(object_store, builds).files()
    objects = rclone(object_store, "lsf", "-R", "--files-only", f"{CHECK}:{BUCKET}").splitlines()
    assert sorted(objects) == sorted(local)

    served = served_site(site_url, local)
    # Every object with its declared type; a mismatch shows as "other bytes", not a dump.
    assert {
        key: (answer.status, answer.content_type, answer.body == local[key])
        for key, answer in served.items()
    } == {key: (200, content_type(key), True) for key in local}

    # The types a visitor's browser and calendar app depend on, spelled out.
    assert served["index.html"].content_type == HTML
    assert served["events/events.ics"].content_type == CALENDAR
    assert served["disclosure/report.json"].content_type == "application/json"
    assert served[UNCHANGED].content_type == "text/css; charset=utf-8"
    feeds = [key for key in local if key.endswith(".atom")]
    scripts = [key for key in local if key.startswith("theme/js/") and key.endswith(".js")]
    assert "events/feed.atom" in feeds
    assert {served[key].content_type for key in feeds} == {"application/atom+xml"}
    assert scripts
    assert {served[key].content_type for key in scripts} == {"text/javascript; charset=utf-8"}


def _headers(answer: Served) -> tuple[str | None, str | None]:
    return answer.etag, answer.last_modified


def test_every_link_at_the_site_address_answers(object_store, history, builds, site_url):
    home = f"{site_url}/index.html"
    answers = {home: get(home)}
    assert answers[home].status == 200
    to_read, broken = [home], []
    while to_read:
        page = to_read.pop()
        for link in links_in(answers[page].body):
            url = object_url(urllib.parse.urljoin(page, link), site_url)
            if url is None:
                continue
            if url not in answers:
                answers[url] = get(url)
                if answers[url].status == 200 and url.endswith(".html"):
                    to_read.append(url)
            if answers[url].status != 200:
                broken.append((page.removeprefix(site_url), link, answers[url].status))
    assert broken == []
    # Every page of the site was reached from the home page, so every link was tried;
    # the 404 page is linked from nowhere: the bucket's error document, set by hand.
    pages = {url.removeprefix(site_url + "/") for url in answers if url.endswith(".html")}
    assert pages | {"404.html"} == {
        key for key in live_build(object_store, builds).files() if key.endswith(".html")
    }
    assert get(f"{site_url}/404.html").status == 200


def test_a_new_version_changes_only_what_changed(history, builds):
    first, example, changed = (history.releases[v] for v in ("first", "example", "changed"))
    for version, release in history.releases.items():
        # Named by when (ids sort by time) and by what: the checked build's digest.
        assert re.fullmatch(rf"\d{{8}}T\d{{6,}}Z-{builds[version].checked.digest[:10]}", release)
    assert history.printed == {
        "first": f"已部署：{TARGET} 现在是 {first}（这是第一个版本）。\n",
        "example": f"已部署：{TARGET} 现在是 {example}（上一个版本 {first}，可用 --rollback 回退）。\n",
        "changed": (
            f"已部署：{TARGET} 现在是 {changed}（上一个版本 {example}，可用 --rollback 回退）。\n"
        ),
        "again": f"线上已是这个版本（{changed}），没有需要传输的内容。\n",
    }

    before, after = history.seen["example"], history.seen["changed"]
    assert "曹建国".encode() in before[COMMITTEE_PAGE].body
    page = after[COMMITTEE_PAGE]
    assert (page.status, page.content_type) == (200, HTML)
    assert "曹建民".encode() in page.body
    assert "曹建国".encode() not in page.body
    for key in (f"{DROPPED_EVENT}/index.html", f"{DROPPED_EVENT}.ics"):
        assert (before[key].status, after[key].status) == (200, 404), key

    # Unchanged files were not sent again; the renamed leader's page was, and got a
    # later Last-Modified, so the header does tell a new upload from an old object.
    assert _headers(after[UNCHANGED]) == _headers(before[UNCHANGED])
    assert after[COMMITTEE_PAGE].last_modified != before[COMMITTEE_PAGE].last_modified
    old, new = builds["example"].files(), builds["changed"].files()
    rewritten = {
        key
        for key in history.keys
        if after[key].status == 200 and _headers(after[key]) != _headers(before[key])
    }
    assert rewritten == {key for key in new if old.get(key) != new[key]}
    assert COMMITTEE_PAGE in rewritten

    # The same build deployed again transfers nothing, in the site or in the archive.
    assert history.seen["again"] == history.seen["changed"]
    assert history.stored["again"] == history.stored["changed"]


def test_keep_leaves_the_newest_releases_in_the_archive(history, builds, site_url, object_store):
    example, changed = history.releases["example"], history.releases["changed"]
    # Objects, not folders: SeaweedFS still lists a purged folder as an empty prefix.
    archive = history.stored["changed"][f"{BUCKET}-releases"]
    assert {path.split("/")[0] for path in archive if "/" in path} == {example, changed}
    assert {path for path in archive if "/" not in path} == {
        f"{example}.json",
        f"{changed}.json",
        "CURRENT",
    }
    assert history.current == f"{changed}\n"
    for version in ("example", "changed"):
        release = history.releases[version]
        kept = {
            path.removeprefix(f"{release}/"): hashed
            for path, (_size, hashed) in archive.items()
            if path.startswith(f"{release}/")
        }
        assert kept == {key: md5(data) for key, data in builds[version].files().items()}
        manifest = json.loads(archived_text(object_store, f"{release}.json"))
        checked = builds[version].checked
        recorded = {
            "id": release,
            "digest": checked.digest,
            "files": checked.files,
            "site_url": site_url,
            "as_of": AS_OF,
        }
        assert {key: manifest.get(key) for key in recorded} == recorded


def test_rollback_serves_the_previous_release_again(object_store, history, builds, site_url):
    first, example, changed = (history.releases[v] for v in ("first", "example", "changed"))
    assert archived_text(object_store, "CURRENT") == f"{changed}\n", "rolled back already"
    before = served_site(site_url, history.keys)

    code, text = deploy(object_store, builds["changed"].output, rollback=True)
    assert (code, text) == (0, f"已回退：{TARGET} 现在是 {example}（原来是 {changed}）。\n")
    assert archived_text(object_store, "CURRENT") == f"{example}\n"
    now = served_site(site_url, history.keys)
    page = now[COMMITTEE_PAGE]
    assert "曹建国".encode() in page.body
    assert "曹建民".encode() not in page.body
    event_page, calendar = now[f"{DROPPED_EVENT}/index.html"], now[f"{DROPPED_EVENT}.ics"]
    assert (event_page.status, event_page.content_type) == (200, HTML)
    assert (calendar.status, calendar.content_type) == (200, CALENDAR)
    assert "国际志愿者日".encode() in event_page.body
    # The whole site is the example release again, types included...
    seen_then = history.seen["example"]
    assert {k: (a.status, a.content_type, a.body) for k, a in now.items()} == {
        k: (a.status, a.content_type, a.body) for k, a in seen_then.items()
    }
    # ...and like a deploy, the rollback copied only what differs.
    assert _headers(now[UNCHANGED]) == _headers(before[UNCHANGED])

    # The example release replaced the first one, which keep=2 has since pruned.
    kept = stored(object_store)
    code, text = deploy(object_store, builds["changed"].output, rollback=True)
    assert (code, text) == (
        1,
        f"P022 {example} 替换的版本 {first} 已不再保留，无法回退\n{NOT_ROLLED_BACK}",
    )
    assert stored(object_store) == kept
    assert served_site(site_url, history.keys) == now


def test_a_failed_publish_leaves_nothing_to_deploy(
    object_store, history, builds, site_url, content, tmp_path
):
    # A checked build whose release keep=2 has pruned: a deploy of it that got
    # through would at least add a release to the archive, whatever is live.
    first = builds["first"]
    output = tmp_path / "output"
    shutil.copytree(first.output, output)
    shutil.copy2(checked_build.stamp_path(first.output), checked_build.stamp_path(output))
    assert checked_build.read(output) == first.checked
    files = tree_digest(output)
    before = stored(object_store)

    replace_in(committee_file(content), "verified: 2026-11-22", "verified: 2025-11-22")
    code, text = publish(content, output, site_url)
    assert code == 1, text
    assert " D302 " in text
    assert text.splitlines()[-1] == "构建未完成：发现 3 个错误，网站没有更新（output/ 保持原样）。"
    # The last checked files are still there; only the forgotten check stops them.
    assert tree_digest(output) == files
    assert checked_build.read(output) is None

    assert deploy(object_store, output) == (1, NOTHING_CHECKED)
    assert stored(object_store) == before


def test_credentials_never_reach_the_output(object_store, history, builds, monkeypatch):
    before = stored(object_store)
    wrong = "wrong-" + secrets.token_urlsafe(24)
    monkeypatch.setenv(SECRET_VARIABLE, wrong)
    for options, not_done in (({}, NOT_DEPLOYED), ({"rollback": True}, NOT_ROLLED_BACK)):
        code, text = deploy(object_store, builds["first"].output, **options)
        assert code == 1, text
        reason, rest = text.split("\n", 1)
        # Why it failed is shown, as the store said it; the keys are not.
        assert reason.startswith("P011 rclone ")
        assert "SignatureDoesNotMatch" in reason
        assert "访问密钥不对，请检查 S3_SECRET_ACCESS_KEY。详情：" in reason
        assert rest == not_done
        assert wrong not in text
        assert object_store.secret_key not in text
    assert stored(object_store) == before

    # Nor did the successful deploys print it, or write it to the archive.
    assert all(object_store.secret_key not in text for text in history.printed.values())
    archive = f"{BUCKET}-releases"
    for name in [path for path in listing(object_store, archive) if "/" not in path]:
        assert object_store.secret_key not in archived_text(object_store, name)


def test_a_mistyped_bucket_is_not_created(object_store, history, builds):
    def buckets() -> set[str]:
        return {e["Path"] for e in json.loads(rclone(object_store, "lsjson", f"{CHECK}:"))}

    before = buckets()
    code, text = deploy(object_store, builds["changed"].output, target="site:deploy-sitee")
    assert (code, text) == (
        1,
        "P014 存储桶 site:deploy-sitee 不存在：请检查名字，或先在对象存储中创建它"
        "（网站的存储桶设为公共读，保存历史版本的设为私有）\n"
        "部署没有完成：site:deploy-sitee 的线上版本没有切换。\n",
    )
    assert buckets() == before
