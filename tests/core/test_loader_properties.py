"""Properties of the loader over generated input (issue 14).

Whatever bytes, text or YAML shape a record file holds, built from the real field
names of every record kind with odd values (controls, full-width punctuation,
huge digit strings, edge dates): the loader never raises, every problem it
reports has a place and a code, and validate and build agree on every input.

Examples are few and derandomized so the file runs in seconds, the same in CI.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, validate
from disclosure.cli import commands
from disclosure.committees.model import COMMITTEE, SUBDISTRICT
from disclosure.completeness.catalogue import CATALOGUE
from disclosure.core import schema
from disclosure.core.files import read_record
from disclosure.core.problems import Problem, Severity
from disclosure.events.model import EVENT, SERIES_CATALOGUE
from disclosure.plans.model import PLAN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# LOADER_EXAMPLES=2000 runs a longer, random search locally (what found the bugs
# whose regression tests are in test_edge_values.py and test_fullwidth_input.py).
_MORE = int(os.environ.get("LOADER_EXAMPLES", "0"))
PROPERTIES = settings(
    max_examples=_MORE or 40,
    deadline=None,
    derandomize=not _MORE,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SITE_PROPERTIES = settings(PROPERTIES, max_examples=_MORE // 10 or 15)

DECLARATIONS = {
    "committee": (COMMITTEE, {"slug": "rihui-liucun"}),
    "subdistrict": (SUBDISTRICT, {}),
    "catalogue": (CATALOGUE, {}),
    "event": (EVENT, {"slug": "chongyang", "year": 2020}),
    "event-series": (SERIES_CATALOGUE, {}),
    "plan": (PLAN, {"slug": "2020-h2"}),
}


def _keys(kind: schema.Kind, seen: set[int] | None = None) -> set[str]:
    """Every field name a record kind declares, at any depth."""
    seen = seen if seen is not None else set()
    if id(kind) in seen:
        return set()
    seen.add(id(kind))
    if isinstance(kind, schema.Obj):
        found = {f.key for f in kind.fields}
        for f in kind.fields:
            found |= _keys(f.kind, seen)
        return found
    if isinstance(kind, schema.ListOf):
        return _keys(kind.item, seen)
    if isinstance(kind, schema.Either):
        return _keys(kind.scalar, seen) | _keys(kind.other, seen)
    return set()


KEYS = sorted(set().union(*(_keys(d) for d, _ in DECLARATIONS.values())))

# ---- values ----------------------------------------------------------------------

ODD = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-31 23:00",
    "9999-12-31 24:00",
    "0000-00-00",
    "2020-02-30",
    "2000-01-01",
    "2099-12-31",
    "2099-12-31 24:00",
    "2020-07-01",
    "2020-12-31",
    "2020-10-10 14:00",
    "２０２０－１０－１０",
    "2020年10月10日",
    "24:00",
    "8:30-11:30，13:30-17:00",
    "8:30-11:30 13:30-17:00",
    "０：００～２４：００",
    "[21号楼，22号楼，23号楼]",
    "21 号楼",
    "1-999999号楼",
    "【1号楼、2号楼】",
    "reason：消防演练",
    "- name：段振华",
    "周一至周五",
    "每周",
    "每月",
    "-1",
    "0",
    "86.5%",
    "1e400",
    "nan",
    "inf",
    "true",
    "是",
    "13812345678",
    "021-6418 1185",
    "https://example.org",
    "javascript:alert(1)",
    "cancelled",
    "postponed",
    "已完成",
    "未开始",
    "all",
    "rihui-liucun",
    "~",
    "",
    "&a x",
    "*a",
    "!!int 3",
    "|",
    "'",
    '"',
    "#",
    ":",
    "？",
]
WIDE = "：，、；（）－～　０１２３４５６７８９"
ALPHABET = st.sampled_from(
    list(WIDE) + list("日晖号楼周一至五:-, []{}#&*!|>'\"\t\n\r\x00\x07\x1b\x7f\u0085\u2028\ufeff")
) | st.characters(codec="utf-8")
DIGITS = st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n) | st.integers(
    min_value=-(10**30), max_value=10**30
).map(str)
SCALARS = st.one_of(
    st.sampled_from(ODD),
    DIGITS,
    st.text(ALPHABET, max_size=24),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)


def _render_scalar(text: str, quote: bool) -> str:
    return json.dumps(text, ensure_ascii=False) if quote else text


@st.composite
def yaml_shapes(draw, depth: int = 0):
    """A record-like YAML text: mappings of real field names, lists and odd scalars."""
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        return draw(SCALARS), draw(st.booleans())
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(KEYS) | st.text(ALPHABET, max_size=6), max_size=5))
        return {key: draw(yaml_shapes(depth + 1)) for key in keys}
    return [draw(yaml_shapes(depth + 1)) for _ in range(draw(st.integers(0, 3)))]


def render(shape, indent: int = 0, flow: bool = False) -> str:
    pad = " " * indent
    if isinstance(shape, tuple):
        return _render_scalar(*shape)
    if isinstance(shape, list):
        if flow or not shape:
            return "[" + ", ".join(render(item, flow=True) for item in shape) + "]"
        return "\n" + "\n".join(f"{pad}- {render(item, indent + 2)}" for item in shape)
    if flow or not shape:
        return "{" + ", ".join(f"{k}: {render(v, flow=True)}" for k, v in shape.items()) + "}"
    lines = []
    for key, value in shape.items():
        shown = render(value, indent + 2)
        lines.append(f"{pad}{key}:{'' if shown.startswith(chr(10)) else ' '}{shown}")
    return "\n" + "\n".join(lines)


DOCUMENTS = st.one_of(
    yaml_shapes().map(lambda shape: render(shape).lstrip("\n") + "\n"),
    st.text(ALPHABET, max_size=200),
)

# ---- what every problem must be --------------------------------------------------

_CODE = re.compile(r"^[EDWSGP][0-9]{3}$")


def well_formed(problems: list[Problem], shown: str) -> None:
    for problem in problems:
        assert problem.position.path == shown
        assert problem.position.line >= 1 and problem.position.column >= 1, problem
        assert _CODE.match(problem.code), problem
        assert problem.message.strip(), problem
        assert isinstance(problem.severity, Severity)
        str(problem)


def read(tmp_path: Path, kind: str, data: bytes):
    declaration, extra = DECLARATIONS[kind]
    path = tmp_path / "record.yaml"
    path.write_bytes(data)
    record, problems = read_record(path, "record.yaml", declaration, **extra)
    well_formed(problems, "record.yaml")
    assert (record is None) == bool(problems)
    return record, problems


@PROPERTIES
@given(data=st.binary(max_size=300), kind=st.sampled_from(sorted(DECLARATIONS)))
def test_any_bytes_give_a_record_or_positioned_problems(tmp_path, data, kind):
    read(tmp_path, kind, data)


@PROPERTIES
@given(text=DOCUMENTS, kind=st.sampled_from(sorted(DECLARATIONS)))
def test_any_yaml_shape_gives_a_record_or_positioned_problems(tmp_path, text, kind):
    read(tmp_path, kind, text.encode("utf-8"))


# ---- real records with one value changed ----------------------------------------

RECORDS = {
    "committee": "data/committees/rihui-liucun.yaml",
    "event": "data/events/2020/baduanjin.yaml",
    "event-2": "data/events/2020/chongyang-chahuahui.yaml",
    "plan": "data/plans/2020-h2.yaml",
    "catalogue": "data/catalogue.yaml",
    "subdistrict": "data/subdistrict.yaml",
}
_VALUE = re.compile(r"^(?P<head>\s*(?:- )?[a-z_]+:) (?P<value>\S.*)$")


def _value_lines(relative: str) -> list[int]:
    lines = (ROOT / "content" / relative).read_text(encoding="utf-8").split("\n")
    return [n for n, line in enumerate(lines) if _VALUE.match(line)]


VALUE_LINES = {name: _value_lines(relative) for name, relative in RECORDS.items()}


@st.composite
def edits(draw):
    """A real record with the value of one of its fields replaced by an odd one."""
    name = draw(st.sampled_from(sorted(RECORDS)))
    lines = (ROOT / "content" / RECORDS[name]).read_text(encoding="utf-8").split("\n")
    number = draw(st.sampled_from(VALUE_LINES[name]))
    head = _VALUE.match(lines[number])["head"]
    value = draw(SCALARS | yaml_shapes().map(lambda shape: render(shape, flow=True)))
    lines[number] = f"{head} {value}"
    return RECORDS[name], "\n".join(lines)


KIND_OF = {
    "committee": "committee",
    "event": "event",
    "event-2": "event",
    "plan": "plan",
    "catalogue": "catalogue",
    "subdistrict": "subdistrict",
}


@settings(PROPERTIES, max_examples=_MORE or 150)
@given(edit=edits())
def test_any_edit_of_a_real_record_gives_a_record_or_positioned_problems(tmp_path, edit):
    relative, text = edit
    name = next(name for name, path in RECORDS.items() if path == relative)
    read(tmp_path, KIND_OF[name], text.encode("utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("properties")
    shutil.copytree(ROOT / "content", folder / "content")
    return folder


def _validate(content: Path) -> tuple[int, list[str]]:
    status, said = validate(content)
    return status, [line for line in said.splitlines() if re.search(r": E\d{3} ", line)]


def _build(content: Path, output: Path) -> tuple[int, str]:
    said = io.StringIO()
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF}
    status = commands.build(ROOT / "pelicanconf.py", overrides=overrides, out=said)
    return status, said.getvalue()


@SITE_PROPERTIES
@given(edit=edits())
def test_validate_and_build_agree_on_every_input(site, edit):
    relative, text = edit
    content = site / "content"
    path = content / relative
    original = path.read_bytes()
    path.write_text(text, encoding="utf-8")
    try:
        _, record_errors = _validate(content)
        status, said = _build(content, site / "output")
    finally:
        path.write_bytes(original)
    assert "构建失败" not in said, said  # an exception, not a problem
    built_errors = [line for line in said.splitlines() if re.search(r": E\d{3} ", line)]
    assert (status != 0) == bool(record_errors), (record_errors, said)
    assert built_errors == record_errors
