"""Markdown from records, rendered and then sanitised with nh3.

Records are edited by many hands; whatever HTML their Markdown produces is
reduced to a small set of tags, attributes and URL schemes before it can
reach a page. Templates receive the result as Markup and nothing else.
"""

from __future__ import annotations

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
    return sanitize_html(_CONVERTER.reset().convert(text))
