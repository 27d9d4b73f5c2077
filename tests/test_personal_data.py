"""Personal numbers: recognised in every spelling, never published without consent.

Three lines of defence, each tested here: phone fields mask what is personal
(one rule for every field), free text may hold no phone or ID number (E701,
E702), and the build reads back every file it wrote and fails on any
unpublished number (E790).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import (
    AS_OF,
    ROOT,
    build,
    build_with_templates,
    committee_file,
    line_of,
    plain_pelican,
    replace_in,
    tree_digest,
    validate,
)
from disclosure import json_schemas
from disclosure.core import schema
from disclosure.core import yaml_text as yt
from disclosure.core.problems import Position, RecordsInvalid
from disclosure.values.phones import digit_runs, find_numbers


def _shown(html: str) -> str:
    """A page's text as a reader sees it, tags left out."""
    return re.sub(r"<[^>]+>", "", html)


MOBILE = "13642116136"  # 陆桂英, block leader of 日晖六村, who did not consent
SPELLINGS = [
    "13642116136",
    "136 4211 6136",
    "136-4211-6136",
    "+86 136 4211 6136",
    "+86-13642116136",
    "0086 136 4211 6136",
    "86 13642116136",
    "013642116136",
    "１３６４２１１６１３６",
    "１３６　４２１１　６１３６",
    "136－4211－6136",
    "136—4211—6136",
    "136.4211.6136",
]


def _whole(text: str, digits: str) -> bool:
    """`digits` written out in any spelling somewhere in `text`."""
    return any(digits in run.digits for run in digit_runs(text))


def _every_written_file(output) -> dict[str, str]:
    return {
        p.relative_to(output).as_posix(): p.read_text("utf-8", errors="replace")
        for p in output.rglob("*")
        if p.is_file() and p.suffix not in (".png", ".woff2", ".ico")
    }


# --- finding numbers in free text -------------------------------------------


@pytest.mark.parametrize("typed", SPELLINGS)
def test_every_spelling_of_a_mobile_is_found_in_text(typed):
    found = find_numbers(f"有事请找陆阿姨 {typed}，谢谢")
    assert [(f.kind, f.digits) for f in found] == [("mobile", MOBILE)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("请拨 021-6418 1185 转社工", [("landline", "02164181185")]),
        ("家里电话 6418 1185。", [("landline", "64181185")]),
        ("(021)64181185", [("landline", "02164181185")]),
        ("身份证 31010419800101123X", [("id", "31010419800101123X")]),
        ("310104 19800101 1234", [("id", "310104198001011234")]),
        ("138**1234**5678", [("mobile", "13812345678")]),
        ("13812345678、13912345678", [("mobile", "13812345678"), ("mobile", "13912345678")]),
    ],
)
def test_landlines_and_ids_in_text(text, found):
    assert [(f.kind, f.digits) for f in find_numbers(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-27 8:30-11:30 在 80弄1号",
        "20261127",
        "请拨打 110、119、120 或 12345",
        "热线 400-820-1234",
        "本次共 120 人参加，预算 35000000 元",
        "第 1-26 号楼，2020.09.01 起",
        "完成率 86.5%，共 3000 户",
    ],
)
def test_dates_amounts_and_service_numbers_are_not_personal(text):
    assert find_numbers(text) == []


def _text_fields():
    """Every free-text field of every record kind, by its path in the schema."""
    seen = {}

    def walk(kind, path):
        if isinstance(kind, schema.Obj):
            for f in kind.fields:
                walk(f.kind, f"{path}.{f.key}")
        elif isinstance(kind, schema.ListOf):
            walk(kind.item, f"{path}[]")
        elif isinstance(kind, schema.Either):
            walk(kind.scalar, path)
            walk(kind.other, path)
        elif isinstance(kind, schema.Text):
            seen[path] = kind

    for name, declaration in json_schemas.declarations().items():
        walk(declaration, name)
    return seen


TEXT_FIELDS = _text_fields()


