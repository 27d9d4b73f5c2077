"""The record schemas as JSON Schema documents, for editors and the site."""

from __future__ import annotations

from pathlib import Path

from .committees import model as committees
from .completeness import catalogue
from .core.json_text import pretty_json
from .core.schema import Obj, json_schema
from .events import model as events
from .plans import model as plans

SCHEMA_DIR = "schemas"


def declarations() -> dict[str, Obj]:
    """Every record kind's declaration, by the name of its schema file."""
    return {**committees.SCHEMAS, **catalogue.SCHEMAS, **events.SCHEMAS, **plans.SCHEMAS}


def documents() -> dict[str, str]:
    """File name -> JSON text, stable so that the committed copies can be compared."""
    texts = {}
    for kind, declaration in declarations().items():
        name = f"{kind}.schema.json"
        texts[name] = pretty_json(json_schema(declaration, name)).decode("utf-8")
    return texts


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in documents().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
