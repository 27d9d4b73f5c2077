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
    return csv_from_lines(csv_line(header), (csv_line(row) for row in rows))


def csv_from_lines(header: str, lines: Iterable[str]) -> bytes:
    """A CSV file of lines each `csv_line` made."""
    return (BOM + header + "".join(lines)).encode("utf-8")


_BUFFER = io.StringIO(newline="")
_WRITER = csv.writer(_BUFFER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def csv_line(cells: list[str]) -> str:
    """One row as a line of the file, its line end included."""
    _BUFFER.seek(0)
    _BUFFER.truncate()
    _WRITER.writerow([safe_cell(cell) for cell in cells])
    return _BUFFER.getvalue()
