"""Catalogue rules: one fixture per rule with exactly the problem it tests."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from conftest import (
    AS_OF,
    ROOT,
    build,
    build_as_staff,
    committee_file,
    cut_emergency,
    line_of,
    replace_in,
    tree_digest,
)
from disclosure.cli import commands
from disclosure.completeness.report import REPORT_SCHEMA, DisclosureIncomplete
from disclosure.completeness.rules import evaluate
from disclosure.core.problems import Severity
from disclosure.site import load_site_data
from html_text import text

AS_OF_DATE = date.fromisoformat(AS_OF)
LIUCUN = "日晖六村居民区"


def problems_of(content: Path, as_of: date = AS_OF_DATE) -> list[str]:
    site = load_site_data(content)
    assert site.errors == []
    report = evaluate(site, as_of)
    return [str(p) for p in sorted(report.problems, key=lambda p: p.sort_key)]


def status_of(content: Path, slug: str = "rihui-liucun") -> dict[str, str]:
    report = evaluate(load_site_data(content), AS_OF_DATE)
    return {c.key: c.status for c in report.for_committee(slug).categories}


def set_rule(content: Path, rule: str, level: str) -> None:
    catalogue = content / "data/catalogue.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    lines = [f"  {rule}: {level}" if line.startswith(f"  {rule}:") else line for line in lines]
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_example_content_is_complete():
    assert problems_of(ROOT / "content") == []


def test_missing_emergency_contacts(content):
    path = committee_file(content)
    cut_emergency(path)
    assert problems_of(content) == [
        f"{path.as_posix()}:4:1: D301 {LIUCUN}没有公开紧急联络机制：请在文件中填写 emergency（公开目录要求公开）"
    ]
    assert status_of(content) == {
        "service_hours": "complete",
        "block_leaders": "complete",
        "emergency": "missing",
    }


def test_empty_block_leaders_list_points_at_the_key(content):
    path = committee_file(content)
    source = path.read_text(encoding="utf-8")
    start, end = source.index("block_leaders:"), source.index("emergency:")
    path.write_text(source[:start] + "block_leaders: []\n" + source[end:], encoding="utf-8")
    line = line_of(path, "block_leaders: []")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line}:16: D301 {LIUCUN}没有公开分片包块块长：请在文件中填写 block_leaders（公开目录要求公开）"
    ]


def test_stale_verified_date(content):
    path = committee_file(content)
    replace_in(path, "verified: 2026-11-22", "verified: 2025-11-22")
    expected = [
        f"{path.as_posix()}:7:11: D302 {LIUCUN}的{title}已 369 天未核实（上次 2025-11-22，公开目录要求不超过 "
        f"{days} 天）：请{who}核实后更新 verified；宽限期已于 {last_day} 结束"
        for title, days, who, last_day in (
            ("全岗服务时间", 90, "居委会主任", "2026-03-06"),
            ("分片包块块长", 90, "居委会副主任", "2026-03-06"),
            ("紧急联络机制", 30, "居民区党总支书记", "2025-12-29"),
        )
    ]
    assert problems_of(content) == expected
    assert set(status_of(content).values()) == {"stale"}


def test_per_category_verified_dates_are_judged_separately(content):
    path = committee_file(content, "zhonghecun")
    replace_in(path, "  emergency: 2026-11-14", "  emergency: 2026-10-10")
    line = line_of(path, "  emergency: 2026-10-10")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line}:14: D302 中和村居民区的紧急联络机制已 47 天未核实（上次 2026-10-10，"
        "公开目录要求不超过 30 天）：请居民区党总支书记核实后更新 verified；宽限期已于 2026-11-16 结束"
    ]
    assert status_of(content, "zhonghecun") == {
        "service_hours": "complete",
        "block_leaders": "complete",
        "emergency": "stale",
    }


def test_a_category_without_its_own_verified_date(content):
    path = committee_file(content, "zhonghecun")
    replace_in(path, "  block_leaders: 2026-10-12\n", "")
    line = line_of(path, "verified:")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line + 1}:3: D302 中和村居民区的分片包块块长没有填写核实日期："
        "请在 verified 下写 block_leaders: 日期"
    ]


def test_verified_date_in_the_future(content):
    path = committee_file(content)
    replace_in(path, "verified: 2026-11-22", "verified: 2026-12-22")
    found = problems_of(content)
    assert len(found) == 3
    assert found[0] == (
        f"{path.as_posix()}:7:11: D303 {LIUCUN}的全岗服务时间核实日期 2026-12-22 晚于今天（2026-11-26），请核对"
    )


def test_freshness_follows_the_as_of_date(content):
    assert problems_of(content, as_of=date(2026, 12, 31)) != []
    assert problems_of(content, as_of=date(2026, 11, 30)) == []


def test_overlapping_service_hours(content):
    path = committee_file(content)
    replace_in(path, "hours: 18:00-20:00", "hours: 16:30-20:00")
    line = line_of(path, "hours: 16:30-20:00")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line}:14: D304 {LIUCUN}的服务时段重叠：周二、周四 13:00–17:00 与 16:30–20:00 有重叠，请合并或改正"
    ]
    assert status_of(content)["service_hours"] == "incomplete"


def test_too_few_weekly_hours_is_a_warning(content):
    path = committee_file(content)
    replace_in(path, "hours: [08:30-11:30, 13:00-17:00]", "hours: 08:30-11:30")
    line = line_of(path, "  weekly:")
    site = load_site_data(content)
    report = evaluate(site, AS_OF_DATE)
    (problem,) = report.problems
    assert str(problem) == (
        f"{path.as_posix()}:{line + 1}:5: D305 {LIUCUN}每周服务时间共 19 小时，少于公开目录要求的 30 小时（警告）"
    )
    assert problem.severity is Severity.WARNING
    assert status_of(content)["service_hours"] == "complete"  # warnings do not make it incomplete


def test_building_without_block_leader(content):
    path = committee_file(content)
    replace_in(
        path,
        "buildings: [21号楼, 22号楼, 23号楼, 24号楼, 25号楼, 26号楼]",
        "buildings: [21号楼, 22号楼]",
    )
    line = line_of(path, "block_leaders:")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line + 1}:3: D306 {LIUCUN}有楼栋还没有块长：23号楼、24号楼、25号楼、26号楼"
    ]
    assert status_of(content)["block_leaders"] == "incomplete"


def test_building_covered_twice_unless_shared(content):
    path = committee_file(content)
    replace_in(path, "buildings: [8号楼, 9号楼,", "buildings: [7号楼, 8号楼, 9号楼,")
    line = line_of(path, "buildings: [7号楼, 8号楼, 9号楼,")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line}:16: D307 7号楼 同时由曹建国、陆桂英负责；如确为共同负责，请把这些楼栋写进 shared_buildings"
    ]
    replace_in(path, "service_hours:", "shared_buildings: [7号楼]\nservice_hours:")
    assert problems_of(content) == []


def test_leader_covering_a_building_outside_the_area(content):
    path = committee_file(content)
    replace_in(path, "26号楼]\n    phone", "26号楼, 27号楼, 28号楼]\n    phone")
    line = line_of(path, "27号楼, 28号楼]")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line}:16: D308 块长段振华负责的 27号楼、28号楼 不在{LIUCUN}的楼栋列表 buildings 中"
    ]


def test_no_building_list(content):
    path = committee_file(content)
    source = path.read_text(encoding="utf-8")
    start = source.index("buildings: [1号楼")
    path.write_text(source[:start] + source[source.index("\n", start) + 1 :], encoding="utf-8")
    assert problems_of(content) == [
        f"{path.as_posix()}:4:1: D309 {LIUCUN}没有列出本居民区的楼栋 buildings，无法核对块长是否覆盖全部楼栋"
    ]


def test_building_ranges_expand(content):
    # jiangnan-xincun writes 1-20号楼 and its leaders 1-5号楼 … 16-20号楼
    path = committee_file(content, "jiangnan-xincun")
    replace_in(path, "buildings: [16-20号楼]", "buildings: [16-19号楼]")
    line = line_of(path, "block_leaders:")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line + 1}:3: D306 江南新村居民区有楼栋还没有块长：20号楼"
    ]


def test_emergency_gaps_are_named_by_day_and_hours(content):
    path = committee_file(content)
    replace_in(
        path,
        "      - days: 周六、周日\n        hours: 00:00-24:00",
        "      - days: 周六\n        hours: 08:00-20:00",
    )
    replace_in(path, "hours: [00:00-08:30, 17:00-24:00]", "hours: [00:00-08:30, 17:00-22:00]")
    # the property line covers every day around the clock; take it away
    source = path.read_text(encoding="utf-8")
    start = source.index("  - role: 物业 24 小时报修")
    path.write_text(source[:start], encoding="utf-8")
    line = line_of(path, "emergency:")
    assert problems_of(content) == [
        f"{path.as_posix()}:{line + 1}:3: D310 {LIUCUN}的紧急联络没有覆盖全部时间，以下时段没有可拨打的电话："
        "周一至周五 22:00–24:00；周六 00:00–08:00、20:00–24:00；周日 全天"
    ]


def test_a_masked_number_covers_no_time(content):
    path = committee_file(content)
    replace_in(path, "    phone: 18953885767\n    phone_consent: true", "    phone: 18953885767")
    source = path.read_text(encoding="utf-8")
    path.write_text(source[: source.index("  - role: 物业 24 小时报修")], encoding="utf-8")
    (problem,) = problems_of(content)
    assert " D310 " in problem
    assert "周一至周五 00:00–08:30、17:00–24:00；周六、周日 全天" in problem


def test_a_rule_set_to_off_is_not_checked(content):
    cut_emergency(committee_file(content))
    set_rule(content, "present", "off")
    assert problems_of(content) == []


def test_a_rule_set_to_warning_does_not_fail_a_strict_build(content, tmp_path):
    cut_emergency(committee_file(content))
    set_rule(content, "present", "warning")
    found = problems_of(content)
    assert len(found) == 1 and found[0].endswith("（警告）")
    build(content, tmp_path / "output", settings="publishconf.py")


def test_catalogue_naming_an_unknown_committee(content):
    catalogue = content / "data/catalogue.yaml"
    replace_in(catalogue, "  - ruining", "  - ruinig")
    line = line_of(catalogue, "  - ruinig")
    assert problems_of(content) == [
        f'{catalogue.as_posix()}:{line}:5: D311 公开目录中的 "ruinig" 没有对应的居委会文件 committees/ruinig.yaml；是否想写 "ruining"？'
    ]


def test_committees_outside_the_catalogue_are_not_checked(content):
    cut_emergency(committee_file(content, "mingyuan"))  # not in the pilot
    assert problems_of(content) == []
    report = evaluate(load_site_data(content), AS_OF_DATE)
    assert "mingyuan" in {c.slug for c in report.not_taking_part}


def test_catalogue_schema_problems(content):
    catalogue = content / "data/catalogue.yaml"
    replace_in(catalogue, "    max_age_days: 30", "    max_age_days: 一个月")
    replace_in(catalogue, "  fresh: error", "  fresh: fatal")
    out = io.StringIO()
    assert commands.validate(content, as_of=AS_OF_DATE, out=out) == 1
    lines = out.getvalue().splitlines()
    shown = catalogue.as_posix()
    assert lines[:2] == [
        f'{shown}:{line_of(catalogue, "一个月")}:19: E114 应为整数，实际为 "一个月"（字段 categories.emergency.max_age_days）',
        f'{shown}:{line_of(catalogue, "fatal")}:10: E110 应为以下之一：error、warning、off，实际为 "fatal"（字段 rules.fresh）',
    ]


# --- builds -------------------------------------------------------------------


def test_example_content_passes_the_strict_build(tmp_path):
    out = build(ROOT / "content", tmp_path / "output", settings="publishconf.py").output
    assert "12 个</strong>三类信息完整（100%）" in (out / "disclosure/index.html").read_text()


@pytest.mark.parametrize("damage", ["delete emergency", "verified a year back"])
def test_strict_build_fails_and_keeps_the_previous_output(content, tmp_path, damage):
    output = tmp_path / "output"
    build(content, output, settings="publishconf.py")
    before = tree_digest(output)
    path = committee_file(content)
    if damage == "delete emergency":
        cut_emergency(path)
    else:
        replace_in(path, "verified: 2026-11-22", "verified: 2025-11-22")
    status, said = build_as_staff(content, output, settings="publishconf.py")
    assert status == 1
    lines = said.splitlines()
    assert lines[0] == f"【{LIUCUN}】{path.as_posix()}"
    code = "D301" if damage == "delete emergency" else "D302"
    assert lines[1].startswith(f"{path.as_posix()}:") and f" {code} {LIUCUN}" in lines[1]
    assert "紧急联络机制" in said
    assert lines[-2].startswith(
        "公开情况（截至 2026-11-26）：参加公开的 12 个居委会中 11 个完整、1 个不完整"
    )
    errors = 1 if code == "D301" else 3
    assert lines[-1] == f"构建未完成：发现 {errors} 个错误，网站没有更新（output/ 保持原样）。"
    assert tree_digest(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_strict_build_raises_with_the_report(content, tmp_path):
    cut_emergency(committee_file(content))
    with pytest.raises(DisclosureIncomplete) as caught:
        build(content, tmp_path / "output", settings="publishconf.py")
    assert caught.value.report.complete_count == 11


def test_development_build_shows_the_committee_as_incomplete(content, tmp_path):
    cut_emergency(committee_file(content))
    out = build(content, tmp_path / "output").output
    page = text(out / "disclosure/index.html")
    assert "参加公开的 12 个居委会中，11 个三类信息完整（92%）" in page
    assert f"{LIUCUN} ✓ 完整 11月22日核实 ✓ 完整 11月22日核实 ✗ 缺失 11月22日核实" in page
    assert "需要完善的居委会（1 个）" in page
    assert f"{LIUCUN} 紧急联络机制：尚未公开。责任人：居民区党总支书记" in page
    assert "请在文件中填写" not in page  # staff instructions stay in the terminal
    committee = text(out / "committees/rihui-liucun/index.html")
    assert "紧急联络机制 ✗ 缺失" in committee
    assert "本居委会的公开信息还不完整" in committee
    report = json.loads((out / "disclosure/report.json").read_text())
    liucun = next(c for c in report["committees"] if c["slug"] == "rihui-liucun")
    assert liucun["status"] == "incomplete"
    assert [c["status"] for c in liucun["categories"]] == ["complete", "complete", "missing"]


def test_report_json_matches_its_schema(content, tmp_path):
    replace_in(committee_file(content), "verified: 2026-11-22", "verified: 2026-08-01")
    out = build(content, tmp_path / "output").output
    report = json.loads((out / "disclosure/report.json").read_text())
    schema = json.loads((out / "disclosure/report.schema.json").read_text())
    assert schema == REPORT_SCHEMA
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(report, schema, cls=jsonschema.Draft7Validator)
    assert report["as_of"] == AS_OF
    assert report["summary"] == {
        "committees": 12,
        "complete": 11,
        "incomplete": 1,
        "share_complete": 0.9167,
        "errors": 3,
        "warnings": 0,
    }
    liucun = next(c for c in report["committees"] if c["slug"] == "rihui-liucun")
    emergency = liucun["categories"][2]
    assert emergency["status"] == "stale"
    assert emergency["age_days"] == 117
    assert emergency["problems"][0]["code"] == "D302"
    assert emergency["problems"][0]["line"] == 7
    assert {c["slug"] for c in report["not_taking_part"]} == {
        "rihui-sancun",
        "rihui-sicun",
        "rihui-wucun",
        "mingyuan",
        "dong-an-sancun",
        "damuqiao",
        "xietu-xincun",
    }


def test_a_verified_date_from_another_year_shows_its_year(content, tmp_path):
    replace_in(committee_file(content), "verified: 2026-11-22", "verified: 2025-11-22")
    out = build(content, tmp_path / "output").output
    assert f"{LIUCUN} ! 已过期 2025年11月22日核实" in text(out / "disclosure/index.html")
    # the committees in order are on a page of their own
    assert "日晖一村居民区 ✓ 完整 11月21日核实" in text(out / "disclosure/complete/index.html")


def test_every_page_links_to_the_disclosure_page(example_site):
    for page in example_site.rglob("index.html"):
        html = page.read_text()
        assert ">公开情况</a></li>" in html, page


def test_validate_command_reads_as_of_from_settings(content):
    path, day, _ = commands.settings_for(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert (path, day) == (content, date(2026, 11, 26))
    _, day, _ = commands.settings_for(ROOT / "pelicanconf.py", {"DISCLOSURE_AS_OF": "2027-03-01"})
    assert day == date(2027, 3, 1)


def test_development_build_prints_the_grouped_report_to_each_callers_stream(content, tmp_path):
    cut_emergency(committee_file(content))
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "DISCLOSURE_AS_OF": AS_OF,
    }
    for _ in range(2):  # a second build must not write to the first build's stream
        out = io.StringIO()
        assert commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=out) == 0
        lines = out.getvalue().splitlines()
        assert lines[0] == f"【{LIUCUN}】{committee_file(content).as_posix()}"
        assert " D301 " in lines[1]
        assert lines[2].endswith("11 个完整、1 个不完整；1 个错误、0 个警告。")
        assert lines[3].startswith("已生成网站：19 个居委会页面")
