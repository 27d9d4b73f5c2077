"""files_under finds what rglob("*") and is_file() find, with the same stat."""

from __future__ import annotations

import os

from disclosure.core.tree import files_under


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
