"""A small declarative schema: text nodes in, typed records or problems out.

Each record type is declared once (see each kind's model.py) as an `Obj` of
`Field`s. The same declaration types the YAML, reports every problem with
its position and field path, and is exported as JSON Schema for editors.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from ..values.dates import EARLIEST, LATEST, outside
from ..values.markup import ALLOWED_URL_SCHEMES, as_read
from ..values.phones import (
    PHONE_EXAMPLE,
    FoundNumber,
    find_numbers,
    hide_digits,
    may_hold_a_number,
    parse_phone,
)
from ..values.timeslots import DAYS_EXAMPLE, DaysError, TimeRangeError, parse_days, parse_time_range
from . import yaml_text as yt
from .problems import Position, Problem, Severity, quoted, quoted_short
from .slugs import SLUG_PATTERN


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # a value whose problem is already reported


@dataclass(kw_only=True)
class Located:
    """Base of typed records: where the record and each of its fields stand."""

    position: Position
    positions: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)

    def where(self, name: str) -> Position:
        return self.positions.get(name, self.position)


class Context:
    """Collects problems while a file is typed; knows the current field path."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self._trail: list[str] = []

    def field_path(self) -> str:
        return "".join(self._trail).lstrip(".")

    def enter(self, part: str) -> _Trail:
        return _Trail(self, part)

    def error(self, position: Position, code: str, message: str) -> None:
        where = self.field_path()
        suffix = f"（字段 {where}）" if where else ""
        self.problems.append(Problem(position, code, message + suffix, Severity.ERROR))

    def error_in(self, field: str, position: Position, code: str, message: str) -> None:
        """A problem found by a check over a whole record, named by the field it is in."""
        with self.enter(f".{field}"):
            self.error(position, code, message)


class _Trail:
    def __init__(self, context: Context, part: str):
        self.context, self.part = context, part

    def __enter__(self) -> None:
        self.context._trail.append(self.part)

    def __exit__(self, *exc) -> None:
        self.context._trail.pop()


_KIND_NAMES = {yt.Scalar: "文字", yt.Sequence: "列表", yt.Mapping: "映射（“字段: 值”）"}


def describe(node: yt.Node) -> str:
    if isinstance(node, yt.Scalar):
        return f"文字 {quoted(node.text)}"
    return _KIND_NAMES.get(type(node), "无法读取的值")


class Kind:
    """How one value is read from text and described in JSON Schema."""

    label = "值"

    def read(self, node: yt.Node, ctx: Context) -> Any:
        raise NotImplementedError

    def json(self) -> dict:
        raise NotImplementedError

    def is_empty(self, node: yt.Node) -> bool:
        return isinstance(node, yt.Scalar) and node.empty


class ScalarKind(Kind):
    def read(self, node: yt.Node, ctx: Context) -> Any:
        if isinstance(node, yt.Broken):
            return INVALID
        if not isinstance(node, yt.Scalar):
            ctx.error(node.position, "E109", f"应为{self.label}，实际为{describe(node)}")
            return INVALID
        return self.parse(node, ctx)

    def parse(self, node: yt.Scalar, ctx: Context) -> Any:
        raise NotImplementedError


class Text(ScalarKind):
    label = "一段文字"

    def __init__(self, *, multiline: bool = False, max_length: int | None = None):
        self.multiline, self.max_length = multiline, max_length

    def parse(self, node: yt.Scalar, ctx: Context) -> str:
        text = node.text.strip()
        ok = _no_personal_numbers(node, ctx, markdown=isinstance(self, Markdown))
        if not self.multiline and "\n" in text:
            ctx.error(node.position, "E117", "这里只能写一行文字，请删除换行")
            return INVALID
        if self.max_length and len(text) > self.max_length:
            ctx.error(
                node.position,
                "E117",
                f"文字太长：最多 {self.max_length} 个字，实际 {len(text)} 个字",
            )
            return INVALID
        return text if ok else INVALID

    def json(self) -> dict:
        schema: dict = {"type": "string", "minLength": 1}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


