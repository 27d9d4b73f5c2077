"""Check staff's content pages (content/pages/*.md) before Pelican reads them.

Pelican's own readers would take any format (reStructuredText can include
any file on the machine), let a page's metadata choose where it is written
(`Save_as: index.html` replaces the home page), and drop a page it cannot
read with one English log line. So only Markdown is a page format here,
its metadata block is read with python-markdown's own rules (the reader
Pelican uses), and every problem is a positioned, coded line among the
records' problems: validate, build, publish and plain `pelican` all run
this module through `pipeline` and report it alike.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from pelican.contents import Page

from .core.files import Loaded, display_path
from .core.problems import Position, Problem, quoted
from .core.schema import number_in_text
from .core.slugs import SLUG
from .core.yaml_text import control_problems, decode
from .json_schemas import SCHEMA_DIR
from .settings import DEFAULTS, HOME_SAVE_AS, SITE_FILES, page_location
from .values.markup import as_read
from .values.phones import find_numbers, may_hold_a_number

# The only page format: what staff need, and Markdown (as configured in
# pelicanconf.py: extra, toc and Pelican's meta) cannot include a file.
PAGE_SUFFIXES = (".md", ".markdown")
READER_EXTENSIONS = tuple(suffix.removeprefix(".") for suffix in PAGE_SUFFIXES)

# The metadata a page may carry, lower-cased as Pelican and python-markdown do.
ALLOWED = ("title", "slug", "date", "modified", "status", "summary", "template")
SHOWN = {"title": "Title", "slug": "Slug", "date": "Date", "modified": "Modified"}
SHOWN |= {"status": "Status", "summary": "Summary", "template": "Template"}
# Metadata that would choose where a page is written, past our URL checks.
LOCATING = ("save_as", "url")
STATUSES = ("published", "hidden", "draft")
MULTI_LINE = ("summary",)  # Pelican's FORMATTED_FIELDS: continuation lines are joined

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_-]+")
# `Title：关于本站`: a key followed by a Chinese (full-width) colon.
_WIDE_COLON = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+)\s*：")
_HOW = "第一行写 Title: 页面标题，第二行写 Slug: 网址名（英文冒号），然后空一行再写正文"


@dataclass
class ContentPage:
    """A page that passed every check: where Pelican will write it."""

    shown: str
    url: str
    save_as: str
    position: Position  # the line that decides the URL (Slug, else Title)


@dataclass
class PagesChecked(Loaded):
    pages: list[ContentPage] = field(default_factory=list)


@dataclass
class _Entry:
    key: str  # as typed
    name: str  # lower-cased, as Pelican sees it
    values: list[str]
    position: Position
    value_position: Position


def check_pages(content: Path, settings: dict, base: Path | None = None) -> PagesChecked:
    """Every file under the page folders (PAGE_PATHS): its problems, and where
    each valid page goes, checked against each other and against the site's own pages."""
    base = base or Path.cwd()
    checked = PagesChecked()
    templates = template_names(settings)
    for path in page_files(content, settings):
        shown = display_path(path, base)
        page, problems = _check_file(path, shown, settings, templates)
        checked.problems += problems
        checked.files_read += 1
        if page is not None:
            checked.pages.append(page)
    checked.problems += _collisions(checked.pages, settings)
    return checked


def page_files(content: Path, settings: dict) -> Iterator[Path]:
    """Every file Pelican's PagesGenerator would consider, whatever its format
    (its get_files, without the filter by reader that hides an .rst page)."""
    ignored = settings.get("IGNORE_FILES", [])
    excluded = {(content / e).resolve() for e in settings.get("PAGE_EXCLUDES", [])}

    def skipped(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignored)

    found: set[Path] = set()
    for folder in settings.get("PAGE_PATHS", []):
        root = content / folder if folder else content
        if root.is_file() and not skipped(root.name):
            found.add(root)
            continue
        visited: set[Path] = set()
        for dirpath, dirs, files in os.walk(root, topdown=True, followlinks=True):
            visited.add(Path(dirpath).resolve())
            kept = []
            for d in sorted(dirs):
                where = (Path(dirpath) / d).resolve()
                if skipped(d) or where in excluded:
                    continue
                if where in visited or where in Path(dirpath).resolve().parents:
                    found.add(Path(dirpath) / d)  # a link back up: reported, not walked
                    continue
                kept.append(d)
            dirs[:] = kept
            found.update(Path(dirpath) / name for name in files if not skipped(name))
    yield from sorted(found)


