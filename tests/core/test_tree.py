"""files_under finds what rglob("*") and is_file() find, with the same stat;
files_of_build adds the live files a build takes without writing them."""

from __future__ import annotations

import os

from disclosure.core import tree
from disclosure.core.tree import FoundFile, files_under


def test_it_finds_what_rglob_finds(tmp_path):
    (tmp_path / "a/b/c").mkdir(parents=True)
    (tmp_path / "a-b").mkdir()
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "a/b/c/index.html").write_text("deep")
    (tmp_path / "a-b/x.css").write_text("css")
    (tmp_path / "empty").mkdir()
    (tmp_path / "a/dir.html").mkdir()  # a folder whose name looks like a page
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not under the folder")
    os.symlink(outside, tmp_path / "linked-folder")  # not followed, as rglob
    os.symlink(tmp_path / "index.html", tmp_path / "a/linked.html")  # a file all the same
    os.symlink(tmp_path / "missing", tmp_path / "broken")

    expected = {
        p.relative_to(tmp_path).as_posix(): p.stat() for p in tmp_path.rglob("*") if p.is_file()
    }
    found = files_under(tmp_path)
    assert {f.name: f.stat for f in found} == expected
    assert {f.name for f in found} == {
        "index.html",
        "a/b/c/index.html",
        "a-b/x.css",
        "a/linked.html",
    }
    assert all(f.path == str(tmp_path / f.name) for f in found)


def test_a_folder_that_is_not_there_has_no_files(tmp_path):
    assert files_under(tmp_path / "missing") == []


def test_a_build_lists_the_files_it_took_unless_it_wrote_them_after_all(tmp_path):
    live, build = tmp_path / "live", tmp_path / "build"
    (live / "a").mkdir(parents=True)
    (build / "a").mkdir(parents=True)
    for name in ("a/taken.html", "a/both.html"):
        (live / name).write_text("live")
    (build / "a/both.html").write_text("written")
    (build / "new.html").write_text("written")
    tree.stand_in(
        build,
        [FoundFile(str(live / n), n, (live / n).stat()) for n in ("a/taken.html", "a/both.html")],
    )
    try:
        found = {f.name: f.path for f in tree.files_of_build(build)}
        assert found == {
            "a/taken.html": str(live / "a/taken.html"),
            "a/both.html": str(build / "a/both.html"),
            "new.html": str(build / "new.html"),
        }
        assert tree.stand_down(build, "a/taken.html")
        assert not tree.stand_down(build, "a/taken.html")
        assert "a/taken.html" not in {f.name for f in tree.files_of_build(build)}
    finally:
        tree.forget_standing(build)
    assert tree.standing(build) == {}