def number_in_text(number: FoundNumber, where: str = "文字") -> tuple[str, str]:
    """The code and message for a phone or ID number found in free text or a
    link, which carry no consent: records and content pages alike."""
    if number.kind == "id":
        return "E702", f"{where}里有身份证号码 {number.shown}：身份证号码不能公开，请删除"
    return (
        "E701",
        f"{where}里有电话号码 {number.shown}：电话请写在电话字段（phone，"
        f"个人号码加 phone_consent 写明本人是否同意公开），{where}里不要写号码",
    )


def _no_personal_numbers(node: yt.Scalar, ctx: Context, *, markdown: bool = False) -> bool:
    """A number typed into free text would be published whole, beside the
    masked copy of the same number: as typed, or as a reader meets it once
    markup has done its work (then it is reported where the value starts)."""
    if not may_hold_a_number(node.text):
        return True
    found = find_numbers(node.text)
    for number in found:
        ctx.error(node.position_at(number.start), *number_in_text(number))
    seen = {number.digits for number in found}
    views = [as_read(node.text)] + ([as_read(node.text, markdown=True)] if markdown else [])
    for view in views:
        for number in find_numbers(view):
            if number.digits not in seen:
                seen.add(number.digits)
                found.append(number)
                ctx.error(node.position, *number_in_text(number))
    return not found


class Markdown(Text):
    """Markdown text; rendered and sanitised only when a page shows it."""

    label = "一段文字（可用 Markdown）"

    def __init__(self):
        super().__init__(multiline=True)


_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