def template_names(settings: dict) -> set[str]:
    """The templates a page's `Template:` may name: the page templates Pelican's
    loader finds (page, page_*); a record's template would fail to render."""
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    if settings.get("THEME"):
        folders.append(Path(settings["THEME"]) / "templates")
    names = set()
    for folder in folders:
        for extension in settings.get("TEMPLATE_EXTENSIONS", [".html"]):
            names.update(
                p.name.removesuffix(extension) for p in Path(folder).glob(f"page*{extension}")
            )
    return {name for name in names if name == "page" or name.startswith("page_")}


def _check_file(
    path: Path, shown: str, settings: dict, templates: set[str]
) -> tuple[ContentPage | None, list[Problem]]:
    at = Position(shown)
    if path.is_dir():
        return None, [
            Problem(at, "E617", "这个文件夹链接指回了它的上层文件夹（循环）：请删除这个链接")
        ]
    if path.is_symlink() and not path.exists():
        return None, [Problem(at, "E204", "这是一个失效的链接（快捷方式），指向的文件不存在")]
    if path.suffix.lower() not in PAGE_SUFFIXES:
        return None, [
            Problem(
                at,
                "E601",
                f"页面只能用 Markdown 编写，文件名应以 .md 结尾，实际为 {quoted(path.name)}："
                f"请把内容改写为 Markdown，另存为 {path.stem}.md（Windows 可能隐藏了扩展名）",
            )
        ]
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(at, "E000", f"无法读取文件：{error.strerror}")]
    problems: list[Problem] = []
    text = decode(shown, data, problems)
    if text is None:
        return None, problems
    problems += control_problems(shown, text)
    problems += _numbers(shown, text)
    if not text.strip():
        return None, [
            *problems,
            Problem(
                at,
                "E602",
                "页面是空的：请写上标题和正文（第一行写 Title: 页面标题），或删除这个文件",
            ),
        ]
    # python-markdown's NormalizeWhitespace, which runs before the meta extension
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if BEGIN_RE.match(lines[0]):
        return None, [
            *problems,
            Problem(
                at,
                "E603",
                "页面开头的信息不用 YAML 的“---”格式：请删除“---”那几行，" + _HOW,
            ),
        ]
    entries, after = _metadata(shown, lines)
    problems += _metadata_problems(shown, lines, entries, after, templates)
    # Where it would go, whenever what decides that is sound, so that a clash
    # with another page is reported in the same round as the other problems.
    deciding = {"title", "slug", "status"}
    if any(p.position.line in _lines_of(entries, deciding) for p in problems) or not any(
        e.name == "title" for e in entries
    ):
        return None, problems
    page, located = _located(shown, entries, settings)
    return page, problems + located


def _numbers(shown: str, text: str) -> list[Problem]:
    """A page is free text: no phone or ID number in it, as in a record's notes,
    whether typed plainly, across a line break, or hidden in markup."""
    problems, seen = [], set()
    if not may_hold_a_number(text):
        return problems
    for number in find_numbers(text):
        seen.add(number.digits)
        line = text.count("\n", 0, number.start) + 1
        column = number.start - (text.rfind("\n", 0, number.start) + 1) + 1
        problems.append(Problem(Position(shown, line, column), *number_in_text(number)))
    for view in (as_read(text), as_read(text, markdown=True)):
        for number in find_numbers(view):
            if number.digits not in seen:
                seen.add(number.digits)
                problems.append(Problem(Position(shown), *number_in_text(number)))
    return problems


