"""The loader keeps what staff typed and reports every YAML pitfall with a position."""

from __future__ import annotations

import time

import pytest
from disclosure.core.yaml_text import Mapping, Scalar, Sequence, load


def problems(text: str | bytes) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return [str(p) for p in load("f.yaml", data).problems]


def scalar(text: str, key: str) -> Scalar:
    root = load("f.yaml", text.encode()).root
    assert isinstance(root, Mapping)
    return root.entries[key][1]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("close: 17:00", "17:00"),  # PyYAML's default: 1020 (base 60)
        ("close: 8:30", "8:30"),  # PyYAML's default: 510
        ("close: 02164001234", "02164001234"),  # PyYAML's default: 298844828 (octal)
        ("close: NO", "NO"),  # PyYAML's default: False
        ("close: 2020-09-01", "2020-09-01"),  # PyYAML's default: a date object
        ("close: 1e3", "1e3"),
        ("close: 0x1F", "0x1F"),
    ],
)
def test_every_scalar_is_kept_as_typed(typed, kept):
    node = scalar(typed, "close")
    assert node.text == kept
    assert (node.position.line, node.position.column) == (1, 8)


def test_nested_lists_and_flow_sequences_keep_positions():
    root = load("f.yaml", b"a:\n  - x\n  - [8:30-11:30, 13:30-17:00]\n").root
    items = root.entries["a"][1]
    assert isinstance(items, Sequence)
    inner = items.items[1]
    assert [s.text for s in inner.items] == ["8:30-11:30", "13:30-17:00"]
    assert (inner.items[1].position.line, inner.items[1].position.column) == (3, 18)


def test_duplicate_key_is_an_error_at_the_second_key():
    assert problems("name: 甲\naddress: x\nname: 乙\n") == [
        'f.yaml:3:1: E004 字段 "name" 重复，第 1 行已经写过；请删除其中一个（YAML 会悄悄只保留后一个）'
    ]


def test_duplicate_key_keeps_the_first_value():
    root = load("f.yaml", "name: 甲\nname: 乙\n".encode()).root
    assert root.entries["name"][1].text == "甲"


def test_anchor_and_alias_are_errors():
    assert problems("a: &x 1\nb: *x\n") == [
        "f.yaml:1:4: E005 不能使用锚点“&x”：请删除它，需要重复的内容请直接写出来",
        "f.yaml:2:4: E005 不能使用别名“*x”：请把要重复的内容直接写出来",
    ]


def test_alias_bomb_is_refused_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [{', '.join('*' + prev for _ in range(9))}]")
    started = time.perf_counter()
    found = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2  # expanded, it would be 9^10 strings
    assert all(" E005 " in line for line in found)
    assert len(found) == 10 + 9 * 9  # every anchor and every alias is named


def test_tab_indentation_names_line_and_column():
    assert problems("service_hours:\n\tweekly: x\n") == [
        "f.yaml:2:1: E003 这一行用制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格"
    ]


def test_every_tab_indented_line_is_reported():
    assert [p.split(": ")[0] for p in problems("a:\n  \tb: 1\n\tc: 2\n")] == [
        "f.yaml:2:3",
        "f.yaml:3:1",
    ]


def test_several_documents_are_an_error():
    assert problems("name: 甲\n---\nname: 乙\n") == [
        "f.yaml:2:1: E006 一个文件只能写一条记录，这里的“---”开始了第二条；"
        "请删除“---”及其后的内容，或把它移到另一个文件"
    ]


def test_a_leading_document_marker_is_fine():
    assert problems("---\nname: 甲\n") == []


def test_gbk_file_is_an_error_with_position():
    data = "name: 日晖\naddress: 零陵路\n".encode("gbk")
    assert problems(data) == [
        "f.yaml:1:7: E001 文件不是 UTF-8 编码（字节 0xC8），看起来是 GBK/GB18030 编码"
        "（Windows 中文版的默认编码）：请在编辑器中选择“另存为”，编码选 UTF-8 后保存"
    ]


