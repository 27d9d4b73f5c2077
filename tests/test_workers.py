"""Work shared among processes gives what one process gives.

The build makes its pages, calendars, notices, search index and leak scan in
forked workers (DISCLOSURE_WORKERS, every core by default); the loaders read
a large folder's files the same way. The output and every message must not
depend on how many workers there were.
"""

from __future__ import annotations

import gc

import pytest
from conftest import build, build_as_staff, committee_file, replace_in, tree_digest, validate
from disclosure.committees.model import COMMITTEE
from disclosure.core import collector
from disclosure.core.files import read_record, read_records
from disclosure.core.workers import map_forked


def test_one_worker_and_two_write_the_same_bytes(tmp_path, content):
    build(content, tmp_path / "one", DISCLOSURE_WORKERS=1, CACHE_PATH=str(tmp_path / "c1"))
    build(content, tmp_path / "two", DISCLOSURE_WORKERS=2, CACHE_PATH=str(tmp_path / "c2"))
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.startswith("elder/committees/") for name in one)  # pages of both modes
    assert gc.get_freeze_count() == 0  # the views frozen for the build are released


def test_results_keep_the_order_of_the_items():
    assert map_forked(lambda n: n * n, range(200), 2) == [n * n for n in range(200)]


def test_a_job_that_fails_in_a_worker_raises_here_as_it_did_there():
    def sometimes(n: int) -> int:
        if n == 137:
            raise ValueError(f"bad item {n}")
        return n

    with pytest.raises(ValueError, match=r"^bad item 137$"):
        map_forked(sometimes, list(range(300)), 2)


@pytest.mark.parametrize("value", [0, -2, True])
def test_a_worker_count_that_is_not_a_positive_number_is_refused(tmp_path, content, value):
    status, said = build_as_staff(content, tmp_path / "out", DISCLOSURE_WORKERS=value)
    assert status == 1
    assert (
        f"S017 设置 DISCLOSURE_WORKERS 应为 1 或更大的整数（同时工作的进程数），实际为 {value!r}"
    ) in said
    assert not (tmp_path / "out").exists()


def _copies(content, count: int):
    """`count` more committee files: enough that the loader shares them among processes."""
    folder = committee_file(content).parent
    template = committee_file(content, "rihui-yicun").read_text("utf-8")
    for number in range(count):
        copy = template.replace("name: 日晖一村居民区", f"name: 日晖一村居民区{number:02d}", 1)
        (folder / f"copy-{number:02d}.yaml").write_text(copy, encoding="utf-8")
    return folder


def test_problems_in_a_large_folder_are_all_told(content):
    folder = _copies(content, 80)
    replace_in(folder / "copy-07.yaml", "    - days: 周一至周五", "    - days: 周八至周五")
    replace_in(folder / "copy-63.yaml", "name: 日晖一村居民区63", "name: [")
    status, said = validate(content)
    assert status == 1
    told = [line for line in said.splitlines() if "copy-" in line]
    assert [line.split(":")[0].rsplit("/", 1)[1] for line in told] == [
        "copy-07.yaml",
        "copy-63.yaml",
    ], said
    assert "E1" in told[0] and "周八" in told[0]


def test_files_read_in_workers_are_the_records_one_process_reads(content):
    folder = _copies(content, 80)
    jobs = [
        (path, path.name, COMMITTEE, {"slug": path.stem}) for path in sorted(folder.glob("*.yaml"))
    ]
    assert read_records(jobs) == [read_record(p, shown, d, **extra) for p, shown, d, extra in jobs]


def test_work_shared_in_a_build_leaves_its_views_frozen_until_it_ends():
    # the build freezes its records and views once made (collector.freeze);
    # sharing work must not thaw them for the collector halfway through, nor
    # leave its own freeze behind when nothing was frozen before
    collector.unfreeze()
    map_forked(abs, list(range(10)), 2)
    assert gc.get_freeze_count() == 0 and not collector.frozen()
    collector.freeze()
    try:
        before = gc.get_freeze_count()
        map_forked(abs, list(range(10)), 2)
        assert gc.get_freeze_count() >= before > 0 and collector.frozen()
    finally:
        collector.unfreeze()