def test_the_walk_finds_the_free_text_fields():
    assert {"committee.service_hours.notes", "event.summary", "plan.summary"} <= set(TEXT_FIELDS)
    assert len(TEXT_FIELDS) > 30


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
def test_every_free_text_field_refuses_a_phone_number(field):
    ctx = schema.Context("x.yaml")
    node = yt.Scalar("找我 136 4211 6136", Position("x.yaml", 3, 10))
    assert TEXT_FIELDS[field].read(node, ctx) is schema.INVALID
    assert [str(p).split("（字段")[0] for p in ctx.problems if p.code == "E701"] == [
        "x.yaml:3:13: E701 文字里有电话号码 136****6136：电话请写在电话字段（phone，"
        "个人号码加 phone_consent 写明本人是否同意公开），文字里不要写号码"
    ]


# --- records: validate and build give the same positioned answer -------------


def test_a_number_in_notes_is_an_error_where_it_stands(content, tmp_path):
    path = committee_file(content)
    replace_in(
        path,
        "notes: 午间 11:30-13:30 有社工轮流值守，如有急事请按门铃。",
        "notes: 午间有急事请打陆阿姨 136 4211 6136，或身份证 31010419800101123X 登记",
    )
    line = line_of(path, "notes:")
    status, said = validate(content)
    assert status == 1
    assert (f"{path.as_posix()}:{line}:21: E701 文字里有电话号码 136****6136") in said
    assert (
        f"{path.as_posix()}:{line}:40: E702 文字里有身份证号码 "
        "310104********123X：身份证号码不能公开，请删除（字段 service_hours.notes）"
    ) in said
    output = tmp_path / "output"
    with pytest.raises(RecordsInvalid) as refused:
        build(content, output)
    assert {p.code for p in refused.value.problems} == {"E701", "E702"}
    assert not output.exists()


@pytest.mark.parametrize("typed", SPELLINGS)
def test_an_unconsented_mobile_in_any_spelling_is_never_written_whole(content, tmp_path, typed):
    path = committee_file(content)
    # The block leader's own field, and an event's registration phone.
    replace_in(path, f"phone: {MOBILE}", f'phone: "{typed}"')
    event = content / "data" / "events" / "2020" / "shudian-zhi-ye.yaml"
    replace_in(event, "phone: 021-6401 5586", f'phone: "{typed}"')
    output = tmp_path / "output"
    build(content, output)
    files = _every_written_file(output)
    assert len(files) > 100
    assert [name for name, text in files.items() if _whole(text, MOBILE)] == []
    assert "136 **** 6136" in _shown(files["committees/rihui-liucun/index.html"])
    assert "136 **** 6136" in _shown(files["events/2020/shudian-zhi-ye/index.html"])


def test_a_mobile_where_the_office_number_belongs_needs_consent(content):
    path = committee_file(content)
    replace_in(path, "office_phone: 021-6418 1185", "office_phone: 0136 4211 6136")
    status, said = validate(content)
    assert status == 1
    assert (
        f"{path.as_posix()}:{line_of(path, 'office_phone')}:15: E703 "
        "办公电话 136****6136 是手机号码，属于个人号码，不能打码公开：请改写单位固话；"
        "如本人同意公开这个手机号，请加 office_phone_consent: true（字段 office_phone）"
    ) in said
    replace_in(path, "office_phone: 0136", "office_phone_consent: true\noffice_phone: 0136")
    status, said = validate(content)
    # Consented here, it is still masked for the block leader it also belongs to.
    assert "E703" not in said
    assert "E704 号码 136****6136 在这里要打码" in said


def test_an_emergency_contacts_mobile_without_consent_is_masked_not_refused(content, tmp_path):
    path = committee_file(content)
    replace_in(path, "    phone: 18953885767\n    phone_consent: true", "    phone: 189 5388 5767")
    output = tmp_path / "output"
    build(content, output)
    page = (output / "committees" / "rihui-liucun" / "index.html").read_text("utf-8")
    assert "189 **** 5767" in _shown(page)
    assert not any(_whole(t, "18953885767") for t in _every_written_file(output).values())