def test_gbk_error_position_counts_characters_before_it():
    data = "name: 日晖\naddress: ".encode() + "零陵路".encode("gbk")
    assert problems(data)[0].startswith("f.yaml:2:10: E001 ")


def test_utf16_file_is_an_error():
    data = "name: 日晖\n".encode("utf-16")
    assert problems(data) == [
        "f.yaml:1:1: E001 文件是 UTF-16 编码，不是 UTF-8：请在编辑器中选择“另存为”，编码选 UTF-8 后保存"
    ]


def test_utf8_bom_is_accepted():
    result = load("f.yaml", b"\xef\xbb\xbf" + "name: 日晖\n".encode())
    assert result.problems == []
    assert result.root.entries["name"][1].text == "日晖"


def test_windows_line_endings_and_bom_keep_positions():
    result = load("f.yaml", b"\xef\xbb\xbfname: a\r\nb:\r\n  - x\r\n")
    assert result.problems == []
    item = result.root.entries["b"][1].items[0]
    assert (item.text, item.position.line, item.position.column) == ("x", 3, 5)


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n", "~\n"])
def test_empty_file_is_an_error(text):
    assert problems(text) == ["f.yaml:1:1: E007 文件是空的：请填写记录内容，或删除这个文件"]


def test_yaml_tags_are_refused():
    assert problems("a: !!python/object:os.system x\nb: !!int 3\nc: !!str 8:30\n") == [
        'f.yaml:1:4: E008 不能使用 YAML 标签 "tag:yaml.org,2002:python/object:os.system"：'
        "请删除它，值会按文字读取，再由记录格式检查",
        'f.yaml:2:4: E008 不能使用 YAML 标签 "tag:yaml.org,2002:int"：请删除它，值会按文字读取，再由记录格式检查',
    ]


def test_a_mapping_as_key_is_refused():
    assert problems("? [a, b]\n: c\n") == [
        "f.yaml:1:3: E009 字段名必须是一段文字，不能是列表或映射"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: 日晖: 六村\n",
            "f.yaml:1:9: E002 这里不能出现“: ”（冒号加空格）：如果它是值的一部分，请用引号把整个值括起来；"
            "如果是新的字段，请换行并对齐缩进",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "f.yaml:3:2: E002 缩进没有对齐：同一层的字段应从同一列开始",
        ),
        ('name: "日晖\n', "f.yaml:2:1: E002 引号没有闭合：请检查引号是否成对"),
        ("a: [1, 2\n", "f.yaml:2:1: E002 方括号 [ ] 没有闭合，或列表项之间缺少逗号"),
        ("a: @x\n", 'f.yaml:1:4: E002 值不能以 "@" 开头：请用引号把整个值括起来'),
    ],
)
def test_syntax_errors_are_explained_in_chinese(text, expected):
    assert problems(text) == [expected]


def test_deep_nesting_is_refused():
    found = problems("a: " + "[" * 40 + "]" * 40 + "\n")
    assert found == ["f.yaml:1:36: E010 嵌套层次超过 32 层，请检查缩进"]


def test_unquoted_null_words_read_as_empty_but_quoted_ones_do_not():
    root = load("f.yaml", b"a:\nb: ~\nc: null\nd: 'null'\n").root
    assert [root.entries[k][1].empty for k in "abcd"] == [True, True, True, False]


@pytest.mark.parametrize(
    "char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff"]
)
def test_an_invisible_control_character_is_named_with_its_place(char):
    data = f"name: 日晖\nnote: 午间{char}值守\n".encode("utf-8", "surrogatepass")
    assert problems(data) == [
        f"f.yaml:2:9: E011 这里有一个看不见的控制字符（U+{ord(char):04X}），请删除它"
        "（常见于从网页或文档复制来的文字）"
    ]


def test_every_control_character_is_reported_and_tabs_and_line_ends_are_not():
    data = "name: 日晖\r\nnote: a\x01b\x02\r\nplace: \t x\n".encode()
    assert [line.split(": E")[0] for line in problems(data)] == ["f.yaml:2:8", "f.yaml:2:10"]
