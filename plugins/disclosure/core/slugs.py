"""Slugs: the lowercase ASCII names of record files, tasks and series, which become URLs.

Declared once: the loader, the schema engine, the JSON schemas for editors
and report.json all use this pattern.
"""

from __future__ import annotations

import re

# ECMAScript and Python read it alike, so JSON Schema can carry it as is.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG = re.compile(SLUG_PATTERN)
