"""Markdown from records, rendered and then sanitised with nh3.

Records are edited by many hands; whatever HTML their Markdown produces is
reduced to a small set of tags, attributes and URL schemes before it can
reach a page. Templates receive the result as Markup and nothing else.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import unquote

import markdown
import nh3
from markupsafe import Markup

# The only link schemes a record may use, in a URL field or in its Markdown.
ALLOWED_URL_SCHEMES = ("http", "https", "mailto", "tel")


_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}


def sanitize_html(html: str) -> Markup:
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


# Built once: making a converter loads its extensions. Builds run on one
# thread, and reset() clears what a converter keeps between documents.
_CONVERTER = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    return _rendered(text)


# Records repeat their texts (the same closure reason, the same note under
# each committee's hours); Markup is immutable, so one rendering serves all.
@functools.lru_cache(maxsize=8192)
def _rendered(text: str) -> Markup:
    return sanitize_html(_CONVERTER.reset().convert(text))


# What any page may render: records' extensions and pages' (footnotes, tables).
_READER = markdown.Markdown(extensions=["extra", "nl2br", "sane_lists"], output_format="html")
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(r'[\w-]+="([^"]*)"')


def as_read(text: str, *, markdown: bool = False) -> str:
    """Text as a reader meets it once markup has done its work: tags and
    comments gone, character references and %-escapes (in a tel: link)
    decoded; `139<b>1234</b>5678` and `1364&#50;116136` are plain numbers.
    With `markdown`, as the page shows it once rendered: `[1364](x)2116136`
    is one number too. Attribute values (a link's target, a list's start)
    are kept beside the text."""
    if markdown:
        rendered = str(sanitize_html(_READER.reset().convert(text)))
        text = rendered + " " + " ".join(_ATTRIBUTE.findall(rendered))
    return unquote(html.unescape(_TAG_OR_COMMENT.sub("", text)))
