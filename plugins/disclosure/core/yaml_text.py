"""Read a record file into a tree of text nodes with positions.

PyYAML's constructors silently change what staff wrote (`17:00` -> 1020,
`02164001234` -> 298844828, `NO` -> False, the last duplicate key wins, alias
bombs expand). So this module never constructs Python values: it walks the
parser's events and keeps every scalar as the text that was typed, leaving
all typing to the schema. Anything YAML allows but a record must not use is
reported as a problem with a position and a fix, and all of them are collected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .problems import Position, Problem, quoted

try:  # libyaml is ~10x faster; the pure-Python parser yields the same events.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 32
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_ALLOWED_TAGS = frozenset({"tag:yaml.org,2002:str", "!"})


@dataclass(slots=True)
class Scalar:
    text: str
    position: Position
    quoted: bool = False
    inline: bool = True
    # A literal block (`|`): the file line its text starts on and its indent,
    # so that a character inside it can be pointed at.
    block: tuple[int, int] | None = None

    @property
    def empty(self) -> bool:
        if self.quoted:
            return self.text.strip() == ""
        return self.text.strip() in _NULLS

    def position_at(self, index: int) -> Position:
        """Where character `index` of the text stands, to point inside a value."""
        if self.block is not None:
            first, indent = self.block
            line = self.text.count("\n", 0, index)
            column = index - (self.text.rfind("\n", 0, index) + 1)
            return Position(self.position.path, first + line, indent + column + 1)
        if not self.inline:
            return self.position
        return self.position.shifted(index + (1 if self.quoted else 0))


@dataclass(slots=True)
class Sequence:
    items: list[Node]
    position: Position


@dataclass(slots=True)
class Mapping:
    # key text -> (key node, value node); the first of duplicate keys is kept
    entries: dict[str, tuple[Scalar, Node]]
    position: Position


@dataclass(slots=True)
class Broken:
    """Stands where a value could not be read (an alias); already reported."""

    position: Position


Node = Scalar | Sequence | Mapping | Broken


@dataclass(slots=True)
class LoadResult:
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


def load(path: str, data: bytes) -> LoadResult:
    """Parse one record file. `path` is the name shown in problems."""
    problems: list[Problem] = []
    text = _decode(path, data, problems)
    if text is None:
        return LoadResult(None, problems)
    _check_tabs(path, text, problems)
    _check_controls(path, text, problems)
    if problems:
        return LoadResult(None, problems)
    fullwidth = _fullwidth_marks(path, text)
    builder = _TreeBuilder(path, problems, text.split("\n"))
    try:
        root = builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        # a "：" typed for ":" breaks the YAML a line or two later: name the "："
        mark = error.problem_mark or error.context_mark
        before = [m for m in fullwidth if mark is None or m.token.line <= mark.line + 1]
        problems.extend(m.problem for m in before)
        if not before:
            problems.append(_syntax_problem(path, text, error))
        return LoadResult(None, problems)
    except yaml.reader.ReaderError as error:
        # what _check_controls does not know YAML refuses: still a position
        at = max(0, min(int(getattr(error, "position", 0) or 0), len(text)))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        char = error.character
        code = char if isinstance(char, int) else ord(char[:1] or "\0")
        problems.append(
            Problem(
                Position(path, line, column),
                "E011",
                f"这里有一个 YAML 不接受的字符（U+{code:04X}），请删除它",
            )
        )
        return LoadResult(None, problems)
    except _TooDeep:
        return LoadResult(None, problems)
    # where YAML read it as text: only a value that starts at the mark is one
    problems.extend(builder.read_as_text(fullwidth))
    problems.sort(key=lambda p: p.sort_key)
    if root is None or (isinstance(root, Scalar) and root.empty and not problems):
        problems.append(
            Problem(Position(path), "E007", "文件是空的：请填写记录内容，或删除这个文件")
        )
        return LoadResult(None, problems)
    return LoadResult(root, problems)


def decode(path: str, data: bytes, problems: list[Problem]) -> str | None:
    """The text of a file staff saved, or None with E001 in `problems` (not UTF-8).

    Also used for content pages, which Pelican reads as UTF-8 too."""
    return _decode(path, data, problems)


def control_problems(path: str, text: str) -> list[Problem]:
    """E011 for every invisible control character in `text` (records and content pages)."""
    problems: list[Problem] = []
    _check_controls(path, text, problems)
    return problems


def _decode(path: str, data: bytes, problems: list[Problem]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Problem(
                Position(path),
                "E001",
                "文件是 UTF-16 编码，不是 UTF-8：请在编辑器中选择“另存为”，编码选 UTF-8 后保存",
            )
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM from Windows Notepad is harmless
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        try:
            data.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码（Windows 中文版的默认编码）"
        except UnicodeDecodeError:
            guess = "编码无法识别"
        problems.append(
            Problem(
                Position(path, line, column),
                "E001",
                f"文件不是 UTF-8 编码（字节 0x{data[start]:02X}），{guess}："
                "请在编辑器中选择“另存为”，编码选 UTF-8 后保存",
            )
        )
        return None


_LEADING = re.compile(r"^[ \t]*")


def _check_tabs(path: str, text: str, problems: list[Problem]) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = _LEADING.match(line).group()
        if "\t" in indent:
            problems.append(
                Problem(
                    Position(path, number, indent.index("\t") + 1),
                    "E003",
                    "这一行用制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格",
                )
            )


def _invisible_class() -> re.Pattern:
    """Characters no record or page should hold: control characters (but tab
    and line breaks), DEL, C1 controls, surrogates, the noncharacters
    U+FFFE/U+FFFF, and every format character: zero-width spaces and joiners,
    the soft hyphen and bidirectional overrides, which hide or reorder what a
    reader sees (a number written backwards behind U+202E is shown forwards).
    YAML rejects some with an English error and no line; XML (the feeds) others."""
    codes = [c for c in range(0x20) if chr(c) not in "\t\n\r"]
    codes += [*range(0x7F, 0xA0), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF, 0x2028, 0x2029]
    # invisible letters and joiners that are not format characters
    codes += [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810)]
    # Format characters live in the first two planes and among the tags (plane 14).
    planes = (*range(0x20000), *range(0xE0000, 0xE0100))
    codes += [c for c in planes if unicodedata.category(chr(c)) == "Cf"]
    ranges, start, last = [], None, None
    for code in sorted(set(codes)):
        if start is not None and code == last + 1:
            last = code
            continue
        if start is not None:
            ranges.append((start, last))
        start = last = code
    ranges.append((start, last))
    parts = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{parts}]")


_INVISIBLE = _invisible_class()


def _check_controls(path: str, text: str, problems: list[Problem]) -> None:
    if not _INVISIBLE.search(text):
        return
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _INVISIBLE.finditer(line.rstrip("\r")):
            problems.append(
                Problem(
                    Position(path, number, match.start() + 1),
                    "E011",
                    f"这里有一个看不见的控制字符（U+{ord(match.group()):04X}），请删除它"
                    "（常见于从网页或文档复制来的文字）",
                )
            )


# ---- full-width marks ------------------------------------------------------------
# A Chinese input method types "：" for ":", "－" for "-" and U+3000 for a space.
# YAML takes them for text, and reports (if at all) a different mistake later.
_WIDE_SPACE = "\u3000"
_KEY_COLON = re.compile(
    r"^(?P<lead>[ ]*(?:[-－][ \u3000]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:(?P<wide>[ \u3000]*：)|(?P<space>:\u3000))"
)
_WIDE_DASH = re.compile(r"^(?P<lead>[ ]*)－[ \u3000]")
_WIDE_INDENT = re.compile(r"^(?P<lead>[ ]*)\u3000")
_BLOCK_SCALAR = re.compile(r"(?:^|[:\-][ ]|^[ ]*-)[ ]*[|>][1-9+-]{0,2}[ ]*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class _Mark:
    token: Position  # where the text YAML would read starts
    problem: Problem
    dash: bool = False  # "－ " where a list item was meant


def _fullwidth_marks(path: str, text: str) -> list[_Mark]:
    """Every full-width colon, dash or space where YAML needs the ASCII one,
    outside block scalars (| and >), whose text may hold anything."""
    marks: list[_Mark] = []
    block_indent: int | None = None  # indentation of the line that opened a block scalar
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip(" \u3000") or indent > block_indent:
                continue
            block_indent = None
        if _BLOCK_SCALAR.search(line):
            block_indent = indent

        found = _fullwidth_mark(line)
        if found is not None:
            token, at, message, dash = found
            marks.append(
                _Mark(
                    Position(path, number, token + 1),
                    Problem(Position(path, number, at + 1), "E012", message),
                    dash,
                )
            )
    return marks


def _fullwidth_mark(line: str) -> tuple[int, int, str, bool] | None:
    """Where the text YAML reads starts, where the mark is, what to do, and
    whether it is a list item's dash; None for a line without one."""
    if match := _KEY_COLON.match(line):
        lead, at = len(match["lead"]), match.end() - 1
        if match["wide"]:
            return lead, at, "这里用了中文冒号“：”，请改成英文冒号加空格“: ”", False
        return (
            lead,
            at,
            "冒号后面是全角空格（中文输入法的空格），请改成英文冒号加一个半角空格“: ”",
            False,
        )
    if match := _WIDE_DASH.match(line):
        at = len(match["lead"])
        return at, at, "列表项要用英文减号加空格“- ”开头，这里是全角的“－”", True
    if match := _WIDE_INDENT.match(line):
        at = len(match["lead"])
        return (
            at,
            at,
            "这一行用全角空格（中文输入法的空格）缩进；YAML 只能用半角空格缩进，请改成半角空格",
            False,
        )
    return None