def test_a_mobile_on_the_subdistrict_emergency_list_needs_consent(content):
    path = content / "data" / "subdistrict.yaml"
    replace_in(path, "phone: 021-64170110", "phone: 136 4211 6136")
    status, said = validate(content)
    assert status == 1
    assert (
        f"{path.as_posix()}:{line_of(path, '136 4211')}:12: E703 紧急电话 136****6136 "
        "是手机号码，属于个人号码，不能打码公开：请改写单位固话；如本人同意公开这个手机号，"
        "请加 phone_consent: true（字段 emergency_numbers[3].phone）"
    ) in said
    replace_in(path, "phone: 136 4211 6136", "phone: 136 4211 6136\n    phone_consent: true")
    status, said = validate(content)
    assert "E703" not in said
    # Now published whole by the subdistrict, it is masked for the block leader:
    # the records disagree about consent.
    assert f"E704 号码 136****6136 在这里要打码，却在 {path.as_posix()}:" in said


def test_consent_must_agree_across_records(content):
    path = committee_file(content)
    other = committee_file(content, "rihui-yicun")
    replace_in(other, "office_phone:", "office_phone_consent: true\noffice_phone:")
    text = other.read_text("utf-8")
    office = re.search(r"^office_phone: (.+)$", text, re.M).group(1)
    replace_in(other, f"office_phone: {office}", f"office_phone: {MOBILE}")
    status, said = validate(content)
    assert status == 1
    leader = line_of(path, f"phone: {MOBILE}")
    assert (
        f"{path.as_posix()}:{leader}:12: E704 号码 136****6136 在这里要打码，"
        f"却在 {other.as_posix()}:{line_of(other, MOBILE)} 完整公开："
        "同一个号码请统一写明是否同意公开（phone_consent）"
    ) in said


def test_landlines_of_named_people_are_masked_hiding_six_digits(content, tmp_path):
    path = committee_file(content)
    replace_in(path, f"phone: {MOBILE}", "phone: 6433 2211")
    output = tmp_path / "output"
    build(content, output)
    page = (output / "committees" / "rihui-liucun" / "index.html").read_text("utf-8")
    assert "**** **11" in _shown(page)  # six digits hidden, grouped as shown
    assert not any(_whole(t, "64332211") for t in _every_written_file(output).values())


# --- the last line of defence: the build reads back what it wrote ------------


def _leaking_theme(tmp_path) -> Path:
    """What no record check can see: a theme edit that writes a block
    leader's number into every content page (here the about page)."""
    folder = tmp_path / "theme-overrides"
    folder.mkdir()
    page = (ROOT / "theme/templates/page.html").read_text("utf-8")
    (folder / "page.html").write_text(
        page.replace(
            "<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1><p>值班 136-4211-6136</p>"
        ),
        "utf-8",
    )
    return folder


def test_a_number_in_a_content_page_is_an_error_where_it_stands(content):
    page = content / "pages" / "about.md"
    page.write_text("Title: 关于本站\n\n有事请找陆阿姨：136 **4211** 6136。\n", "utf-8")
    status, said = validate(content)
    assert status == 1
    assert (
        f"{page.as_posix()}:3:9: E701 文字里有电话号码 136****6136：电话请写在电话字段（phone，"
        "个人号码加 phone_consent 写明本人是否同意公开），文字里不要写号码"
    ) in said


def test_the_build_fails_when_a_written_file_holds_an_unpublished_number(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)  # a first, clean output to keep
    before = tree_digest(output)
    status, said = build_with_templates(content, output, _leaking_theme(tmp_path))
    assert status == 1
    leader = line_of(committee_file(content), f"phone: {MOBILE}")
    source = f"{committee_file(content).as_posix()}:{leader}:12"
    lines = said.splitlines()
    # the pages, their 长辈版 twins, and the search index read from them
    pages = ("about", "accessibility", "guide", "privacy")
    leaking = sorted(
        [f"{page}/index.html" for page in pages]
        + [f"elder/{page}/index.html" for page in pages]
        + ["search/index.json"]
    )
    assert [line for line in lines if " E790 " in line] == [
        f"output/{file}:1:1: E790 生成的文件里有未经本人同意公开的号码 136****6136"
        f"（来自 {source}），这个文件已删除"
        for file in leaking
    ]
    assert (
        lines[-1] == f"构建未完成：发现 {len(leaking)} 个错误，网站没有更新（output/ 保持原样）。"
    )
    assert MOBILE not in said
    assert tree_digest(output) == before


