"""The JSON Schemas that editors use agree with the records and with the code."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT
from disclosure import json_schemas
from disclosure.core.yaml_text import Mapping, Node, Scalar, Sequence, load

EXAMPLES = sorted((ROOT / "content/data").rglob("*.yaml"))
_INT = re.compile(r"^[-+]?[0-9]+$")


def as_text(node: Node):
    """The record as our loader reads it: every value a string."""
    if isinstance(node, Mapping):
        return {key: as_text(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, Sequence):
        return [as_text(item) for item in node.items]
    return node.text


def as_yaml12(node: Node):
    """The record as a YAML 1.2 editor types it: unquoted 110 is a number, true a boolean."""
    if isinstance(node, Mapping):
        return {key: as_yaml12(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, Sequence):
        return [as_yaml12(item) for item in node.items]
    assert isinstance(node, Scalar)
    if node.quoted:
        return node.text
    if _INT.match(node.text):
        return int(node.text)
    if node.text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return node.text.lower() == "true"
    return node.text


def schema_for(path: Path) -> dict:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{path.name} does not name its schema on the first line"
    schema_path = (path.parent / match.group(1)).resolve()
    assert schema_path.is_file(), schema_path
    return __import__("json").loads(schema_path.read_text(encoding="utf-8"))


def test_committed_schemas_match_the_declarations():
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.json")}
    assert committed == json_schemas.documents(), "run `invoke schemas` and commit the result"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("reading", [as_text, as_yaml12], ids=["text", "yaml12"])
def test_every_example_file_is_valid_for_its_editor_schema(path, reading):
    schema = schema_for(path)
    jsonschema.Draft7Validator.check_schema(schema)
    document = reading(load(path.name, path.read_bytes()).root)
    jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)


def test_the_editor_schema_flags_a_misspelt_key():
    path = ROOT / "content/data/committees/rihui-liucun.yaml"
    text = path.read_text(encoding="utf-8").replace("service_hours:", "serivce_hours:")
    document = as_yaml12(load(path.name, text.encode()).root)
    errors = list(jsonschema.Draft7Validator(schema_for(path)).iter_errors(document))
    messages = sorted(error.message for error in errors)
    assert messages == ["Additional properties are not allowed ('serivce_hours' was unexpected)"]


def test_the_editor_schema_flags_a_bad_time():
    path = ROOT / "content/data/committees/rihui-liucun.yaml"
    text = path.read_text(encoding="utf-8").replace("hours: 18:00-20:00", "hours: 18:00 20:00")
    document = as_yaml12(load(path.name, text.encode()).root)
    errors = list(jsonschema.Draft7Validator(schema_for(path)).iter_errors(document))
    assert [list(error.absolute_path) for error in errors] == [
        ["service_hours", "weekly", 1, "hours"]
    ]
