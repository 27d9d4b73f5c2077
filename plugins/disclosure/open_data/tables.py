"""Tables declared once: each column's name, meaning and type give the CSV
header, the JSON field, the JSON Schema property and the line on the 数据下载
page, so the four cannot disagree.

A table may have child tables (a committee's block leaders): in CSV each is
a file of its own whose first columns name the parent; in JSON its rows are
an array inside the parent's object, without those columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..core.json_text import pretty_json
from ..core.memo import ByIdentity
from .csv_text import csv_from_lines, csv_line

LIST_SEPARATOR = "；"
CSV_TRUE, CSV_FALSE = "是", "否"

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_DATETIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$",
}
_KINDS: dict[str, dict] = {
    "string": {"type": "string"},
    "text": {"type": "string"},
    "integer": {"type": "integer", "minimum": 0},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": _DATE,
    "datetime": _DATETIME,
    "moment": {"anyOf": [_DATE, _DATETIME]},
    "list": {"type": "array", "items": {"type": "string"}},
    "url": {"type": "string", "format": "uri-reference", "minLength": 1},
}
# How the 数据下载 page names each kind.
KIND_WORDS = {
    "string": "文字",
    "text": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是/否",
    "date": "日期",
    "datetime": "日期时间",
    "moment": "日期或日期时间",
    "list": "列表",
    "url": "网址",
}


@dataclass(frozen=True)
class Column:
    name: str
    title: str  # what it holds, in Chinese, for the page and the schema
    kind: str = "string"
    nullable: bool = False
    note: str = ""  # more for the schema's description and the page
    enum: tuple[str, ...] = ()
    nested: bool = True  # False: only in the child CSV (it repeats the parent)

    def schema(self) -> dict:
        kind = dict(_KINDS[self.kind])
        if self.enum:
            kind = {"type": "string", "enum": list(self.enum)}
        if self.nullable:
            kind = {"anyOf": [kind, {"type": "null"}]}
        described = {"title": self.title, **kind}
        if self.note:
            described["description"] = self.note
        return described

    def json_value(self, value: Any) -> Any:
        if isinstance(value, date | datetime):
            return value.isoformat()
        if self.kind == "list":
            return list(value or [])
        return value

    def csv_value(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return CSV_TRUE if value else CSV_FALSE
        if isinstance(value, date | datetime):
            return value.isoformat()
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, list | tuple):
            return LIST_SEPARATOR.join(str(item) for item in value)
        return str(value).replace("\r\n", "\n").replace("\r", "\n")

    @property
    def kind_word(self) -> str:
        return KIND_WORDS[self.kind]


@dataclass
class Table:
    """Rows of one kind. `link` maps a child's columns to its parent's key columns."""

    name: str  # the CSV file's stem
    title: str
    description: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    key: str = ""  # the array's name inside the parent's JSON object
    link: dict[str, str] = field(default_factory=dict)
    children: list[Table] = field(default_factory=list)
    # The rows by the record they come from, in order (`rows` is them one
    # after another), each the same tuple in the next build for a record it
    # did not change: a child's are one per row of its parent. Without them
    # a child's rows are found by the parent's key columns.
    groups: list[tuple[dict, ...]] | None = None

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"

    def csv(self) -> bytes:
        columns = self.columns

        def line(row: dict) -> str:
            return csv_line([c.csv_value(row[c.name]) for c in columns])

        def lines(group: tuple[dict, ...]) -> str:
            return "".join(
                _CSV_LINES.get((row, columns), None, lambda row=row: line(row)) for row in group
            )

        if self.groups is None:
            return csv_from_lines(csv_line([c.name for c in columns]), map(lines, [self.rows]))
        return csv_from_lines(
            csv_line([c.name for c in columns]),
            (
                _CSV_GROUPS.get((group, columns), None, lambda g=group: lines(g))
                for group in self.groups
            ),
        )

    def _json_rows_by_record(self) -> list[dict]:
        """json_rows, each row with the child rows of its record: a city's
        committees are 6,000 rows of 55,000, and the object of a record a
        save did not change is the one the last build made."""
        kept = [child.nested_columns() for child in self.children]

        def item(row: dict, groups: tuple[tuple[dict, ...], ...]) -> dict:
            made = dict(_json_item(row, self.columns))
            for child, columns, group in zip(self.children, kept, groups, strict=True):
                made[child.key] = [_json_item(one, columns, child.columns) for one in group]
            return made

        objects = []
        for number, row in enumerate(self.rows):
            groups = tuple(child.groups[number] for child in self.children)
            objects.append(
                _JSON_OBJECTS.get(
                    (row, self.columns, *(child.columns for child in self.children), *groups),
                    tuple(child.key for child in self.children),
                    lambda r=row, g=groups: item(r, g),
                )
            )
        return objects

    def nested_columns(self) -> list[Column]:
        return [c for c in self.columns if c.nested and c.name not in self.link]

    def json_rows(self) -> list[dict]:
        if self.children and all(
            child.groups is not None and len(child.groups) == len(self.rows)
            for child in self.children
        ):
            return self._json_rows_by_record()
        groups = [_grouped(child) for child in self.children]
        objects = []
        for row in self.rows:
            item = dict(_json_item(row, self.columns))
            for child, grouped in zip(self.children, groups, strict=True):
                key = tuple(row[parent] for parent in child.link.values())
                item[child.key] = grouped.get(key, [])
            objects.append(item)
        return objects

    def item_schema(self, columns: list[Column] | None = None) -> dict:
        columns = self.columns if columns is None else columns
        properties = {c.name: c.schema() for c in columns}
        for child in self.children:
            properties[child.key] = {
                "title": child.title,
                "description": child.description,
                "type": "array",
                "items": child.item_schema(child.nested_columns()),
            }
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(properties),
            "properties": properties,
        }

    def all_tables(self) -> list[Table]:
        return [self, *(t for child in self.children for t in child.all_tables())]


# A row's CSV line and JSON object, by the row and the columns it is written
# with: the tables' rows are kept by record (`serve` writes the data files
# after every save, and a city's are 600,000 cells).
_CSV_LINES: ByIdentity[str] = ByIdentity(within_build=False)
_JSON_ITEMS: ByIdentity[dict] = ByIdentity(within_build=False)
# ...and by record (Table.groups): the lines of a record's rows, and a row's
# object with its record's child rows (read only)
_CSV_GROUPS: ByIdentity[str] = ByIdentity(within_build=False)
_JSON_OBJECTS: ByIdentity[dict] = ByIdentity(within_build=False)


def _json_item(row: dict, columns: list[Column], declared: list[Column] | None = None) -> dict:
    """The row's JSON object (read only: copy it to add to it). `declared`:
    the table's list that `columns` were chosen from, which it is kept by."""
    return _JSON_ITEMS.get(
        (row, declared if declared is not None else columns),
        tuple(c.name for c in columns) if declared is not None else None,
        lambda: {c.name: c.json_value(row[c.name]) for c in columns},
    )


