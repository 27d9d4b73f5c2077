"""The content type each kind of file in the site is served with.

Declared once: the deploy sets these on every object it uploads, the nginx
configuration is generated from them, and the gate refuses a file whose kind
is not listed, so no host has to guess.
"""

from __future__ import annotations

from pathlib import PurePath

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".ics": "text/calendar; charset=utf-8",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
}

# Pages are uploaded after everything they may refer to.
PAGE_SUFFIXES = frozenset({".html"})


def content_type(path: str | PurePath) -> str | None:
    return CONTENT_TYPES.get(PurePath(path).suffix.lower())


def nginx_types() -> str:
    """A `types { … }` block for nginx, replacing its defaults for this site."""
    by_type: dict[str, list[str]] = {}
    for suffix, kind in CONTENT_TYPES.items():
        # nginx adds the charset itself (charset utf-8 + charset_types).
        by_type.setdefault(kind.split(";")[0], []).append(suffix[1:])
    lines = [f"    {kind} {' '.join(exts)};" for kind, exts in by_type.items()]
    return "types {\n" + "\n".join(lines) + "\n}\n"


def nginx_charset_types() -> str:
    """The MIME types nginx must label `charset=utf-8`, as CONTENT_TYPES says.

    text/html is always labelled; naming it again makes nginx warn.
    """
    kinds = {k.split(";")[0] for k in CONTENT_TYPES.values() if "charset=" in k}
    return " ".join(sorted(kinds - {"text/html"}))