class Date(ScalarKind):
    """A day between `earliest` and `latest` (by default the years any record may name)."""

    label = "日期（YYYY-MM-DD）"

    def __init__(self, *, earliest: date = EARLIEST, latest: date = LATEST):
        self.earliest, self.latest = earliest, latest

    def parse(self, node: yt.Scalar, ctx: Context) -> date:
        text = unicodedata.normalize("NFKC", node.text).strip()
        match = _DATE.match(text)
        if not match:
            ctx.error(
                node.position,
                "E105",
                "日期格式应为 YYYY-MM-DD（例如 2020-09-01），"
                f"实际为 {quoted_short(node.text.strip())}",
            )
            return INVALID
        year, month, day = (int(part) for part in match.groups())
        if self.earliest.year <= year <= self.latest.year:
            try:
                value = date(year, month, day)
            except ValueError:
                ctx.error(node.position, "E106", f"日期 {text} 不存在，请核对年月日")
                return INVALID
            if not outside(value, self.earliest, self.latest):
                return value
        expected = outside(date.min, self.earliest, self.latest)
        ctx.error(node.position, "E118", f"日期超出范围：{expected}，实际为 {text}")
        return INVALID

    def json(self) -> dict:
        return {"type": "string", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$"}


class Phone(ScalarKind):
    label = "电话号码"

    def parse(self, node: yt.Scalar, ctx: Context):
        phone = parse_phone(node.text)
        if phone is None:
            ctx.error(
                node.position,
                "E107",
                f"电话号码格式不对：应为{PHONE_EXAMPLE}，实际为 {quoted(hide_digits(node.text))}",
            )
            return INVALID
        return phone

    def json(self) -> dict:
        # YAML 1.2 editors read an unquoted 02164001234 as a number; we take it as text.
        return {
            "type": ["string", "integer"],
            "pattern": r"^[+0-9０-９][0-9０-９ ()（）\-转分机ext.]*$",
        }


class Url(ScalarKind):
    label = "网址"

    def parse(self, node: yt.Scalar, ctx: Context) -> str:
        text = node.text.strip()
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_URL_SCHEMES or (scheme in ("http", "https") and not parts.netloc):
            ctx.error(
                node.position,
                "E113",
                f"网址只能以 http://、https://、mailto: 或 tel: 开头，实际为 {quoted(text)}",
            )
            return INVALID
        found = find_numbers(as_read(text), local=scheme == "tel")
        for number in found:
            ctx.error(node.position, *number_in_text(number, where="网址"))
        return INVALID if found else text

    def json(self) -> dict:
        return {"type": "string", "pattern": "^(https?://|mailto:|tel:)"}


_TRUE = frozenset({"true", "yes", "是"})
_FALSE = frozenset({"false", "no", "否"})


class Bool(ScalarKind):
    label = "true（是）或 false（否）"

    def parse(self, node: yt.Scalar, ctx: Context) -> bool:
        text = unicodedata.normalize("NFKC", node.text).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        ctx.error(
            node.position, "E111", f"应为 true（是）或 false（否），实际为 {quoted(node.text)}"
        )
        return INVALID

    def json(self) -> dict:
        words = ["true", "false", "True", "False", "yes", "no", "Yes", "No", "是", "否"]
        return {"type": ["boolean", "string"], "enum": [True, False, *words]}


NUMBER_LIMIT = 1_000_000  # no count, target or quantity in a record comes near it


def _figure(value: float) -> str:
    """A bound as staff read it: 1000000, not 1e+06."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class Number(ScalarKind):
    """A number as staff type it: 4, 86.5, ８６.５ or 86.5% (the sign is dropped).

    Every number has a maximum (at most NUMBER_LIMIT); digits are counted before
    they are converted, so no length of digits can overflow or take long."""

    label = "数字"
    _pattern = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
    json_type = "number"

    def __init__(self, minimum: float = 0, maximum: float = NUMBER_LIMIT):
        self.minimum, self.maximum = minimum, min(maximum, NUMBER_LIMIT)

    def parse(self, node: yt.Scalar, ctx: Context) -> float:
        text = unicodedata.normalize("NFKC", node.text).strip().removesuffix("%").strip()
        if not self._pattern.fullmatch(text):
            ctx.error(
                node.position,
                "E114",
                f"应为{self.label}，实际为 {quoted_short(node.text.strip())}",
            )
            return INVALID
        sign, unsigned = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, point, fraction = unsigned.partition(".")
        whole = whole.lstrip("0") or "0"
        # more digits than the maximum has is too large, whatever they are
        too_long = len(whole) > len(str(int(self.maximum)))
        value = None if too_long else self.convert(f"{sign}{whole}{point}{fraction}")
        if value is None or value < self.minimum or value > self.maximum:
            shown = text if len(text) <= 20 else quoted_short(text)
            ctx.error(
                node.position,
                "E114",
                f"应不小于 {_figure(self.minimum)}、不大于 {_figure(self.maximum)}，实际为 {shown}",
            )
            return INVALID
        return value

    @staticmethod
    def convert(text: str) -> float:
        return float(text)

    def json(self) -> dict:
        return {
            "type": [self.json_type, "string"],
            "minimum": self.minimum,
            "maximum": self.maximum,
        }


class Integer(Number):
    label = "整数"
    _pattern = re.compile(r"-?[0-9]+")
    json_type = "integer"

    @staticmethod
    def convert(text: str) -> int:
        return int(text)


class Choice(ScalarKind):
    """One of a few values; `aliases` lets staff write a value the way they say it."""

    def __init__(self, choices: dict[str, str], *, aliases: dict[str, str] | None = None):
        self.choices = choices  # value -> what it means, in Chinese
        self.aliases = aliases or {}  # another way to write it -> value
        if aliases:
            self.label = "以下之一：" + "、".join(
                f"{key}（{meaning}）" for key, meaning in choices.items()
            )
        else:
            self.label = "以下之一：" + "、".join(choices)

    def parse(self, node: yt.Scalar, ctx: Context) -> str:
        text = unicodedata.normalize("NFKC", node.text).strip()
        text = self.aliases.get(text, text)
        if text not in self.choices:
            ctx.error(
                node.position, "E110", f"应为{self.label}，实际为 {quoted(node.text.strip())}"
            )
            return INVALID
        return text

    def json(self) -> dict:
        return {"type": "string", "enum": [*self.choices, *self.aliases]}


class Days(ScalarKind):
    label = "星期"

    def parse(self, node: yt.Scalar, ctx: Context):
        try:
            return parse_days(node.text)
        except DaysError as error:
            ctx.error(
                node.position,
                "E108",
                f"星期写法不对：{error}；可写 {DAYS_EXAMPLE}，实际为 {quoted(node.text)}",
            )
            return INVALID

    def json(self) -> dict:
        return {
            "type": "string",
            "pattern": "^[周星期礼拜週一二三四五六日天七每工作末双休全至到、，,~\\- ]+$",
        }


_ONE_RANGE = re.compile(r"[0-9]{1,2}:[0-9]{2}\s*(?:-|–|—|~|至|到)\s*[0-9]{1,2}:[0-9]{2}")


class TimeRangeKind(ScalarKind):
    label = "时间段（HH:MM-HH:MM）"

    def parse(self, node: yt.Scalar, ctx: Context):
        several = _ONE_RANGE.findall(unicodedata.normalize("NFKC", node.text))
        if len(several) > 1:
            ctx.error(
                node.position,
                "E102",
                f"这里写了 {len(several)} 个时间段：请写成列表，例如 [08:30-11:30, 13:30-17:00]，"
                f"实际为 {quoted_short(node.text.strip())}",
            )
            return INVALID
        try:
            return parse_time_range(node.text)
        except TimeRangeError as problem:
            for error in problem.found:
                ctx.error(node.position_at(error.offset), error.code, str(error))
            return INVALID

    def json(self) -> dict:
        return {
            "type": "string",
            "pattern": r"^\s*\d{1,2}[:：]\d{2}\s*(-|–|—|~|～|至|到)\s*\d{1,2}[:：]\d{2}\s*$",
        }


# What a Chinese input method types between the items of a list: ，、；
_ITEM = re.compile(r"[^，、；,;]+")
_WIDE_BRACKETS = ("【［", "】］")


def split_items(node: yt.Scalar) -> list[yt.Scalar]:
    """`21号楼，22号楼、23号楼` (or in 【】) typed as one value: its items, each
    where it stands; the value itself when it lists fewer than two."""
    text = node.text
    start, end = 0, len(text)
    stripped = text.strip()
    if len(stripped) > 1 and stripped[0] in _WIDE_BRACKETS[0] and stripped[-1] in _WIDE_BRACKETS[1]:
        start = text.index(stripped[0]) + 1
        end = text.rindex(stripped[-1])
    items = []
    for match in _ITEM.finditer(text, start, end):
        part = match.group()
        if part.strip():
            offset = match.start() + len(part) - len(part.lstrip())
            items.append(yt.Scalar(part.strip(), node.position_at(offset), inline=node.inline))
    return items if len(items) > 1 else [node]


class ListOf(Kind):
    """A YAML list; with `single=True` one value may stand without the list.

    With `split=True` (lists of names, hours, dates: values that never hold a
    comma) an item typed as `a，b、c` is the items a, b and c, in a flow list
    `[a，b]` or standing alone, as an input method writes them."""

    def __init__(
        self, item: Kind, *, min_items: int = 0, single: bool = False, split: bool = False
    ):
        self.item, self.min_items, self.single, self.split = item, min_items, single, split
        self.label = f"{item.label}的列表"

    def _items(self, nodes: list[yt.Node]) -> list[yt.Node]:
        if not self.split:
            return nodes
        return [
            part
            for node in nodes
            for part in (split_items(node) if isinstance(node, yt.Scalar) else [node])
        ]

    def is_empty(self, node: yt.Node) -> bool:
        return super().is_empty(node) or (isinstance(node, yt.Sequence) and not node.items)

    def read(self, node: yt.Node, ctx: Context) -> list:
        if isinstance(node, yt.Broken):
            return INVALID
        listed = self._items([node]) if isinstance(node, yt.Scalar) else [node]
        if len(listed) > 1:
            node = yt.Sequence(listed, node.position)
        if self.single and not isinstance(node, yt.Sequence):
            if isinstance(node, yt.Scalar):
                return [value] if (value := self.item.read(node, ctx)) is not INVALID else INVALID
            ctx.error(node.position, "E109", f"应为{self.label}，实际为{describe(node)}")
            return INVALID
        if not isinstance(node, yt.Sequence):
            ctx.error(
                node.position, "E109", f"应为{self.label}（每项以“- ”开头），实际为{describe(node)}"
            )
            return INVALID
        nodes = self._items(node.items)
        if len(nodes) < self.min_items:
            ctx.error(node.position, "E112", f"至少需要填写 {self.min_items} 项")
            return INVALID
        values, ok = [], True
        for index, child in enumerate(nodes):
            with ctx.enter(f"[{index}]"):
                if self.item.is_empty(child):
                    ctx.error(child.position, "E112", "列表中有空的一项，请填写或删除这一行")
                    ok = False
                    continue
                value = self.item.read(child, ctx)
            ok = ok and value is not INVALID
            values.append(value)
        return values if ok else INVALID

    def json(self) -> dict:
        schema: dict = {"type": "array", "items": self.item.json()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.single:
            return {"anyOf": [schema, self.item.json()]}
        if self.split:
            return {"anyOf": [schema, {"type": "string", "pattern": "[，、；,;]"}]}
        return schema


class Either(Kind):
    """One value of two shapes: a scalar read one way, a list or mapping another."""

    def __init__(self, scalar: Kind, other: Kind):
        self.scalar, self.other = scalar, other
        self.label = f"{scalar.label}或{other.label}"

    def is_empty(self, node: yt.Node) -> bool:
        return self.other.is_empty(node) if not isinstance(node, yt.Scalar) else node.empty

    def read(self, node: yt.Node, ctx: Context) -> Any:
        if isinstance(node, yt.Scalar):
            return self.scalar.read(node, ctx)
        return self.other.read(node, ctx)

    def json(self) -> dict:
        return {"anyOf": [self.scalar.json(), self.other.json()]}


@dataclass(kw_only=True)
class Ref(Located):
    """A name that points at another record, kept with where it was written."""

    slug: str


class SlugRef(ScalarKind):
    label = "记录文件名（不含 .yaml）"

    def parse(self, node: yt.Scalar, ctx: Context) -> Ref:
        return Ref(position=node.position, slug=node.text.strip())

    def json(self) -> dict:
        return {"type": "string", "pattern": SLUG_PATTERN}


class DaysList(ListOf):
    """`days: 周一至周五` or `days: [周一, 周三]`, read as one set of weekdays."""

    def __init__(self):
        super().__init__(Days(), min_items=1, single=True)
        self.label = f"星期（{DAYS_EXAMPLE}）"

    def read(self, node: yt.Node, ctx: Context):
        sets = super().read(node, ctx)
        return INVALID if sets is INVALID else frozenset().union(*sets)


@dataclass
class Field:
    key: str  # as written in YAML
    kind: Kind
    title: str  # Chinese name shown in messages and editors
    required: bool = False
    default: Any = None
    help: str = ""
    attr: str = ""  # Python attribute name when the YAML key is a keyword

    def __post_init__(self):
        self.attr = self.attr or self.key


Check = Callable[[Any, Context], None]


def _agrees_with(cls: type, fields: Sequence[Field], supplied: Sequence[str]) -> None:
    """A record's fields are declared twice, in its dataclass and in its schema:
    refuse, when the schema is declared, any difference between the two.

    `supplied` are the fields the reader passes itself (a file's slug, its year).
    """
    model = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
    if not model:
        raise TypeError(f"{cls.__name__} is not a dataclass")
    declared = {f.attr for f in fields}
    unknown = sorted(declared - set(model))
    if unknown:
        raise TypeError(f"schema of {cls.__name__} declares {unknown}, which it does not have")
    missing = sorted(
        name
        for name, f in model.items()
        if name not in declared
        and name not in supplied
        and name not in ("position", "positions")
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    )
    if missing:
        raise TypeError(f"schema of {cls.__name__} does not declare {missing}")


class Obj(Kind):
    """A mapping of declared fields, typed into the dataclass `cls`."""

    def __init__(
        self,
        cls: type,
        fields: Sequence[Field],
        *,
        title: str,
        checks: Sequence[Check] = (),
        synonyms: dict[str, str] | None = None,
        supplied: Sequence[str] = (),
    ):
        self.cls, self.fields, self.title, self.checks = cls, list(fields), title, list(checks)
        _agrees_with(cls, self.fields, supplied)
        self.by_key = {f.key: f for f in self.fields}
        # what staff may write for a key: its Chinese title, or a word of their own
        self.by_title = {f.title: f.key for f in self.fields} | (synonyms or {})
        self.label = f"{title}（“字段: 值”的映射）"

    def read(self, node: yt.Node, ctx: Context, **extra) -> Any:
        if isinstance(node, yt.Broken):
            return INVALID
        if not isinstance(node, yt.Mapping):
            ctx.error(node.position, "E109", f"应为{self.label}，实际为{describe(node)}")
            return INVALID
        values: dict[str, Any] = {}
        positions: dict[str, Position] = {}
        ok = True
        for key, (key_node, value_node) in node.entries.items():
            declared = self.by_key.get(key)
            if declared is None:
                ctx.error(key_node.position, "E101", self.unknown_key_message(key))
                ok = False
                continue
            positions[declared.attr] = value_node.position
            with ctx.enter(f".{key}"):
                if declared.kind.is_empty(value_node):
                    if declared.required:
                        ctx.error(value_node.position, "E112", f"“{declared.title}”不能为空")
                        ok = False
                    continue
                value = declared.kind.read(value_node, ctx)
            if value is INVALID:
                ok = False
            else:
                values[declared.attr] = value
        for declared in self.fields:
            if declared.required and declared.key not in node.entries:
                ctx.error(
                    node.position,
                    "E100",
                    f"缺少必填字段 {quoted(declared.key)}（{declared.title}）",
                )
                ok = False
            values.setdefault(declared.attr, _fresh(declared.default))
        if not ok:
            return INVALID
        record = self.cls(position=node.position, positions=positions, **extra, **values)
        before = len(ctx.problems)
        for check in self.checks:
            check(record, ctx)
        return record if len(ctx.problems) == before else INVALID

    def unknown_key_message(self, key: str) -> str:
        guess = self.by_title.get(key.strip())
        if guess is None:
            close = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.6)
            guess = close[0] if close else None
        if guess:
            return f"未知字段 {quoted(key)}；是否想写 {quoted(guess)}？"
        return f"未知字段 {quoted(key)}；这里可以写的字段有：{'、'.join(self.by_key)}"

    def json(self) -> dict:
        properties = {}
        for f in self.fields:
            prop = dict(f.kind.json())
            prop["title"] = f.title
            description = f.help or f.title
            prop["description"] = description
            properties[f.key] = prop
        schema = {
            "type": "object",
            "title": self.title,
            "additionalProperties": False,
            "properties": properties,
        }
        required = [f.key for f in self.fields if f.required]
        if required:
            schema["required"] = required
        return schema


def _fresh(default: Any) -> Any:
    # Lists must not be shared between records.
    return list(default) if isinstance(default, list) else default


def json_schema(obj: Obj, schema_id: str) -> dict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": schema_id,
        **obj.json(),
    }
