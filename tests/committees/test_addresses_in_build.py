"""Addresses in committee records: validated with positions, resolved in a real
build to the committee and block leader, without JavaScript and as JSON."""

from __future__ import annotations

import json
import re

from conftest import build, committee_file, line_of, replace_in, validate
from html_text import text as visible_text


def test_an_address_that_cannot_be_read_is_pointed_at(content):
    path = committee_file(content)
    replace_in(path, "addresses: [零陵路80弄1-26号]", "addresses: [零陵路80弄26-1号, 零陵路]")
    status, said = validate(content)
    assert status == 1
    line = line_of(path, "addresses:")
    assert (
        f"{path.as_posix()}:{line}:19: E130 范围 26-1 写反了：应从小到大，如 1-26（字段 addresses[0]）"
    ) in said
    assert f"{path.as_posix()}:{line}:26: E130 只写了路名" in said


def test_every_numbered_address_is_one_of_the_buildings(content):
    path = committee_file(content)
    replace_in(path, "addresses: [零陵路80弄1-26号]", "addresses: [零陵路80弄1-28号]")
    status, said = validate(content)
    assert status == 1
    assert (
        f"{path.as_posix()}:{line_of(path, 'addresses:')}:13: E131 地址 零陵路80弄27号、80弄28号 "
        "在楼栋列表 buildings 中没有对应的楼栋（如 1号楼）：请把楼栋写进 buildings，或改正地址"
        "（字段 addresses[0]）"
    ) in said


def _with_a_new_building(content) -> None:
    """东安三村 gets a 22号楼 that no block leader covers yet."""
    path = committee_file(content, "dong-an-sancun")
    text = path.read_text("utf-8")
    text = re.sub(r"^(buildings: .*)21号楼\]", r"\g<1>21号楼, 22号楼]", text, flags=re.M)
    path.write_text(text.replace("东安路520弄1-21号", "东安路520弄1-22号"), "utf-8")


def test_the_directory_answers_without_javascript(example_site):
    page = (example_site / "addresses/index.html").read_text("utf-8")
    text = visible_text(example_site / "addresses/index.html")
    # roads in Chinese (pinyin) order
    roads = re.findall(r'<h2 id="road-\d+-title">([^<]+)</h2>', page)
    assert roads[:3] == ["大木桥路", "东安路", "海珠路"] and "零陵路" in roads
    assert "零陵路80弄1-26号 · 日晖六村居民区" in text
    assert re.search(r"1-7号：块长\s*曹建国", text)
    assert 'href="../committees/rihui-liucun/#leader-1"' in page
    # a masked number stays masked
    assert "136 **** 6136" in text and "13642116136" not in page


def test_the_directory_says_which_buildings_have_no_block_leader(content, tmp_path):
    _with_a_new_building(content)
    output = build(content, tmp_path / "output").output
    text = visible_text(output / "addresses/index.html")
    # her mobile in its groups, masked or not
    assert re.search(
        r"17-21号：块长 白素琴 [\d*]{3} [\d*]{4} [\d*]{4} 22号：暂无块长，请联系居委会", text
    )


def test_the_lookup_data_resolves_an_address(example_site):
    data = json.loads((example_site / "addresses/lookup.json").read_text("utf-8"))
    entry = next(
        a for a in data["addresses"] if a["road"] == "零陵路" and a["lanes"] == [[80, 80, ""]]
    )
    liucun = data["committees"][entry["committee"]]
    assert liucun["name"] == "日晖六村居民区"
    building, leader = liucun["buildings"]["80:3"]
    assert (building, liucun["leaders"][leader]["name"]) == ("3号楼", "曹建国")
    masked = liucun["leaders"][1]["phone"]
    assert masked == {"text": "136 **** 6136", "tel": None, "spoken": "一三六，隐去四位，六一三六"}
    assert "520:22" not in data["committees"]["dong-an-sancun"]["buildings"]


def test_committees_are_listed_in_chinese_order(example_site):
    page = (example_site / "committees/index.html").read_text("utf-8")
    names = re.findall(r'class="summary__name"><a [^>]+>([^<]+)</a>', page)
    rihui = [n for n in names if n.startswith("日晖")]
    assert rihui == [f"日晖{n}村居民区" for n in "一二三四五六"]


def test_the_home_page_puts_emergency_numbers_then_finding_first(example_site):
    page = (example_site / "index.html").read_text("utf-8")
    order = [page.index(f'id="{section}"') for section in ("emergency", "find", "events-title")]
    assert order == sorted(order)


def test_a_committee_page_names_buildings_without_a_block_leader(content, tmp_path):
    _with_a_new_building(content)
    output = build(content, tmp_path / "output").output
    page = visible_text(output / "committees/dong-an-sancun/index.html")
    assert "22号楼 暂无块长，请联系居委会" in page
    assert "每栋楼都有一位块长" not in page
    assert "服务范围 东安路520弄1-22号" in page
    data = json.loads((output / "addresses/lookup.json").read_text("utf-8"))
    assert data["committees"]["dong-an-sancun"]["buildings"]["520:22"] == ["22号楼", -1]


def test_a_road_spelt_differently_from_elsewhere_is_questioned(content):
    path = committee_file(content, "linglinglu")
    replace_in(path, "addresses: [零陵路111弄", "addresses: [零陵陆111弄")
    status, said = validate(content)
    assert status == 0  # a warning: it may be a new road
    assert (
        f'{path.as_posix()}:{line_of(path, "addresses:")}:13: W130 路名 "零陵陆" 只在这里出现，'
        '其他居委会写的是 "零陵路"：是否想写 "零陵路"？（字段 addresses[0]）（警告）'
    ) in said


def test_a_build_again_in_the_process_makes_the_entries_of_the_edited_committee_only(
    content, tmp_path, monkeypatch
):
    # serve builds again after every save: the directory entries and lookup
    # data of the committees it did not touch are the ones it made before
    from conftest import AS_OF, ROOT
    from disclosure.cli import commands
    from disclosure.committees import lookup

    made = []
    for name in ("_entries", "_lookup_of"):
        real = getattr(lookup, name)
        monkeypatch.setattr(
            lookup,
            name,
            lambda committee, *rest, real=real, name=name: (
                made.append((name, committee.slug)) or real(committee, *rest)
            ),
        )

    def serve_build() -> None:  # a build followed by another in this process
        overrides = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output")}
        overrides["DISCLOSURE_AS_OF"] = AS_OF
        commands.build_site(ROOT / "pelicanconf.py", overrides=overrides, keep_pages=True)

    serve_build()
    assert len(made) == 2 * 19
    made.clear()
    replace_in(
        committee_file(content), "addresses: [零陵路80弄1-26号]", "addresses: [零陵路80弄1-20号]"
    )
    serve_build()
    assert sorted(made) == [("_entries", "rihui-liucun"), ("_lookup_of", "rihui-liucun")]
    # and the change is in the files (test_incremental holds them to a fresh build's)
    data = json.loads((tmp_path / "output/addresses/lookup.json").read_text("utf-8"))
    [mine] = [a for a in data["addresses"] if a["committee"] == "rihui-liucun"]
    assert mine["numbers"] == [[1, 20, ""]]
    page = (tmp_path / "output/addresses/index.html").read_text("utf-8")
    assert "80弄1-20号" in page and "80弄1-26号" not in page
