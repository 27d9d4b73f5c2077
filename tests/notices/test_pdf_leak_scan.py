"""The leak scan reads PDFs: an unpublished number drawn into a notice fails
the build (E790) like anywhere else; a PDF it cannot read fails it (E791)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, build, build_with_templates, committee_file, line_of, tree_digest
from disclosure.output_scan import pieces, scan

MOBILE = "13642116136"  # 陆桂英, block leader of 日晖六村, who did not consent


def _leaking_notice(tmp_path: Path) -> Path:
    """A theme edit no record check can see: the notice template writes a
    number whole (here in every committee's notice)."""
    folder = tmp_path / "theme-overrides"
    (folder / "notice").mkdir(parents=True)
    board = (ROOT / "theme/templates/notice/board.html").read_text("utf-8")
    marker = '<p class="address">'
    assert marker in board
    (folder / "notice" / "board.html").write_text(
        board.replace(marker, "<p>值班 136 4211 6136</p>\n    " + marker, 1), "utf-8"
    )
    return folder


def test_a_number_in_a_notice_fails_the_build(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    before = tree_digest(output)
    status, said = build_with_templates(content, output, _leaking_notice(tmp_path))
    assert status == 1
    leader = line_of(committee_file(content), f"phone: {MOBILE}")
    source = f"{committee_file(content).as_posix()}:{leader}:12"
    slugs = sorted(p.stem for p in (content / "data/committees").glob("*.yaml"))
    assert [line for line in said.splitlines() if " E790 " in line] == [
        f"output/committees/{slug}/notice.pdf:1:1: E790 生成的文件里有未经本人同意公开的号码 "
        f"136****6136（来自 {source}），这个文件已删除"
        for slug in slugs
    ]
    assert MOBILE not in said
    assert tree_digest(output) == before


def test_a_pdf_the_scan_cannot_read_is_refused(tmp_path):
    site = tmp_path / "output"
    (site / "committees/a").mkdir(parents=True)
    (site / "committees/a/notice.pdf").write_bytes(b"%PDF-1.7\nnot a document")
    problems = scan(site, {})
    assert [str(p) for p in problems] == [
        "output/committees/a/notice.pdf:1:1: E791 无法读取这个 PDF 文件，不能检查里面有没有个人号码，"
        "本次没有生成网站"
    ]


def _pdf(folder: Path, html: str) -> Path:
    from weasyprint import HTML

    (folder / "committees/a").mkdir(parents=True)
    target = folder / "committees/a/notice.pdf"
    HTML(string=html).write_pdf(target)
    return target


def _unpublished(text: str) -> dict:
    from disclosure.core.problems import Position
    from disclosure.personal_numbers import NumberUse
    from disclosure.values.phones import parse_phone

    phone = parse_phone(text)
    where = Position("content/data/committees/a.yaml", 9, 12)
    return {phone.identifying: NumberUse(phone, published=False, position=where)}


def test_a_number_behind_a_masked_link_in_a_pdf_is_found(tmp_path):
    """The text shows the masked form; the link's address holds it whole."""
    site = tmp_path / "output"
    _pdf(site, '<p>值班 <a href="tel:13642116136">136****6136</a></p>')
    assert [str(p) for p in scan(site, _unpublished("13642116136"))] == [
        "output/committees/a/notice.pdf:1:1: E790 生成的文件里有未经本人同意公开的号码 136****6136"
        "（来自 content/data/committees/a.yaml:9:12），这个文件已删除"
    ]


def test_a_masked_number_in_a_pdf_is_not_a_leak(tmp_path):
    site = tmp_path / "output"
    _pdf(site, "<p>值班 136****6136，居委会 021-6418 1185</p>")
    assert scan(site, _unpublished("13642116136")) == []


@pytest.fixture
def scanned(monkeypatch) -> list[str]:
    """The names of the files the scan reads, in a process that found none clean yet."""
    from disclosure import output_scan
    from disclosure.core.kept import Kept

    monkeypatch.setattr(output_scan, "_CLEAN", Kept(output_scan._CLEAN.most))
    names: list[str] = []
    real = output_scan._problems_in
    monkeypatch.setattr(
        output_scan,
        "_problems_in",
        lambda path, *rest: names.append(path.name) or real(path, *rest),
    )
    return names


def test_a_file_found_clean_is_looked_at_again_for_other_numbers_or_other_bytes(tmp_path, scanned):
    """The scan keeps what it found clean (serve builds again after every save)
    by the file's bytes and the numbers it looked for: nothing else may let a
    number through."""
    site = tmp_path / "output"
    (site / "committees/a").mkdir(parents=True)
    page = site / "committees/a/index.html"
    page.write_text("<p>值班 136 4211 6136</p>", encoding="utf-8")
    (site / "events.ics").write_text("DESCRIPTION:值班\r\n", encoding="utf-8")
    assert scan(site, _unpublished("13900001111")) == []
    assert sorted(scanned) == ["events.ics", "index.html"]
    scanned.clear()
    assert scan(site, _unpublished("13900001111")) == []
    assert scanned == []  # the same bytes, the same numbers: found clean before
    # a number whose consent was withdrawn since: the same bytes are looked at again
    assert [p.code for p in scan(site, _unpublished("13642116136"))] == ["E790"]
    assert sorted(scanned) == ["events.ics", "index.html"]
    # and a page whose bytes changed, under the numbers it was clean for
    scanned.clear()
    page.write_text("<p>值班 139-0000-1111</p>", encoding="utf-8")
    assert [p.code for p in scan(site, _unpublished("13900001111"))] == ["E790"]
    assert scanned == ["index.html"]


def test_files_found_clean_are_not_scanned_again_by_a_new_process(tmp_path, monkeypatch, scanned):
    """The build keeps the files it found clean on disk (CACHE_PATH): the
    next build, in a new process, scans only what changed, and a file that
    leaks is never kept as clean."""
    from disclosure import output_scan
    from disclosure.core.kept import Kept, kept_file

    kept = kept_file(tmp_path / "cache", "clean-files")

    def new_process_scan(numbers: str) -> list[str]:
        monkeypatch.setattr(output_scan, "_CLEAN", Kept(output_scan._CLEAN.most))
        scanned.clear()
        return [p.code for p in scan(site, _unpublished(numbers), kept=kept)]

    site = tmp_path / "output"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text("<p>值班 021-6418 1185</p>", encoding="utf-8")
    (site / "b.ics").write_text("DESCRIPTION:值班 136 4211 6136\r\n", encoding="utf-8")
    assert new_process_scan("13642116136") == ["E790"]
    assert sorted(scanned) == ["b.ics", "index.html"]
    assert new_process_scan("13642116136") == ["E790"]  # the leak is found again
    assert scanned == ["b.ics"]  # and only the file that leaked was read again
    (site / "b.ics").write_text("DESCRIPTION:值班\r\n", encoding="utf-8")
    assert new_process_scan("13642116136") == [] and scanned == ["b.ics"]
    assert new_process_scan("13642116136") == [] and scanned == []
    # other numbers looked for: every file again
    assert new_process_scan("13900001111") == [] and sorted(scanned) == ["b.ics", "index.html"]


def test_a_number_written_alike_in_many_files_is_found_in_each(tmp_path):
    """What a run holds is worked out once per scan: every file that writes it
    is still named, whichever worker reads it, and a run that holds nothing
    does not hide the same digits written another way."""
    site = tmp_path / "output"
    site.mkdir()
    for number in range(40):
        (site / f"page-{number:02d}.html").write_text(
            "<p>值班 136 4211 6136</p><p>办公室 021-6418 1185</p>", encoding="utf-8"
        )
    (site / "other.html").write_text("<p>136-4211-6136</p>", encoding="utf-8")
    for workers in (1, 2):
        found = scan(site, _unpublished("13642116136"), workers)
        assert sorted(p.position.path.rpartition("/")[2] for p in found) == sorted(
            [f"page-{number:02d}.html" for number in range(40)] + ["other.html"]
        )
        assert {p.code for p in found} == {"E790"}


def test_a_build_for_the_public_scans_every_file_itself(content, tmp_path, monkeypatch):
    """Files found clean are kept in CACHE_PATH for the next build; whoever
    can write there could vouch for a leaking page. A build meant for the
    public (publishconf.py) takes nothing kept and finds the leak itself."""
    from conftest import build_as_staff
    from disclosure import output_scan
    from disclosure.core.kept import Kept

    templates = tmp_path / "templates"
    templates.mkdir()
    page = (ROOT / "theme/templates/page.html").read_text(encoding="utf-8")
    leaking = page.replace("{% block content %}", "{% block content %}<p>联系 137 9183 7783</p>", 1)
    (templates / "page.html").write_text(leaking, encoding="utf-8")
    settings = {
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME_TEMPLATES_OVERRIDES": [str(templates)],
    }
    # a scan that vouches for every file, as a cache written by hand would
    monkeypatch.setattr(output_scan, "_problems_in", lambda *args: [])
    # the same settings, but for the public: the same bytes
    vouched = build_as_staff(
        content, tmp_path / "vouched", "publishconf.py", DISCLOSURE_PUBLISH=False, **settings
    )
    assert vouched[0] == 0
    assert list((tmp_path / "cache" / "kept").rglob("clean-files.json"))
    monkeypatch.undo()
    monkeypatch.setattr(output_scan, "_CLEAN", Kept(output_scan._CLEAN.most))  # a new process
    status, said = build_as_staff(content, tmp_path / "public", "publishconf.py", **settings)
    assert status == 1
    assert "E790 生成的文件里有未经本人同意公开的号码 137****7783" in said
    assert not (tmp_path / "public").exists()


def test_a_long_file_read_again_finds_a_number_added_to_one_of_its_pieces(tmp_path, scanned):
    """`serve` reads a long file again after every save in pieces, and only
    the pieces it has not found clean: a number written into any of them,
    or across two, is found all the same."""
    site = tmp_path / "output"
    (site / "data").mkdir(parents=True)
    rows = [{"name": f"居委会{n}", "phone": "021-6418 1185", "note": "值班"} for n in range(4000)]
    data = site / "data/committees.json"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    kept = tmp_path / "cache/kept/clean-files.json"  # as `serve` scans
    assert scan(site, _unpublished("13642116136"), kept=kept) == []
    text = data.read_text("utf-8")
    assert len(pieces(text)) > 4
    # a number split where a piece ends: the cut is never inside a run
    for at in (len(pieces(text)[0]), len(text) // 2, len(text) - 10):
        data.write_text(text[:at] + "136 4211 6136" + text[at:], encoding="utf-8")
        assert [p.code for p in scan(site, _unpublished("13642116136"), kept=kept)] == ["E790"]


def test_a_long_file_an_earlier_process_found_clean_is_then_read_by_the_pieces_changed(
    tmp_path, monkeypatch
):
    """`serve`'s first build finds open data clean by the digest a `build`
    before it kept on disk, and notes its pieces: the next save, which changes
    one row, reads that row's piece only, not the whole file again."""
    from disclosure import output_scan
    from disclosure.core import memo
    from disclosure.core.kept import Kept

    site = tmp_path / "output"
    (site / "data").mkdir(parents=True)
    rows = [{"name": f"居委会{n}", "phone": "021-6418 1185", "note": "值班"} for n in range(4000)]
    data = site / "data/committees.json"
    text = json.dumps(rows, ensure_ascii=False)
    data.write_text(text, encoding="utf-8")
    kept = tmp_path / "cache/kept/clean-files.json"
    numbers = _unpublished("13642116136")
    assert scan(site, numbers, kept=kept) == []  # `build`: kept on disk
    # a new process, whose first build writes the same bytes again
    for name, empty in (("_CLEAN", Kept), ("_CLEAN_PIECES", Kept), ("_PIECED", Kept)):
        monkeypatch.setattr(output_scan, name, empty(getattr(output_scan, name).most))
    monkeypatch.setattr(output_scan, "_SEEN_CLEAN", {})
    data.unlink()
    data.write_text(text, encoding="utf-8")
    read: list[str] = []
    real = output_scan.written_runs
    monkeypatch.setattr(
        output_scan, "written_runs", lambda piece: read.append(piece) or real(piece)
    )
    with memo.for_a_next_build(True):  # as `serve` builds
        assert scan(site, numbers, kept=kept) == [] and read == []  # clean by its digest
        data.write_text(text.replace("居委会2000", "居委会二〇〇〇"), encoding="utf-8")
        assert scan(site, numbers, kept=kept) == []
    assert len(read) == 1 and "居委会二〇〇〇" in read[0] and len(pieces(text)) > 4
