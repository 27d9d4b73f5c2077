"""CSV that Excel and WPS open correctly and that cannot run a formula.

UTF-8 with a byte order mark (without it Excel reads Chinese as GBK), CRLF
line ends and RFC 4180 quoting. A cell that a spreadsheet would take for a
formula (OWASP, "CSV Injection": = + - @, tab, carriage return) is prefixed
with a single quote, so `=HYPERLINK(…)` and even a published `+86 138…` show
as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

BOM = "\ufeff"
# What a spreadsheet reads as the start of a formula (OWASP); a line feed too,
# which some tools trim before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
