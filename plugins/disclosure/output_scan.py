"""The last line of defence for personal data: read back every file the build
wrote and fail the build if any holds an unpublished number whole.

Validation should make this find nothing (numbers in free text are E701,
consent disagreements E704); it is here for whatever a template, a
Markdown page or a future output format lets slip. It reads every kind of
file the site may contain, or refuses the build for a kind it cannot read.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from urllib.parse import unquote

from .core.kept import Kept, kept_file, seen_as
from .core.memo import next_build_asks
from .core.phases import phase
from .core.problems import Position, Problem, RecordsInvalid
from .core.tree import FoundFile, files_of_build
from .core.workers import map_forked
from .personal_numbers import NumberUse
from .settings import kept_between_processes, workers
from .values.phones import DigitRun, digit_run, written_runs

# Files whose text is what people read: scanned as text.
_TEXT = frozenset(
    {".html", ".css", ".js", ".json", ".ics", ".atom", ".xml", ".txt", ".csv", ".svg"}
)
_MARKUP = frozenset({".html", ".atom", ".xml", ".svg"})
# Documents whose text is drawn on pages (the board notices): scanned as the
# text pdfium extracts from every page, and the document's information.
_PDF = ".pdf"
# Theme images and fonts: no record text is ever drawn into them.
_ASSETS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".ico", ".woff2"})
_STAGING = re.compile(r"^\.(.+)-building-\d+-.*$")
_TAG = re.compile(r"<[^>]*>")
_FOLD = re.compile(r"\r?\n[ \t]")  # RFC 5545 line folding, which can split a number

# Numbers to look for, per build: set by the generator, taken by the scan.
_expected: dict[int, dict[str, NumberUse]] = {}

# Files found clean, by their bytes, kind and the numbers looked for
# (scanning one costs about 0.8 ms, its digest a twentieth of that): by this
# process, or by the build before, which kept them on disk (kept_file).
_CLEAN: Kept[bool] = Kept(200_000)
_KEPT_AS = "clean-files"
# The clean digest of each file the last scan of this process found clean, by
# its signature, the kind and the numbers looked for: never kept on disk.
_SEEN_CLEAN: dict[tuple, bytes] = {}
# A long text is read in pieces, each cut just after a character that no
# number is written with (none is a digit, joins digits or folds to one:
# values.phones.written_runs), so that every run of digits lies whole in one
# piece and a text's runs are its pieces' runs. `serve` rewrites a city's
# 55 MB of open data, report and search index after every save, of which the
# save changed a few rows: a piece found clean is kept here by its digest and
# the numbers looked for, and not read again. A build for the public keeps none.
_CUT_AFTER = re.compile(r'["A-Za-z{}\[\]<>=:]')
_PIECE = 1 << 15
_CLEAN_PIECES: Kept[bool] = Kept(50_000)
# The clean files whose pieces this process keeps in _CLEAN_PIECES, by digest.
_PIECED: Kept[bool] = Kept(50_000)


def expect(settings: dict, numbers: dict[str, NumberUse]) -> None:
    _expected[id(settings)] = numbers


def check_written(pelican) -> None:
    """Pelican's `finalized` signal: everything is written; look at all of it."""
    numbers = _expected.pop(id(pelican.settings), None)
    if numbers is None:
        return
    output = Path(pelican.output_path)
    with phase("leak scan"):
        problems = scan(
            output,
            numbers,
            workers(pelican.settings),
            kept_file(kept_between_processes(pelican.settings), _KEPT_AS),
        )
    if problems:
        # Nothing that leaks may stay, even where plain `pelican` wrote in place.
        for path in {p.position.path.split("/", 1)[1] for p in problems}:
            (output / path).unlink(missing_ok=True)
        raise RecordsInvalid(problems)


def views(path: Path, text: str) -> list[str]:
    """The text of a file the ways a reader may see it."""
    suffix = path.suffix.lower()
    if suffix == ".ics":
        return [_FOLD.sub("", text)]
    if suffix in _MARKUP:
        # as shown, and as a link or attribute holds it (tel:136%342116136)
        shown = html.unescape(_TAG.sub("", text))
        return [shown, unquote(html.unescape(text))]
    return [text, unquote(text)] if "%" in text else [text]