def _metadata(shown: str, lines: list[str]) -> tuple[list[_Entry], int]:
    """The metadata block as python-markdown's meta extension reads it (its own
    expressions), with positions; and the number of the line after it."""
    entries: list[_Entry] = []
    number = 0
    for number, original in enumerate(lines, start=1):
        line = original.expandtabs(4)
        if line.strip() == "" or END_RE.match(line):
            return entries, number
        key_line = META_RE.match(line)
        if key_line:
            key, value = key_line.group("key"), key_line.group("value").strip()
            column = original.find(key) + 1
            value_column = original.find(value, column + len(key)) + 1 if value else 0
            entries.append(
                _Entry(
                    key,
                    key.lower().strip(),
                    [value],
                    Position(shown, number, column),
                    Position(shown, number, value_column or column + len(key) + 1),
                )
            )
            continue
        more = META_MORE_RE.match(line)
        if more and entries:
            entries[-1].values.append(more.group("value").strip())
            continue
        return entries, number
    return entries, number + 1


def _metadata_problems(
    shown: str, lines: list[str], entries: list[_Entry], after: int, templates: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    # A `Key：value` line ends Pelican's metadata and shows up in the page text.
    if after <= len(lines):
        wide = _WIDE_COLON.match(lines[after - 1])
        if wide:
            problems.append(
                Problem(
                    Position(shown, after, wide.end()),
                    "E615",
                    f"{wide.group(1)} 后面用了中文冒号“：”：页面开头的信息要用英文冒号，"
                    f"写成 {wide.group(1)}: …",
                )
            )
    seen: dict[str, _Entry] = {}
    for entry in entries:
        shown_key = SHOWN.get(entry.name, entry.key)
        if entry.name in seen:
            first = seen[entry.name].position
            problems.append(
                Problem(
                    entry.position,
                    "E607",
                    f"{shown_key} 写了两次（第一次在第 {first.line} 行）：请只保留一行",
                )
            )
            continue
        seen[entry.name] = entry
        if entry.name in LOCATING:
            problems.append(
                Problem(
                    entry.position,
                    "E606",
                    f"页面不能写 {entry.key}：网址由 Slug 决定，{entry.key} 会让这个页面"
                    "覆盖网站的其他页面（例如首页）；请删除这一行，需要时改写 Slug",
                )
            )
            continue
        if entry.name not in ALLOWED:
            close = difflib.get_close_matches(entry.name, ALLOWED, n=1, cutoff=0.75)
            hint = f"是否想写 {SHOWN[close[0]]}？" if close else ""
            allowed = "、".join(SHOWN[name] for name in ALLOWED)
            problems.append(
                Problem(
                    entry.position,
                    "E605",
                    f"不认识的页面信息 {quoted(entry.key)}：{hint}页面开头只能写 {allowed}"
                    "（如果这是正文，请在它前面空一行）",
                )
            )
            continue
        if len(entry.values) > 1 and entry.name not in MULTI_LINE:
            problems.append(
                Problem(
                    entry.position,
                    "E607",
                    f"{shown_key} 只能写一行：下一行缩进的文字也被当成了 {shown_key}；"
                    "请把它们写在同一行，或在正文前空一行",
                )
            )
            continue
        problems += _value_problems(entry, shown_key, templates)
    if "title" not in seen:
        wide = _WIDE_COLON.match(lines[0])
        if not wide:  # E615 says it already
            problems.append(Problem(Position(shown), "E604", f"页面没有标题：{_HOW}"))
    return problems


def _value_problems(entry: _Entry, shown_key: str, templates: set[str]) -> list[Problem]:
    value = " ".join(v for v in entry.values if v).strip()
    at = entry.value_position
    if not value:
        if entry.name == "title":
            return [Problem(entry.position, "E604", "Title 后面没有写标题：请写上页面标题")]
        return [
            Problem(
                entry.position,
                "E614",
                f"{shown_key} 后面没有写内容：请填写，或删除这一行",
            )
        ]
    if entry.name == "slug" and not SLUG.match(value):
        return [
            Problem(
                at,
                "E611",
                "Slug 会成为网址，只能用小写字母、数字和连字符（例如 about），"
                f"实际为 {quoted(value)}",
            )
        ]
    if entry.name in ("date", "modified") and not _is_date(value):
        return [
            Problem(
                at,
                "E610",
                f"{shown_key} 应写成 YYYY-MM-DD（例如 2026-11-26），也可以加上时间"
                f"（2026-11-26 09:30），实际为 {quoted(value)}",
            )
        ]
    if entry.name == "status" and value not in STATUSES:
        return [
            Problem(
                at,
                "E609",
                "Status 只能是 published（公开，不写即为公开）、hidden（公开，但不列出）"
                f"或 draft（草稿），实际为 {quoted(value)}",
            )
        ]
    if entry.name == "template" and (not _TEMPLATE_NAME.fullmatch(value) or value not in templates):
        return [
            Problem(
                at,
                "E608",
                f"主题里没有名为 {quoted(value)} 的页面模板：请删除 Template 这一行"
                "（页面会用默认的 page 模板）",
            )
        ]
    return []


def _lines_of(entries: list[_Entry], names: set[str]) -> set[int]:
    return {e.position.line for e in entries if e.name in names}


def _is_date(value: str) -> bool:
    matched = _DATE.fullmatch(value)
    if not matched:
        return False
    day, hour, minute = matched.groups()
    try:
        date.fromisoformat(day)
        if hour is not None:
            datetime.strptime(f"{hour}:{minute}", "%H:%M")
    except ValueError:
        return False
    return True


def _located(shown: str, entries: list[_Entry], settings: dict):
    """Where Pelican will write this page: its own Page class decides, from
    the metadata that decides it, so the two cannot disagree."""
    metadata: dict[str, str] = {}
    for entry in entries:  # Pelican keeps the first of two, as we report the second
        if entry.name in ("title", "slug", "status"):
            metadata.setdefault(entry.name, entry.values[0])
    page = Page("", metadata=metadata, settings=settings, source_path=shown, context={})
    by: dict[str, _Entry] = {}
    for entry in entries:
        by.setdefault(entry.name, entry)
    position = (by.get("slug") or by["title"]).value_position
    if "slug" not in metadata and not SLUG.match(page.slug or ""):
        return None, [
            Problem(
                position,
                "E611",
                f"没有写 Slug，按标题生成的网址 {quoted(page.slug or '')} 不能用作网址："
                "请在 Title 下面加一行 Slug: 网址名（小写字母、数字和连字符，例如 about）",
            )
        ]
    return ContentPage(shown, page.url, page.save_as, position), []


# ---- where the site's own pages go ---------------------------------------------


@dataclass(frozen=True)
class Reserved:
    """Files our generators write, as a pattern: `what` says whose they are."""

    what: str
    exact: re.Pattern  # a page's URL or file matching this is theirs
    tree: str = ""  # and anything under this folder

    def holds(self, location: str) -> bool:
        if self.exact.fullmatch(location):
            return True
        if not self.tree:
            return False
        # a file inside their folder, or a file standing where their folder is
        return location.startswith(self.tree) or (
            not location.endswith("/") and self.tree.startswith(location + "/")
        )


_FIELD = "\0"


def reserved(settings: dict) -> list[Reserved]:
    """What the generators write, derived from the settings that place it
    (every *_URL in settings.DEFAULTS, through page_location), never a list."""
    found = [
        Reserved("首页", re.compile(rf"(?:{re.escape(HOME_SAVE_AS)})?")),
        Reserved(f"数据格式文件夹 {SCHEMA_DIR}/", re.compile("(?!)"), f"{SCHEMA_DIR}/"),
        *(Reserved(what, re.compile(re.escape(name))) for name, what in SITE_FILES.items()),
    ]
    static = settings.get("THEME_STATIC_DIR")
    if static:
        found.append(Reserved(f"样式和脚本文件夹 {static}/", re.compile("(?!)"), f"{static}/"))
    for name in (n for n in DEFAULTS if n.endswith("_URL")):
        kind = name.removesuffix("_URL")
        pattern = str(settings.get(name) or DEFAULTS[name])
        fields = {f: _FIELD for _, f, _, _ in string.Formatter().parse(pattern) if f}
        url, save_as = page_location(settings, kind, **fields)
        exact = "|".join(
            _as_regex(p) for p in {url, save_as, url.rstrip("/") + ".ics"} if p.rstrip("/")
        )
        # Everything under the part of the URL no record changes: events/, plans/…
        fixed = url.split(_FIELD)[0]
        tree = fixed[: fixed.rfind("/") + 1]
        if not fields and url.endswith("/"):
            tree = url
        found.append(Reserved(f"{name} = {quoted(pattern)}", re.compile(exact), tree))
    return found


def _as_regex(location: str) -> str:
    return "".join(
        "[^/]+" if part == _FIELD else re.escape(part)
        for part in re.split(f"({_FIELD})", location)
        if part
    ) + ("(?:index\\.html)?" if location.endswith("/") else "")


def _collisions(pages: list[ContentPage], settings: dict) -> list[Problem]:
    problems: list[Problem] = []
    taken = reserved(settings)
    # A page with nowhere to be saved (a draft, where drafts are not published)
    # is never written, so it takes no place.
    pages = [page for page in pages if page.save_as]
    for page in pages:
        for location in dict.fromkeys((page.url, page.save_as)):
            # the page it is exactly, else the folder it falls in
            owner = next((r for r in taken if r.exact.fullmatch(location)), None) or next(
                (r for r in taken if r.holds(location)), None
            )
            if owner is not None:
                problems.append(
                    Problem(
                        page.position,
                        "E613",
                        f"这个页面的网址 {quoted(page.url or '/')} 是网站自己生成的页面"
                        f"（{owner.what}）所用的，页面会覆盖它：请换一个 Slug",
                    )
                )
                break
    by_place: dict[str, list[ContentPage]] = {}
    for page in pages:
        for location in {page.url, page.save_as}:
            by_place.setdefault(location, []).append(page)
    for page in pages:
        others = sorted(
            {
                other.shown
                for location in {page.url, page.save_as}
                for other in by_place[location]
                if other is not page
            }
        )
        if others:
            problems.append(
                Problem(
                    page.position,
                    "E612",
                    f"这个页面的网址 {quoted(page.url)} 与 {'、'.join(others)} 相同："
                    "请给其中一个换一个 Slug",
                )
            )
    return problems


# ---- Pelican's side ------------------------------------------------------------


def keep_markdown_readers(readers) -> None:
    """`readers_init`: Pelican reads no other format at all, whatever the
    settings say (an .rst page could include any file on the machine)."""
    for extension in list(readers.reader_classes):
        if extension not in READER_EXTENSIONS:
            del readers.reader_classes[extension]


def unread_pages(context: dict, content: Path, base: Path | None = None) -> list[Problem]:
    """The last line: a page file Pelican found but could not turn into a page
    (context["generated_content"] holds None for it), should one get past
    check_pages. Without this, Pelican logs one English line and goes on."""
    base = base or Path.cwd()
    return [
        Problem(
            Position(display_path(content / source, base)),
            "E616",
            "Pelican 无法读取这个页面（原因见上面的英文日志）：请检查页面开头的 Title、Slug 等信息",
        )
        for source, item in sorted(context.get("generated_content", {}).items())
        if item is None
    ]
