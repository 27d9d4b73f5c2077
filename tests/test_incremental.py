"""A rebuild into the same output/ changes only what the edit changed.

Every staged file whose bytes equal the live one is swapped in as the live
file itself (same inode, same mtime), and a build that changed nothing leaves
output/ untouched; the result is byte for byte what a fresh build writes.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import shutil
import signal
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
    root = output.stat().st_ino
    typed = []  # record files typed again by a build in this process (as `serve` builds)
    real_typed = record_files._typed
    monkeypatch.setattr(
        record_files,
        "_typed",
        lambda data, shown, *rest: typed.append(Path(shown).name) or real_typed(data, shown, *rest),
    )
    kept_typed = record_files._TYPED
    seen = set(record_digests(content).items())  # every file's bytes a build here has read

    for step, (edit, change, must_change, must_keep) in enumerate(EDITS):
        before = snapshot(output)
        change(content)
        typed.clear()
        result = build(content, output)
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
        assert folders(output) == folders(fresh), edit
        assert output.stat().st_ino == root, edit  # laid over the live site, not swapped
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


def test_a_gated_build_is_staged_whole_and_the_gate_sees_the_site_that_goes_live(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    gated = []

    def gate(staged: Path, final: Path, settings: dict) -> None:
        # unchanged files are the live ones already
        gated.append(snapshot(staged))
        assert staged != final

    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    before = snapshot(output)
    build(content, output, check=gate)
    after = snapshot(output)
    assert gated == [after]
    assert after["committees/rihui-yicun/index.html"] == before["committees/rihui-yicun/index.html"]
    assert (
        after["committees/rihui-liucun/index.html"] != before["committees/rihui-liucun/index.html"]
    )


def test_an_event_deleted_in_serve_leaves_no_folder_a_fresh_build_lacks(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    year = content / "data/events/2020"
    for event in year.glob("*.yaml"):
        event.unlink()  # a whole year's
    result = build(content, output)
    assert result.changes.removed > 0
    fresh = tmp_path / "fresh"
    build(content, fresh, keep_pages=False)
    assert not (output / "events/2020").exists()
    assert folders(output) == folders(fresh)
    assert tree_digest(output) == tree_digest(fresh)
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "fresh", "output"]


def test_a_spare_left_by_an_earlier_versions_serve_is_swept(content, tmp_path):
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


def laid(live: Path, staged: Path, names: set[str]) -> staging.Changes:
    """`staged` laid over `live`, as if a build of this process had put
    `live` there as it is now."""
    staging.record_live(live, {p.relative_to(live).as_posix() for p in files_in(live)})
    return staging.lay_over(staged, live, names)


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if not p.is_dir() or p.is_symlink()]


def test_laid_over_only_what_differs_is_moved_in_and_what_is_gone_removed(tmp_path):
    live, staged = tmp_path / "live", tmp_path / "staged"
    for name, text in {
        "index.html": "首页",
        "sub/page.html": "页面",
        "sub/same.html": "不变",
        "old/deeper/gone.html": "删去的页面",
    }.items():
        (live / name).parent.mkdir(parents=True, exist_ok=True)
        (live / name).write_text(text)
    os.utime(live / "sub", ns=(1, 1_000_000_000))
    before = {p.relative_to(live).as_posix(): p.lstat() for p in live.rglob("*")}
    (staged / "sub").mkdir(parents=True)
    (staged / "sub/page.html").write_text("改过的页面")
    (staged / "sub/same.html").write_text("不变")
    (staged / "new/folder").mkdir(parents=True)
    (staged / "new/folder/page.html").write_text("新页面")
    names = {"index.html", "sub/page.html", "sub/same.html", "new/folder/page.html"}
    changes = laid(live, staged, names)
    assert (changes.written, changes.removed) == (2, 1)
    assert not staged.exists()
    assert sorted(p.relative_to(live).as_posix() for p in files_in(live)) == sorted(names)
    assert not (live / "old").exists()  # a folder of empty folders goes
    assert (live / "sub/page.html").read_text() == "改过的页面"
    for kept in ("index.html", "sub/same.html", "sub"):  # the folder's names are the same
        now = (live / kept).lstat()
        assert (now.st_ino, now.st_mtime_ns) == (before[kept].st_ino, before[kept].st_mtime_ns)
    assert (live / "sub/page.html").stat().st_ino != before["sub/page.html"].st_ino


def test_laid_over_a_site_changed_by_hand_it_is_made_as_a_build_makes_it(tmp_path):
    live, staged = tmp_path / "live", tmp_path / "staged"
    previous = os.umask(0o022)
    try:
        (live / "sub").mkdir(parents=True)
        (live / "index.html").write_text("首页")
        (live / "sub/page.html").write_text("页面")
        staged.mkdir()
        names = {"index.html", "sub/page.html"}
        staging.record_live(live, names)
        (live / "sub/stray.html").write_text("手工放进去的文件")
        (live / "sub/stray-folder").mkdir()
        (live / "sub").chmod(0o700)
        changes = staging.lay_over(staged, live, names)
    finally:
        os.umask(previous)
    assert (changes.written, changes.removed, changes.others) == (0, 2, True)
    assert sorted(p.relative_to(live).as_posix() for p in live.rglob("*")) == [
        "index.html",
        "sub",
        "sub/page.html",
    ]
    assert (live / "sub").stat().st_mode & 0o777 == 0o755


def killed_after(moves: int, monkeypatch) -> None:
    """os.replace raises (as a kill would) once `moves` files were moved in."""
    real = os.replace
    moved = []

    def replace(source, target, **kwargs):
        if not str(target).endswith(".part") and "-journal-" not in str(target):
            if len(moved) == moves:
                raise KeyboardInterrupt
            moved.append(target)
        return real(source, target, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def test_a_build_killed_while_laid_over_is_finished_by_the_next(tmp_path, monkeypatch):
    live, staged = tmp_path / "live", tmp_path / f".live-building-{os.getpid()}-x"
    for root in (live, staged):
        root.mkdir()
    for number in range(4):
        (live / f"{number}.html").write_text("旧")
        (staged / f"{number}.html").write_text("新")
    (live / "gone.html").write_text("删去的页面")
    killed_after(2, monkeypatch)
    names = {f"{number}.html" for number in range(4)}
    staging.record_live(live, names | {"gone.html"})
    with pytest.raises(KeyboardInterrupt):
        staging.lay_over(staged, live, names)
    monkeypatch.undo()
    assert sorted(p.read_text() for p in live.glob("*.html")) == ["新", "新", "旧", "旧"]
    [journal] = tmp_path.glob(".live-journal-*")
    staging.sweep_leftovers(live)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live"]
    assert {p.name: p.read_text() for p in live.iterdir()} == {n: "新" for n in names}
    assert not journal.exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"a/b": "页面"}, {"a/b/index.html": "新页面"}),  # a page becomes a folder's
        ({"a/b/index.html": "页面"}, {"a/b": "新页面"}),  # and the other way round
    ],
)
def test_a_lay_killed_after_its_moves_is_finished_without_undoing_them(
    tmp_path, monkeypatch, before, after
):
    live, staged = tmp_path / "live", tmp_path / f".live-building-{os.getpid()}-x"
    for root, files in (
        (live, {**before, "keep.html": "旧"}),
        (staged, {**after, "keep.html": "新"}),
    ):
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
    staging.record_live(live, set(before) | {"keep.html"})
    killed_after(1, monkeypatch)  # the page moved in, keep.html not yet
    with pytest.raises(KeyboardInterrupt):
        staging.lay_over(staged, live, set(after) | {"keep.html"})
    monkeypatch.undo()
    staging.sweep_leftovers(live)
    assert {p.relative_to(live).as_posix(): p.read_text() for p in files_in(live)} == {
        **after,
        "keep.html": "新",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live"]


def test_a_file_put_by_hand_where_the_build_writes_the_same_bytes_stays(tmp_path):
    live, staged = tmp_path / "live", tmp_path / "staged"
    live.mkdir()
    staged.mkdir()
    (live / "index.html").write_text("首页")
    staging.record_live(live, {"index.html"})
    (live / "new.html").write_text("新页面")  # by hand, before the build that makes it
    (staged / "new.html").write_text("新页面")
    changes = staging.lay_over(staged, live, {"index.html", "new.html"})
    assert {p.name: p.read_text() for p in live.iterdir()} == {
        "index.html": "首页",
        "new.html": "新页面",
    }
    assert changes.removed == 0


def test_a_site_swapped_in_by_another_build_meanwhile_is_built_again_whole(
    content, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    build(content, output)
    real = staging.lay_over
    laid = []

    def another_build_first(staged, final, names):
        laid.append(staged)
        if len(laid) == 1:  # `publish` swaps its site in while serve's build was made
            build(content, output, keep_pages=False)
        return real(staged, final, names)

    monkeypatch.setattr(staging, "lay_over", another_build_first)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    result = build(content, output)
    assert len(laid) == 1  # the second time round it was staged whole
    assert "18:00–21:00" in (output / "committees/rihui-liucun/index.html").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build(content, fresh, keep_pages=False)
    assert tree_digest(output) == tree_digest(fresh)
    assert result.changes is not None
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "fresh", "output"]


def test_a_lay_that_fails_before_its_journal_is_written_leaves_nothing_behind(
    tmp_path, monkeypatch
):
    live, staged = tmp_path / "live", tmp_path / f".live-building-{os.getpid()}-x"
    for root in (live, staged):
        root.mkdir()
    (live / "index.html").write_text("旧")
    (staged / "index.html").write_text("新")
    staging.record_live(live, {"index.html"})
    real = Path.write_text

    def disk_full(self, *args, **kwargs):
        if self.name.endswith(".part"):
            real(self, "{", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_full)
    with pytest.raises(OSError):
        staging.lay_over(staged, live, {"index.html"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live"]
    assert (live / "index.html").read_text() == "旧"


def test_ctrl_c_while_a_save_goes_live_is_held_until_the_site_is_whole(
    content, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    build(content, output)
    real = staging._lay

    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C, as the first file is moved in
        return real(*args, **kwargs)

    monkeypatch.setattr(staging, "_lay", interrupted)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    said = io.StringIO()
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF}
    status = commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=said, keep_pages=True)
    assert status == commands.INTERRUPTED
    assert said.getvalue().splitlines()[-1] == "已中断（中断前网站已完整更新）。"
    assert said.getvalue().splitlines()[-2].startswith("已生成网站：")
    fresh = tmp_path / "fresh"
    build(content, fresh, keep_pages=False)
    assert tree_digest(output) == tree_digest(fresh)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    staging.wait_for_discards()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "fresh", "output"]