class _TreeBuilder:
    def __init__(self, path: str, problems: list[Problem], lines: list[str]):
        self.path = path
        self.problems = problems
        self.lines = lines
        # where each unquoted scalar starts -> the lines it runs on to
        self.plain: dict[Position, range] = {}

    def literal_block(self, event) -> tuple[int, int] | None:
        """(first line, indent) of a `|` block's text: the lines after its
        indicator, indented as its first line that is not blank."""
        first = event.start_mark.line + 1  # 0-based: the line after "key: |"
        for number in range(first, min(event.end_mark.line + 1, len(self.lines))):
            line = self.lines[number]
            if line.strip():
                return first + 1, len(line) - len(line.lstrip(" "))
        return None

    def read_as_text(self, marks: list[_Mark]) -> list[Problem]:
        """The problems of the full-width marks YAML read as text: a mark where a
        value starts, and every mark on the lines such a value runs on to (or a
        "－ " on the lines of any value: a list was meant)."""
        tokens = {mark.token for mark in marks}
        runs_on = {line for start, lines in self.plain.items() for line in lines}
        marked = {line for start, lines in self.plain.items() if start in tokens for line in lines}
        return [
            mark.problem
            for mark in marks
            if mark.token in self.plain
            or mark.token.line in marked
            or (mark.dash and mark.token.line in runs_on)
        ]

    def position(self, mark) -> Position:
        return Position(self.path, mark.line + 1, mark.column + 1)

    def problem(self, mark, code: str, message: str) -> None:
        self.problems.append(Problem(self.position(mark), code, message))

    def build(self, events) -> Node | None:
        root: Node | None = None
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(
                        event.start_mark,
                        "E006",
                        "一个文件只能写一条记录，这里的“---”开始了第二条；"
                        "请删除“---”及其后的内容，或把它移到另一个文件",
                    )
                    return root
            elif isinstance(event, yaml.NodeEvent | yaml.CollectionStartEvent):
                root = self.node(event, events, depth=0)
        return root

    def node(self, event, events, depth: int) -> Node:
        if depth > MAX_DEPTH:
            self.problem(event.start_mark, "E010", f"嵌套层次超过 {MAX_DEPTH} 层，请检查缩进")
            raise _TooDeep
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                event.start_mark,
                "E005",
                f"不能使用别名“*{event.anchor}”：请把要重复的内容直接写出来",
            )
            return Broken(self.position(event.start_mark))
        if getattr(event, "anchor", None):
            self.problem(
                event.start_mark,
                "E005",
                f"不能使用锚点“&{event.anchor}”：请删除它，需要重复的内容请直接写出来",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.problem(
                event.start_mark,
                "E008",
                f"不能使用 YAML 标签 {quoted(tag)}：请删除它，值会按文字读取，再由记录格式检查",
            )
        position = self.position(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            if not event.style:
                self.plain[position] = range(position.line + 1, event.end_mark.line + 2)
            return Scalar(
                event.value,
                position,
                quoted=bool(event.style),
                inline=event.start_mark.line == event.end_mark.line
                and event.style in ("", "'", '"', None),
                block=self.literal_block(event) if event.style == "|" else None,
            )
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            for child in events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return Sequence(items, position)
                items.append(self.node(child, events, depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            entries: dict[str, tuple[Scalar, Node]] = {}
            for key_event in events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return Mapping(entries, position)
                key = self.node(key_event, events, depth + 1)
                value = self.node(next(events), events, depth + 1)
                if not isinstance(key, Scalar):
                    if not isinstance(key, Broken):
                        self.problem(
                            key_event.start_mark,
                            "E009",
                            "字段名必须是一段文字，不能是列表或映射",
                        )
                    continue
                if key.text in entries:
                    first = entries[key.text][0].position
                    self.problem(
                        key_event.start_mark,
                        "E004",
                        f"字段 {quoted(key.text)} 重复，第 {first.line} 行已经写过；"
                        "请删除其中一个（YAML 会悄悄只保留后一个）",
                    )
                    continue
                entries[key.text] = (key, value)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover


class _TooDeep(Exception):
    """Stops a runaway nesting; the problem is already recorded."""


# PyYAML's own wording, matched by its stable core, told in words staff know.
_SYNTAX_HINTS: list[tuple[str, str, str]] = [
    (
        "mapping values are not allowed",
        "E002",
        "这里不能出现“: ”（冒号加空格）：如果它是值的一部分，请用引号把整个值括起来；"
        "如果是新的字段，请换行并对齐缩进",
    ),
    (
        "could not find expected ':'",
        "E002",
        "缺少冒号：每个字段应写成“字段名: 值”，冒号后加一个空格",
    ),
    ("did not find expected key", "E002", "缩进没有对齐：同一层的字段应从同一列开始"),
    ("did not find expected '-' indicator", "E002", "缩进没有对齐：同一列表的“- ”应从同一列开始"),
    (
        "block sequence entries are not allowed",
        "E002",
        "这里不能开始列表项“- ”：请检查这一行和上一行的缩进",
    ),
    ("did not find expected ',' or ']'", "E002", "方括号 [ ] 没有闭合，或列表项之间缺少逗号"),
    ("did not find expected ',' or '}'", "E002", "花括号 { } 没有闭合，或字段之间缺少逗号"),
    ("found unexpected end of stream", "E002", "引号没有闭合：请检查引号是否成对"),
    ("found unknown escape character", "E002", "双引号里的反斜杠“\\”要写成“\\\\”，或改用单引号"),
    (
        "found undefined tag handle",
        "E008",
        "不能使用 YAML 标签（以“!”开头）：请删除它，或用引号把值括起来",
    ),
]


def _syntax_problem(path: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    position = Position(path, mark.line + 1, mark.column + 1) if mark else Position(path)
    problem = error.problem or ""
    if "cannot start any token" in problem and mark is not None:
        char = text[mark.index] if mark.index < len(text) else ""
        if char == "\t":
            return Problem(
                position, "E003", "这里有制表符（Tab）；YAML 只能用空格，请把 Tab 换成空格"
            )
        return Problem(
            position,
            "E002",
            f"值不能以 {quoted(char)} 开头：请用引号把整个值括起来",
        )
    for needle, code, message in _SYNTAX_HINTS:
        if needle in problem:
            return Problem(position, code, message)
    return Problem(
        position, "E002", f"YAML 格式错误（{problem or error}）：请对照示例文件检查这一行"
    )