def scan(
    output: Path, numbers: dict[str, NumberUse], workers: int = 1, kept: Path | None = None
) -> list[Problem]:
    """Every unpublished number held whole in a file under `output`; the
    files found clean are kept in `kept` for the next build."""
    global _SEEN_CLEAN
    # A build writes into a staging folder (.output-building-…); name the real one.
    site = _STAGING.sub(r"\1", output.name)
    _CLEAN.read_from(kept, _is_true)
    looked_for = repr(sorted((d, use.phone.identifying) for d, use in numbers.items())).encode()
    sought_key = hashlib.blake2b(looked_for, digest_size=32).digest()
    # pieces are kept only for a next build in this process (`serve`'s)
    pieced = kept is not None and next_build_asks()
    sought = _Sought(numbers, sought_key, _CLEAN_PIECES if pieced else None)

    def problems_in(found: FoundFile) -> tuple[list[Problem], bytes | None, list[bytes]]:
        path = Path(found.path)
        data = path.read_bytes()
        clean = hashlib.blake2b(path.suffix.lower().encode() + b"\0" + looked_for, digest_size=32)
        clean.update(data)
        if clean.digest() in _CLEAN:
            pieces = []
            if sought.known_clean is not None and clean.digest() not in _PIECED:
                # serve's first build, which found it clean by the digest an
                # earlier process kept: its pieces, for the next save to
                # read only those it changed
                pieces = _pieces_of_clean(path, data, sought)
            return [], clean.digest(), pieces
        before = len(sought.clean_pieces)
        found_here = _problems_in(path, data, f"{site}/{found.name}", sought)
        pieces = sought.clean_pieces[before:]  # (sent back by a worker)
        return found_here, None if found_here else clean.digest(), pieces

    # a file unchanged since this process found it clean (a page `serve`
    # took from the live site) is not read again; a build for the public
    # reads every file it publishes
    seen_before = _SEEN_CLEAN if kept is not None else {}
    seen_now: dict[tuple, bytes] = {}
    clean_now: list[bytes] = []
    unread: list[tuple[FoundFile, tuple | None]] = []
    for found in files_of_build(output):
        suffix = _suffix(found.name)
        if suffix in _ASSETS:
            continue
        at = (seen_as(found.stat), suffix, sought_key) if kept is not None else None
        clean = seen_before.get(at)
        if clean is not None and clean in _CLEAN:
            seen_now[at] = clean
            clean_now.append(clean)
        else:
            unread.append((found, at))
    # the largest first (open data and the search index take a second each),
    # so that no worker is left reading one while the other has finished;
    # problems are told in the files' order all the same
    unread.sort(key=lambda item: (-item[0].stat.st_size, item[0].name))
    # forking a city's build costs what reading a hundred pages does (a save
    # in `serve` leaves some sixty files to read, most of them pieces found clean)
    scanned = map_forked(problems_in, [found for found, _at in unread], workers, least=100)
    found_in: dict[str, list[Problem]] = {}
    for (found, at), (problems, clean, pieces) in zip(unread, scanned, strict=True):
        for piece in pieces:
            _CLEAN_PIECES.keep(piece, True)
        if problems:
            found_in[found.name] = problems
        if clean is not None:
            _CLEAN.keep(clean, True)
            clean_now.append(clean)
            if pieces:
                _PIECED.keep(clean, True)
            if at is not None:
                seen_now[at] = clean
    if kept is not None:
        _SEEN_CLEAN = seen_now
    _CLEAN.write_to(kept, clean_now, _is_true)
    # in the order of the files' paths, folder by folder (as Path orders them)
    return [
        problem
        for name in sorted(found_in, key=lambda name: name.split("/"))
        for problem in found_in[name]
    ]


def _suffix(name: str) -> str:
    """A file's extension, lower case, as Path(name).suffix has it."""
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def _is_true(value: object) -> bool:
    if value is not True:
        raise ValueError(f"not a clean file's entry: {value!r}")
    return True


def _problems_in(path: Path, data: bytes, shown: str, sought: _Sought) -> list[Problem]:
    suffix = path.suffix.lower()
    if suffix == _PDF:
        text = pdf_text(path)
        if text is None:
            return [
                Problem(
                    Position(shown),
                    "E791",
                    "无法读取这个 PDF 文件，不能检查里面有没有个人号码，本次没有生成网站",
                )
            ]
    elif suffix not in _TEXT:
        return [
            Problem(
                Position(shown),
                "E791",
                f"无法检查 {suffix or '无扩展名'} 文件里有没有个人号码，本次没有生成网站",
            )
        ]
    else:
        text = None
    if not sought.numbers:
        return []
    if text is None:
        text = _text_of(data)
    problems = []
    for use in _found_in(text, path, sought):
        where = use.position
        problems.append(
            Problem(
                Position(shown),
                "E790",
                f"生成的文件里有未经本人同意公开的号码 {use.phone.masked()}"
                f"（来自 {where.path}:{where.line}:{where.column}），这个文件已删除",
            )
        )
    return problems