def _grouped(child: Table) -> dict[tuple, list[dict]]:
    kept = child.nested_columns()
    grouped: dict[tuple, list[dict]] = {}
    for row in child.rows:
        key = tuple(row[name] for name in child.link)
        grouped.setdefault(key, []).append(_json_item(row, kept, child.columns))
    for grandchild in child.children:
        raise NotImplementedError(f"{grandchild.name}: tables nest one level deep")
    return grouped


@dataclass(frozen=True)
class DocumentInfo:
    """What every data file says about itself at its top."""

    title: str
    publisher: str
    licence: str
    modified: date | None
    sample_data: bool
    page_url: str  # the 数据下载 page, as the file links to it


def document(table: Table, schema_name: str, info: DocumentInfo, key: str) -> dict:
    return {
        "$schema": schema_name,
        "title": info.title,
        "description": table.description,
        "publisher": info.publisher,
        "licence": info.licence,
        "modified": info.modified.isoformat() if info.modified else None,
        "sample_data": info.sample_data,
        "url": info.page_url,
        key: table.json_rows(),
    }


def document_schema(table: Table, schema_name: str, key: str) -> dict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": schema_name,
        "title": table.title,
        "description": table.description,
        "type": "object",
        "additionalProperties": False,
        "required": [
            "$schema",
            "title",
            "description",
            "publisher",
            "licence",
            "modified",
            "sample_data",
            "url",
            key,
        ],
        "properties": {
            "$schema": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "publisher": {"title": "发布者", "type": "string"},
            "licence": {"title": "使用许可", "type": "string"},
            "modified": {
                "title": "数据最后更新日期（取自记录本身的日期）",
                "anyOf": [_DATE, {"type": "null"}],
            },
            "sample_data": {"title": "是否为示例数据", "type": "boolean"},
            "url": {"title": "数据下载页面", "type": "string", "format": "uri-reference"},
            key: {"title": table.title, "type": "array", "items": table.item_schema()},
        },
    }


def json_bytes(value: dict) -> bytes:
    return pretty_json(value)
