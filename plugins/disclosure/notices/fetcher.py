"""What WeasyPrint may read while it renders a notice: data: URIs and the theme's files.

A notice is built offline and must come out the same every time, so nothing
is fetched from the network (no web fonts, no remote images: fonts come from
fontconfig); a reference to anything else is refused, and WeasyPrint leaves
it out.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher


class ThemeOnlyFetcher(URLFetcher):
    def __init__(self, theme: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.theme = theme.resolve()

    def allows(self, url: str) -> bool:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return True
        if scheme != "file":
            return False
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        return path.is_relative_to(self.theme) and path.is_file()

    def fetch(self, url, headers=None):
        if not self.allows(url):
            raise ValueError(f"a board notice reads only data: URIs and the theme's files: {url}")
        return super().fetch(url, headers)
