"""A rebuild into the same output/ changes only what the edit changed.

Every staged file whose bytes equal the live one is swapped in as the live
file itself (same inode, same mtime), and a build that changed nothing leaves
output/ untouched; the result is byte for byte what a fresh build writes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, committee_file, replace_in, tree_digest
from disclosure import pipeline
from disclosure.cli import commands, staging
from disclosure.core import files as record_files
from disclosure.core.kept import Kept
from disclosure.core.problems import RecordsInvalid
from disclosure.core.record_cache import RecordCache


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file and folder under `folder`: inode, mtime and (files) hash."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        seen[path.relative_to(folder).as_posix()] = (status.st_ino, status.st_mtime_ns, digest)
    return seen


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def names(seen: dict, folder: str) -> set[str]:
    return {path for path in seen if path.rpartition("/")[0] == folder}


def build(content: Path, output: Path, check=None, keep_pages=True):
    """A build as `serve` makes it: pages live and unchanged are taken (page_keys)."""
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF}
    return commands.build_site(
        ROOT / "pelicanconf.py", overrides=overrides, check=check, keep_pages=keep_pages
    )


def test_a_rebuild_of_the_same_content_touches_nothing(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    staging.wait_for_discards()
    before, root = snapshot(output), output.stat()
    result = build(content, output)
    assert result.changes is not None and result.changes.none
    assert snapshot(output) == before
    assert (output.stat().st_ino, output.stat().st_mtime_ns) == (root.st_ino, root.st_mtime_ns)
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def new_committee(content: Path) -> None:
    text = committee_file(content, "haizhu-gongyu").read_text(encoding="utf-8")
    text = text.replace("name: 海珠公寓居民区", "name: 海珠新村居民区", 1)
    committee_file(content, "haizhu-xincun").write_text(text, encoding="utf-8")


# Each edit staff make, with pages it must change and pages it must leave alone.
EDITS = [
    (
        "a committee's hours",
        lambda c: replace_in(committee_file(c), "hours: 18:00-20:00", "hours: 18:00-21:00"),
        {
            "committees/rihui-liucun/index.html",
            "elder/committees/rihui-liucun/index.html",
            "committees/rihui-liucun/notice.pdf",
            "data/committees.json",
            "search/index.json",
        },
        {"index.html", "committees/rihui-yicun/index.html", "events/events.ics"},
    ),
    (
        "a new committee",
        new_committee,
        {
            "committees/haizhu-xincun/index.html",
            "elder/committees/haizhu-xincun/index.html",
            "committees/haizhu-xincun/notice.pdf",
            "index.html",
            "committees/index.html",
            "addresses/lookup.json",
            "disclosure/report.json",
        },
        {"committees/haizhu-gongyu/index.html", "committees/haizhu-gongyu/notice.pdf"},
    ),
    (
        "a deleted event",
        lambda c: (c / "data/events/2026/laozhaopian-zhan.yaml").unlink(),
        {"index.html", "events/index.html", "events/events.ics", "events/feed.atom"},
        {"committees/rihui-liucun/index.html", "plans/2020-h2/index.html"},
    ),
    (
        "an edited plan task",
        lambda c: replace_in(
            c / "data/plans/2020-h2.yaml", "明确楼组防控联络人。", "明确每个楼组的防控联络人。"
        ),
        {
            "plans/2020-h2/tasks/changtai-fangkong-duiwu/index.html",
            "elder/plans/2020-h2/tasks/changtai-fangkong-duiwu/index.html",
            "data/plan_tasks.json",
        },
        {"plans/2020-h2/index.html", "index.html", "events/events.ics"},
    ),
    (
        "a catalogue change",
        lambda c: replace_in(
            c / "data/catalogue.yaml", "responsible: 居民区党总支书记", "responsible: 居委会主任"
        ),
        {"disclosure/index.html", "elder/disclosure/index.html", "disclosure/report.json"},
        {"index.html", "committees/rihui-liucun/index.html"},
    ),
    (
        "the hours put back",
        lambda c: replace_in(committee_file(c), "hours: 18:00-21:00", "hours: 18:00-20:00"),
        {"committees/rihui-liucun/index.html", "committees/rihui-liucun/notice.pdf"},
        {"committees/haizhu-xincun/index.html", "disclosure/report.json"},
    ),
]


def record_digests(content: Path) -> dict[str, str]:
    return {
        path.relative_to(content).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (content / "data").rglob("*.yaml")
    }


def test_after_each_edit_the_output_is_a_fresh_build_and_only_what_changed_is_new(
    content, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    build(content, output)
    gated = []
    typed = []  # record files typed again by a build in this process (as `serve` builds)
    real_typed = record_files._typed
    monkeypatch.setattr(
        record_files,
        "_typed",
        lambda data, shown, *rest: typed.append(Path(shown).name) or real_typed(data, shown, *rest),
    )
    kept_typed = record_files._TYPED
    seen = set(record_digests(content).items())  # every file's bytes a build here has read

    def gate(staged: Path, final: Path, settings: dict) -> None:
        # the gate sees the tree that goes live: unchanged files already the live ones
        gated.append(snapshot(staged))
        assert (staged / "index.html").is_file() and staged != final

    for step, (edit, change, must_change, must_keep) in enumerate(EDITS):
        before = snapshot(output)
        change(content)
        typed.clear()
        result = build(content, output, check=gate)
        new = set(record_digests(content).items()) - seen
        assert sorted(typed) == sorted(Path(name).name for name, _ in new), edit
        seen |= new
        after = snapshot(output)
        fresh = tmp_path / f"fresh-{step}"
        # fresh: every record typed anew, as in a new process with none on disk
        # (the board notices are taken from the project's cache, keyed by what each shows)
        monkeypatch.setattr(record_files, "_TYPED", Kept(kept_typed.most))
        monkeypatch.setattr(pipeline, "RecordCache", lambda folder: None)
        build(content, fresh, keep_pages=False)
        monkeypatch.setattr(pipeline, "RecordCache", RecordCache)
        monkeypatch.setattr(record_files, "_TYPED", kept_typed)
        assert tree_digest(output) == tree_digest(fresh), edit
        assert folders(output) == folders(fresh), edit  # built in the last site's folders
        assert gated[-1] == after, edit
        files = {path for path, (_, _, digest) in after.items() if digest}
        kept = {p for p in files if p in before and after[p][:2] == before[p][:2]}
        # kept exactly where the bytes are the same: nothing the edit did not
        # change is written again, and nothing it changed is kept
        same = {p for p in files if p in before and after[p][2] == before[p][2]}
        assert kept == same, (edit, sorted(same - kept)[:5], sorted(kept - same)[:5])
        assert must_change <= files - same, (edit, sorted(must_change & same))
        assert must_keep <= kept, (edit, sorted(must_keep - kept))
        written = files - same
        removed = {p for p, (_, _, digest) in before.items() if digest and p not in after}
        assert (result.changes.written, result.changes.removed) == (len(written), len(removed))
        # a folder keeps its mtime while its names stay the same
        for folder, (_, mtime, digest) in after.items():
            if not digest and folder in before and names(after, folder) == names(before, folder):
                assert mtime == before[folder][1], (edit, folder)
        shutil.rmtree(fresh)
    assert not (output / "events/2026/laozhaopian-zhan").exists()
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_a_failed_rebuild_leaves_every_file_and_its_mtime(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    before = snapshot(output)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: [18:00-20:00")
    with pytest.raises(RecordsInvalid):
        build(content, output)
    assert snapshot(output) == before
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_a_file_or_folder_whose_mode_changed_is_made_again_readable(content, tmp_path):
    previous = os.umask(0o022)
    try:
        output = tmp_path / "output"
        build(content, output)
        (output / "index.html").chmod(0o600)
        (output / "committees").chmod(0o700)
        before = snapshot(output)
        result = build(content, output)
    finally:
        os.umask(previous)
    assert not result.changes.none
    assert (output / "index.html").stat().st_mode & 0o777 == 0o644
    assert (output / "committees").stat().st_mode & 0o777 == 0o755
    after = snapshot(output)
    assert after["index.html"][0] != before["index.html"][0]
    assert (
        after["committees/rihui-liucun/index.html"] == before["committees/rihui-liucun/index.html"]
    )


def test_the_old_site_is_deleted_after_the_build_has_returned(content, tmp_path, monkeypatch):
    output = tmp_path / "output"
    build(content, output, keep_pages=False)
    released = threading.Event()
    real_rmtree = shutil.rmtree

    def slow_rmtree(path, *args, **kwargs):
        if "-trash-" in Path(path).name:
            assert released.wait(timeout=60)
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", slow_rmtree)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    result = build(content, output, keep_pages=False)
    assert result.changes.written > 0
    assert "18:00–21:00" in (output / "committees/rihui-liucun/index.html").read_text("utf-8")
    # the retired site is still being deleted, under a name the sweep never restores
    [trash] = [p.name for p in tmp_path.iterdir() if p.name not in ("content", "output")]
    assert trash.startswith(f".output-trash-{os.getpid()}-")
    released.set()
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_serve_builds_in_the_folders_of_the_site_it_retired(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    build(content, output)
    # the retired site, emptied of files in the background, its folders kept
    [(spare, thread, _)] = staging._SPARES.values()
    thread.join()
    assert spare.name.startswith(f".output-spare-{os.getpid()}-")
    assert (spare / "committees/rihui-liucun").is_dir()
    assert not [p for p in spare.rglob("*") if not p.is_dir()]
    spare_root = spare.stat().st_ino
    event = next((content / "data/events/2026").glob("*.yaml"))
    event.unlink()  # its folders are in the spare, and in no build now
    build(content, output)
    assert output.stat().st_ino == spare_root
    fresh = tmp_path / "fresh"
    build(content, fresh, keep_pages=False)
    assert not (output / f"events/2026/{event.stem}").exists()
    assert folders(output) == folders(fresh)
    assert tree_digest(output) == tree_digest(fresh)
    staging.wait_for_discards()  # and spares: a process that builds no more
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "fresh", "output"]


def test_a_spare_left_by_a_killed_serve_is_swept(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    leftover = tmp_path / ".output-spare-999999999-0123abcd"
    (leftover / "committees/rihui-liucun").mkdir(parents=True)
    build(content, output)
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


@pytest.fixture
def trees(tmp_path) -> tuple[Path, Path]:
    """A live site and a staged build of it, as plain folders."""
    live, staged = tmp_path / "live", tmp_path / "staged"
    for root in (live, staged):
        (root / "sub").mkdir(parents=True)
        (root / "index.html").write_text("首页")
        (root / "sub/page.html").write_text("页面")
        (root / "sub/link").symlink_to("page.html")
    return live, staged


def inode(path: Path) -> int:
    return path.lstat().st_ino


def test_only_regular_files_with_the_same_bytes_are_linked(trees):
    live, staged = trees
    (staged / "sub/page.html").write_text("改过的页面")
    changes = staging.keep_unchanged(staged, live)
    assert (changes.written, changes.removed, changes.copies) == (1, 0, 0)
    assert inode(staged / "index.html") == inode(live / "index.html")
    assert inode(staged / "sub/page.html") != inode(live / "sub/page.html")
    assert (staged / "sub/page.html").read_text() == "改过的页面"
    assert (staged / "sub/link").is_symlink()  # a symlink is left as the build made it
    assert sorted(p.name for p in staged.rglob("*")) == ["index.html", "link", "page.html", "sub"]


def test_a_symlink_to_elsewhere_and_a_file_gone_are_changes(trees):
    live, staged = trees
    (staged / "sub/link").unlink()
    (staged / "sub/link").symlink_to("../index.html")
    (live / "sub/old.html").write_text("删去的页面")
    changes = staging.keep_unchanged(staged, live)
    assert (changes.written, changes.removed, changes.others) == (0, 1, True)
    assert not changes.none


def test_without_hard_links_every_file_keeps_its_new_copy(trees, monkeypatch):
    live, staged = trees
    (staged / "sub/page.html").write_text("改过的页面")
    for root in (live, staged):
        (root / "site.css").write_text("body {}")
    made = {p: inode(p) for p in staged.rglob("*")}
    tried = []

    def no_links(*args, **kwargs):
        tried.append(args)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    changes = staging.keep_unchanged(staged, live)
    assert (changes.written, changes.copies) == (1, 2)
    assert len(tried) == 1  # a filesystem that cannot link is not asked again
    assert {p: inode(p) for p in staged.rglob("*")} == made
    assert (staged / "index.html").read_text() == "首页"


def test_a_live_file_replaced_after_it_was_compared_is_not_linked(trees, monkeypatch):
    live, staged = trees
    compare = staging._compare

    def then_replaced(*args, **kwargs):
        compare(*args, **kwargs)
        if not kwargs.get("root"):
            return
        # another build swaps in its own site between the comparison and the links
        (live / "index.html").unlink()
        (live / "index.html").write_text("别的构建写的首页")

    monkeypatch.setattr(staging, "_compare", then_replaced)
    (staged / "sub/page.html").write_text("页面二")
    changes = staging.keep_unchanged(staged, live)
    assert (staged / "index.html").read_text() == "首页"
    assert inode(staged / "index.html") != inode(live / "index.html")
    assert changes.copies == 1
    assert not list(staged.rglob("*.keep"))


def test_folders_a_build_left_empty_in_a_spare_are_pruned_as_it_compares(trees):
    """A year whose every event was deleted: its folder and theirs stay in the
    spare, empty; a fresh build has none of them, so neither may the site."""
    live, staged = trees
    for root in (live, staged):
        (root / "events/2020/a").mkdir(parents=True)
        (root / "events/2020/b").mkdir(parents=True)
        (root / "events/2021").mkdir(parents=True)
        (root / "events/2021/c.html").write_text("活动")
    for name in ("events/2020/a/index.html", "events/2020/b/index.html"):
        (live / name).write_text("删去的活动")
    (staged / "old/deeper").mkdir(parents=True)  # in no live site either
    changes = staging.keep_unchanged(staged, live, prune=True)
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_dir()) == [
        "events",
        "events/2021",
        "sub",
    ]
    assert (changes.written, changes.removed, changes.others) == (0, 2, True)


def test_without_a_live_site_a_spare_is_pruned_all_the_same(tmp_path):
    staged = tmp_path / "staged"
    (staged / "events/2020/a").mkdir(parents=True)
    (staged / "index.html").parent.mkdir(exist_ok=True)
    (staged / "index.html").write_text("首页")
    assert staging.keep_unchanged(staged, tmp_path / "missing", prune=True) is None
    assert [p.name for p in staged.iterdir()] == ["index.html"]
