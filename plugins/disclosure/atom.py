"""Atom feeds whose summaries are text, never markup.

feedgenerator writes every summary as `type="html"`: record text escaped once
and declared HTML becomes live markup in a feed reader (`<img onerror=…>`).
Summaries here are plain text, so a reader shows exactly what staff typed.
"""

from __future__ import annotations

from feedgenerator import Atom1Feed


class TextAtom1Feed(Atom1Feed):
    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})
