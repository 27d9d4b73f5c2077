"""长辈版 (elder mode): every page written a second time under `elder/`.

The elder pages are the same templates with `elder_mode` set and a stylesheet
of their own on top. They are real pages rather than a switch in a script, so
the mode works without JavaScript and stays on from link to link: inside
`elder/`, `SITEURL` is the root of the elder pages, so every page link a
template writes as `{{ SITEURL }}/…` leads to another elder page. Files that
are not pages (stylesheets, scripts, calendars, feeds, data, PDFs) exist once,
at the site's root, which templates reach as `ROOT_URL`.

Every writer call of Pelican's and ours passes through here, so a page added
later gets its elder twin without being told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pelican.utils import get_relative_path, path_to_url
from pelican.writers import Writer

from . import page_keys
from .core.phases import phase
from .core.workers import map_forked
from .page_keys import PageKeys
from .settings import theme_static_folder

ELDER_FOLDER = "elder"
_WORTH_FORKING = 30


def page_path(name: str) -> str:
    """The address of a written page from the site's root: a folder's index.html is the folder."""
    if name == "index.html":
        return ""
    return name.removesuffix("index.html") if name.endswith("/index.html") else name


def is_elder_page(name: str) -> bool:
    """Whether a file of the output (its path from the output's root) is an elder page."""
    return name.replace("\\", "/").startswith(ELDER_FOLDER + "/")


class ModesWriter(Writer):
    """Pelican's writer, writing each HTML page in both modes.

    A caller passes `elder_version=False` for a page with no elder twin (the
    404 page, served at whatever address was asked for).

    Inside `shared(workers)`, pages are held and made on leaving it by forked
    workers; each page is rendered from the same context either way.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: list | None = None
        self._opened: list[str] | None = None

    @contextmanager
    def shared(self, workers: int) -> Iterator[None]:
        self._held = []
        try:
            yield
            held = self._held
        finally:
            self._held = None
        keys = PageKeys(Path(self.output_path))
        with phase("render"):
            keyed = keys.keys(held, workers)
            taken = keys.take(keyed, self._written_later(held))
            for opened in taken.values():
                self._written_files.update(opened)
            to_make = [
                (call, key)
                for index, (call, key) in enumerate(zip(held, keyed, strict=True))
                if index not in taken
            ]
            # forking a city's build costs what rendering thirty pages does
            made = map_forked(
                self._write_held, [call for call, _ in to_make], workers, least=_WORTH_FORKING
            )
        for (_call, key), opened in zip(to_make, made, strict=True):
            # as if written here: Pelican refuses a later page at the same path
            self._written_files.update(opened)
            if key is not None:
                keys.rendered(key, opened)
        keys.confirm()

    def _written_later(self, held: list) -> Callable[[str], bool]:
        """Whether Pelican's static files may be copied to a page's path
        after the pages are made (theme files under THEME_STATIC_DIR, the
        content's static files at their own addresses): such a page is made,
        never taken, as the copy would land where a taken page is (E792)."""
        folder = theme_static_folder(self.settings)
        if folder in (None, "."):  # the whole site (or past it: refused as S018)
            return lambda name: True
        static = {
            str(getattr(item, "save_as", "")) for item in held[0][0][2].get("staticfiles", [])
        } if held else set()  # fmt: skip
        return lambda name: name in static or name == folder or name.startswith(folder + "/")

    def _write_held(self, call: tuple[tuple, dict]) -> list[str]:
        self._opened = []
        try:
            self.write_file(*call[0], **call[1])
            return self._opened
        finally:
            self._opened = None

    def _open_w(self, filename, encoding, override=False):
        if self._opened is not None:
            self._opened.append(filename)
        # a page taken from the live site, written over (override_output), is
        # this build's own from now on
        page_keys.released(Path(self.output_path), filename)
        return super()._open_w(filename, encoding, override)

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        elder_version=True,
        **kwargs,
    ):
        if self._held is not None:
            self._held.append(
                (
                    (name, template, context, relative_urls, paginated, template_name),
                    dict(override_output=override_output, url=url, elder_version=elder_version,
                         **kwargs),
                )
            )  # fmt: skip
            return None
        if not name or not str(name).endswith(".html"):
            return super().write_file(
                name, template, context, relative_urls, paginated, template_name,
                override_output, url, **kwargs,
            )  # fmt: skip
        path = page_path(name)
        site_url = str(context.get("SITEURL") or "").rstrip("/")
        root = path_to_url(get_relative_path(name)) if relative_urls else site_url
        twin = f"{root}/{ELDER_FOLDER}/{path}" if elder_version else None
        super().write_file(
            name, template, context, relative_urls, paginated, template_name,
            override_output, url,
            ROOT_URL=root, elder_mode=False, twin_url=twin,
            switch_url=twin or f"{root}/{ELDER_FOLDER}/", **kwargs,
        )  # fmt: skip
        if not elder_version:
            return
        elder_name = f"{ELDER_FOLDER}/{name}"
        if relative_urls:
            # Where the standard page sees the root, its twin sees elder/.
            elder_root = path_to_url(get_relative_path(name))
            root = path_to_url(get_relative_path(elder_name))
        else:
            elder_root = f"{site_url}/{ELDER_FOLDER}"
        super().write_file(
            elder_name, template, context, relative_urls, paginated, template_name,
            override_output, url,
            SITEURL=elder_root, localsiteurl=elder_root, ROOT_URL=root,
            elder_mode=True, twin_url=f"{root}/{path}", switch_url=f"{root}/{path}", **kwargs,
        )  # fmt: skip


def get_writer(pelican_object):
    return ModesWriter