def test_plain_pelican_says_the_same_and_keeps_nothing_that_leaks(content, tmp_path):
    output = tmp_path / "output"
    theme = _leaking_theme(tmp_path)
    run = plain_pelican(
        output,
        *("-e", f'DISCLOSURE_AS_OF="{AS_OF}"', f'THEME_TEMPLATES_OVERRIDES=["{theme}"]'),
        content=content,
        cwd=tmp_path,
    )
    assert run.returncode == 1
    assert (
        "output/about/index.html:1:1: E790 生成的文件里有未经本人同意公开的号码 136****6136"
        in run.stdout
    )
    assert "Traceback" not in run.stdout + run.stderr
    assert not (output / "about" / "index.html").exists()
    assert not any(_whole(t, MOBILE) for t in _every_written_file(output).values())


def test_a_number_that_merely_contains_an_unpublished_one_is_no_leak(content, tmp_path):
    # 0571-6418118 (a 7-digit line, masked) sits inside the office's 021-6418 1185
    replace_in(committee_file(content), f"phone: {MOBILE}", "phone: 0571-6418118")
    output = tmp_path / "output"
    build(content, output)
    page = (output / "committees/rihui-liucun/index.html").read_text("utf-8")
    assert "0571-*** ****" in _shown(page) and "021-6418 1185" in _shown(page)


def test_the_scan_reads_folded_calendar_lines_and_markup(tmp_path):
    from disclosure.output_scan import views

    folded = "DESCRIPTION:报名电话 136421\r\n 16136\r\n"
    assert any(_whole(v, MOBILE) for v in views(tmp_path / "a.ics", folded))
    split = "<p>136<strong>4211</strong>&#54;136</p>"
    assert any(_whole(v, MOBILE) for v in views(tmp_path / "a.html", split))


# --- what a hostile editor tried: every way of hiding a number in text -------

