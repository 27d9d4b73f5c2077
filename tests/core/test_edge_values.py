"""Absurd magnitudes and edge dates in any field: a positioned error, never a traceback,
never inf, and never a build that overflows or crawls (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import build, committee_file, line_of, replace_in
from disclosure.cli import commands
from disclosure.core.problems import RecordsInvalid
from disclosure.site import load_site_data

EVENT = "data/events/2020/chongyang-chahuahui.yaml"
PLAN = "data/plans/2020-h2.yaml"


def errors_of(content: Path) -> list[str]:
    return [str(p) for p in load_site_data(content, base=content.parent).errors]


def shown(content: Path, relative: str) -> str:
    return f"content/{relative}"


def test_thousands_of_digits_are_refused_without_converting_them(content):
    digits = "9" * 5000
    replace_in(content / EVENT, "capacity: 60", f"capacity: {digits}")
    line = line_of(content / EVENT, "capacity:")
    assert errors_of(content) == [
        f"{shown(content, EVENT)}:{line}:11: E114 应不小于 1、不大于 100000，"
        f'实际为 "99999999999999999999…999999"（共 5000 个字符）（字段 capacity）'
    ]


def test_a_400_digit_target_is_refused_not_published_as_infinity(content):
    replace_in(content / PLAN, "          value: 930", "          value: " + "4" * 400)
    line = line_of(content / PLAN, "4" * 400)
    assert errors_of(content) == [
        f"{shown(content, PLAN)}:{line}:18: E114 应不小于 0.01、不大于 1000000，"
        f'实际为 "44444444444444444444…444444"（共 400 个字符）'
        "（字段 sections[2].tasks[2].target.value）"
    ]


def test_leading_zeros_and_long_fractions_are_still_numbers(content):
    replace_in(content / EVENT, "capacity: 60", "capacity: " + "0" * 5000 + "60")
    replace_in(content / PLAN, "          value: 930", "          value: 930." + "0" * 5000)
    site = load_site_data(content, base=content.parent)
    assert site.errors == []
    chongyang = next(e for e in site.events if e.key == "2020/chongyang-chahuahui")
    assert chongyang.capacity == 60


def test_a_date_in_year_1_or_9999_is_out_of_range(content):
    path = committee_file(content)
    replace_in(path, "verified: 2026-11-22", "verified: 0001-01-01")
    replace_in(path, "      to: 2027-01-03", "      to: 9999-12-31")
    relative = "data/committees/rihui-liucun.yaml"
    assert errors_of(content) == [
        f"{shown(content, relative)}:7:11: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 0001-01-01（字段 verified）",
        f"{shown(content, relative)}:18:11: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 9999-12-31（字段 service_hours.closures[0].to）",
    ]


def test_year_zero_is_out_of_range_rather_than_a_day_that_does_not_exist(content):
    replace_in(content / EVENT, "announced: 2020-10-08", "announced: 0000-02-30")
    assert errors_of(content) == [
        f"{shown(content, EVENT)}:20:12: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 0000-02-30（字段 announced）"
    ]


def test_an_all_day_event_on_the_last_day_python_knows_is_refused(content, tmp_path):
    replace_in(
        content / EVENT, "start: 2020-10-25 14:00\nend: 16:00", "start: 9999-12-31\nend: 9999-12-31"
    )
    assert errors_of(content) == [
        f"{shown(content, EVENT)}:5:8: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 9999-12-31（字段 start）",
        f"{shown(content, EVENT)}:6:6: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 9999-12-31（字段 end）",
    ]


def test_an_all_day_event_on_the_last_accepted_day_builds(content, tmp_path):
    replace_in(
        content / EVENT, "start: 2020-10-25 14:00\nend: 16:00", "start: 2099-12-31\nend: 2099-12-31"
    )
    replace_in(content / EVENT, "announced: 2020-10-08", "announced: 2099-12-01")
    (content / "data/events/2099").mkdir()
    (content / EVENT).rename(content / "data/events/2099/chongyang-chahuahui.yaml")
    build(content, tmp_path / "output")
    page = tmp_path / "output/events/2099/chongyang-chahuahui/index.html"
    assert "2099年12月31日" in page.read_text(encoding="utf-8")


def test_a_plan_period_from_year_1_is_refused_before_the_build(content, tmp_path):
    replace_in(content / PLAN, "  start: 2020-07-01", "  start: 0001-07-01")
    message = (
        f"{shown(content, PLAN)}:7:10: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 0001-07-01（字段 period.start）"
    )
    assert errors_of(content) == [message]


def test_a_plan_period_longer_than_a_year_is_refused(content):
    replace_in(content / PLAN, "  start: 2020-07-01", "  start: 2000-07-01")
    line = line_of(content / PLAN, "  end: 2020-12-31")
    assert errors_of(content)[0] == (
        f"{shown(content, PLAN)}:{line}:8: E509 计划期太长：应不超过 366 天（半年或一年），"
        "实际为 2000-07-01 至 2020-12-31，共 7488 天；请核对年份，每个计划期写一个文件"
        "（字段 period.end）"
    )


def test_validate_and_build_refuse_an_edge_date_alike(content, tmp_path):
    replace_in(content / EVENT, "start: 2020-10-25 14:00", "start: 9999-12-31 14:00")
    said = io.StringIO()
    assert (
        commands.validate(content, as_of=__import__("datetime").date(2026, 11, 26), out=said) == 1
    )
    try:
        build(content, tmp_path / "output")
    except RecordsInvalid as refused:
        built = [str(p) for p in refused.problems]
    else:  # pragma: no cover - the point of the test
        raise AssertionError("the build accepted year 9999")
    assert built and all(line in said.getvalue() for line in built)


def test_a_few_hundred_digits_are_refused_not_formatted_into_an_overflow(content):
    # found by the loader properties: 400 digits convert, but not to a float for the message
    catalogue = content / "data/catalogue.yaml"
    replace_in(catalogue, "    max_age_days: 90", "    max_age_days: " + "1" * 400)
    line = line_of(catalogue, "1" * 400)
    assert errors_of(content) == [
        f"content/data/catalogue.yaml:{line}:19: E114 应不小于 1、不大于 3660，"
        f'实际为 "11111111111111111111…111111"（共 400 个字符）'
        "（字段 categories.service_hours.max_age_days）"
    ]


def test_an_announced_date_in_year_1_is_refused_by_validate_as_by_build(content):
    # found by the loader properties: validate accepted it and the build overflowed
    replace_in(content / EVENT, "announced: 2020-10-08", "announced: 0001-01-01")
    assert errors_of(content) == [
        f"{shown(content, EVENT)}:20:12: E118 日期超出范围：应在 2000-01-01 至 2099-12-31 之间，"
        "实际为 0001-01-01（字段 announced）"
    ]