def pdf_text(path: Path) -> str | None:
    """What a PDF shows and holds as text, as pdfium reads it: every page's
    text, the address of every link (a tel: link whose text is masked), and
    the document's information (title, author …); None when it cannot be read."""
    import pypdfium2 as pdfium  # only builds that write a PDF pay for loading pdfium

    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError):
        return None
    try:
        parts = [str(value) for value in document.get_metadata_dict(skip_empty=True).values()]
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            parts.append(text.get_text_range())
            parts += [unquote(uri) for uri in _link_addresses(document, page)]
            text.close()
            page.close()
        return "\n".join(parts)
    except pdfium.PdfiumError:
        return None
    finally:
        document.close()


def _link_addresses(document, page) -> list[str]:
    import ctypes

    import pypdfium2.raw as pdfium_c

    found = []
    start, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(start), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        if size:
            buffer = ctypes.create_string_buffer(size)
            pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
            found.append(buffer.value.decode("latin-1"))
    return found


def _found_in(text: str, path: Path, sought: _Sought) -> list[NumberUse]:
    found: dict[str, NumberUse] = {}
    for view in views(path, text):
        cut = pieces(view)
        for piece in cut:
            key = None
            # (a text of one piece is the file, which _CLEAN keeps already)
            if sought.known_clean is not None and len(cut) > 1:
                key = _piece_key(piece, sought)
                if key in sought.known_clean:
                    continue
            held = [use for written in written_runs(piece) for use in sought.held_in(written)]
            for use in held:
                found[use.phone.identifying] = use
            if key is not None and not held:
                sought.clean_pieces.append(key)
    return list(found.values())


def _text_of(data: bytes) -> str:
    """A text file as read_text reads it: any line ending as "\n"."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _piece_key(piece: str, sought: _Sought) -> bytes:
    return hashlib.blake2b(piece.encode(), key=sought.key, digest_size=32).digest()


def _pieces_of_clean(path: Path, data: bytes, sought: _Sought) -> list[bytes]:
    """The keys of the pieces of a text file found clean whole: each of its
    pieces is clean too, as every run of digits lies whole in one piece."""
    if not sought.numbers or path.suffix.lower() not in _TEXT or len(data) <= _PIECE:
        return []
    text = _text_of(data)
    keys = []
    for view in views(path, text):
        cut = pieces(view)
        if len(cut) > 1:
            keys += [_piece_key(piece, sought) for piece in cut]
    return keys


def pieces(text: str, size: int = _PIECE) -> list[str]:
    """`text` cut into pieces of about `size` characters, each just after a
    character no number is written with (see _CUT_AFTER)."""
    found, start = [], 0
    while len(text) - start > size:
        cut = _CUT_AFTER.search(text, start + size)
        if cut is None:
            break
        found.append(text[start : cut.end()])
        start = cut.end()
    found.append(text[start:])
    return found


class _Sought:
    """The unpublished numbers a scan looks for, and what each run of digits
    as written holds: worked out once per scan, as pages repeat the same
    numbers, dates and addresses thousands of times (a worker fills its own
    copy)."""

    def __init__(
        self, numbers: dict[str, NumberUse], key: bytes = b"", known_clean: Kept | None = None
    ) -> None:
        self.numbers = numbers
        self.lengths = sorted({len(d) for d in numbers})
        self._held: dict[str, list[NumberUse]] = {}
        self.key = key  # a digest of the numbers looked for
        self.known_clean = known_clean  # pieces found clean (None: none kept)
        self.clean_pieces: list[bytes] = []  # pieces this process found clean now

    def held_in(self, written: str) -> list[NumberUse]:
        held = self._held.get(written)
        if held is None:
            held = self._held[written] = self._numbers_in(digit_run(written))
        return held

    def _numbers_in(self, run: DigitRun) -> list[NumberUse]:
        """Each number the run holds as a number of its own."""
        held = []
        for end in run.ends:
            for length in self.lengths:
                use = self.numbers.get(run.digits[max(0, end - length) : end])
                if use is not None and run.holds(use.phone.identifying, at_end=end):
                    held.append(use)
        return held