HIDDEN = [
    "陆桂英 136,4211,6136",
    "136，4211，6136",
    "136、4211、6136",
    "136\u20434211\u20436136",
    "1364211&shy;6136",
    "139<b>1234</b>5678",
    "136<span>4211</span>6136",
    "&#49;3642116136",
    "`136`4211`6136`",
    "136    4211    6136",
    "136<br>4211<br>6136",
    "139\n0000 0002",
    "1390000<!-- -->0007",
    "[1364](https://x.example/)2116136",
    '[给她打电话](tel:136%342116136 "陆桂英")',
    '[点这里](https://x.example/ "王阿姨 139,0000,0005")',
    "身份证 110101199003\n077777",
    # the second review
    "下班后请联系13917265843张老师",
    "报名咨询13917265843余老师",
    "如需退款：13822334455",
    "136\u034f4211\u034f6136",
    "1\ufe0f\u20e33\ufe0f\u20e36\ufe0f\u20e34\ufe0f\u20e32\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e36"
    "\ufe0f\u20e31\ufe0f\u20e33\ufe0f\u20e36\ufe0f\u20e3",
    "136一4211一6136",
    "136•4211•6136",
    "136；4211；6136",
    "一三六四二一一六一三六",
    "١٣٦٤٢١١٦١٣٦",
    "①③⑥④②①①⑥①③⑥",
    "¹³⁶⁴²¹¹⁶¹³⁶",
    "身份证31010419800101123×",
    '<ol start="1391726&#53;843"><li>张老师（值班）</li></ol>',
    "联系张老师：13917265[^a]43\n\n[^a]: 工作日。",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_a_number_hidden_in_free_text_is_found(text):
    ctx = schema.Context("x.yaml")
    node = yt.Scalar(text, Position("x.yaml", 3, 10), inline=False)
    assert schema.Markdown().read(node, ctx) is schema.INVALID
    assert {p.code for p in ctx.problems} <= {"E701", "E702"} and ctx.problems


@pytest.mark.parametrize(
    "char", ["\u200b", "\u00ad", "\u202e", "\u2066", "\ufeff", "\u034f", "\u3164", "\u2028"]
)
def test_invisible_format_characters_are_refused_where_they_stand(content, char):
    path = committee_file(content)
    replace_in(path, "notes: 午间", f"notes: 午间{char}")
    status, said = validate(content)
    assert status == 1
    assert (
        f"{path.as_posix()}:{line_of(path, 'notes:')}:12: E011 这里有一个看不见的控制字符"
        f"（U+{ord(char):04X}），请删除它（常见于从网页或文档复制来的文字）"
    ) in said


@pytest.mark.parametrize(
    "text",
    [
        "总投资35000000",
        "预算 35000000.00 元",
        "资金 35000000 RMB",
        "35000000余元，35000000册",
        "投资 15000000000 元，13500000000元",
        "13,500,000,000 元",
        "订单号 202611270000000001",
        "20000000",
        "20261127 至 20261231",
        "邮编 200030，热线 95598、962121、10086",
        "落实2021-2025年社区发展规划",
        "按《上海市城市总体规划（2017-2035年）》要求推进",
        "《徐汇区社区发展规划（2021—2025年）》",
        "第 2026-0045 号，No.2026-1127",
        "统一社会信用代码91310104MA1FL5XX3B的物业公司进场",
        "活动地点坐标31.1882,121.4375",
        "沪ICP备23456789号",
        "一二三四五六七八九十",
        "徐府发〔2020〕12号，80弄1-26号，08:30-11:30",
    ],
)
def test_amounts_order_numbers_and_codes_are_not_phones(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize(
    "url", ["https://www.wjx.cn/jq/43218765.aspx", "https://www.bilibili.com/video/av21384576"]
)
def test_a_web_address_with_eight_digits_is_not_a_phone(url):
    ctx = schema.Context("x.yaml")
    assert schema.Url().read(yt.Scalar(url, Position("x.yaml", 1, 1)), ctx) == url
    assert ctx.problems == []


def test_a_tel_link_to_a_local_line_is_a_phone():
    ctx = schema.Context("x.yaml")
    node = yt.Scalar("tel:64187723", Position("x.yaml", 1, 1))
    assert schema.Url().read(node, ctx) is schema.INVALID
    assert [p.code for p in ctx.problems] == ["E701"]


def test_a_tel_link_with_a_number_is_refused_in_a_url_field(content):
    event = content / "data/events/2026/dongzhi-tangyuan.yaml"
    text = event.read_text("utf-8")
    assert "registration:" in text
    replace_in(event, "registration:", "registration:\n  url: tel:+86-139-1234-5678")
    status, said = validate(content)
    assert status == 1
    assert (
        "E701 网址里有电话号码 139****5678：电话请写在电话字段（phone，"
        "个人号码加 phone_consent 写明本人是否同意公开），网址里不要写号码"
    ) in said


def test_a_file_name_with_a_number_is_refused(content):
    folder = content / "data/committees"
    (folder / "mingyuan.yaml").rename(folder / "wang-13912345678.yaml")
    status, said = validate(content)
    assert status == 1
    assert (
        f"{(folder / 'wang-13912345678.yaml').as_posix()}:1:1: E705 文件名字里有电话号码 "
        "139****5678：它会成为网址，公开给所有人，请换一个名字"
    ) in said


def test_a_seven_digit_landline_hides_every_digit_of_the_line():
    from disclosure.values.phones import parse_phone

    assert parse_phone("0571-7654321").masked() == "0571*******"


def test_a_page_split_across_lines_or_in_its_summary_is_refused(content):
    page = content / "pages" / "about.md"
    page.write_text(
        "Title: 关于本站\nSummary: 王阿姨 139<b>1234</b>5678\n\n请联系 139\n0000 0002\n", "utf-8"
    )
    status, said = validate(content)
    assert status == 1
    assert f"{page.as_posix()}:4:5: E701 文字里有电话号码 139****0002" in said
    assert f"{page.as_posix()}:1:1: E701 文字里有电话号码 139****5678" in said


def test_a_number_inside_a_block_of_text_is_pointed_at(content):
    path = committee_file(content)
    replace_in(path, "      **遇到火情", "      夜里找陆阿姨 136 4211 6136。\n      **遇到火情")
    status, said = validate(content)
    assert status == 1
    line = line_of(path, "夜里找陆阿姨")
    assert f"{path.as_posix()}:{line}:14: E701 文字里有电话号码 136****6136" in said


@pytest.mark.parametrize(
    "name",
    ["index.html", "a/b/.htaccess", "file.", "x.tar.GZ", "dir.d/file", "a/INDEX.HTML", ".a.txt"],
)
def test_the_leak_scan_tells_a_files_kind_as_pathlib_does(name):
    from disclosure.output_scan import _suffix

    assert _suffix(name) == Path(name).suffix.lower()
