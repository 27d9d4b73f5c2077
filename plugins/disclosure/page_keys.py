"""Pages made again only when what they are made from changed.

`serve` builds the site again after every save, and at city scale most of
that time went on rendering 19,000 pages of which the save changed three. A
held page call (elder_pages.ModesWriter) is keyed here by everything it is
made from: its output name and the writer's arguments, the sources of its
template and every template that one extends, includes or imports, how
Jinja is set up (a site with filters, globals or tests of its own keys
nothing: they may read what no key sees), digests
of the values it is given, and digests of the shared values its templates
read (found by jinja2.meta, so a template that starts reading another value
is keyed by it from then on).

A call whose key equals the key of a page that the last build in this
process put live is not rendered: the build takes the live files, whose
bytes are what that key rendered (their signature is checked first,
core.kept.signature: a live file changed since is rendered again), without
writing them (core.tree.stand_in); the build goes live laid over the live
site (cli.staging.lay_over). A page that a static file may be copied over
is never taken, a page Pelican's writer writes over is the build's own again
(ModesWriter._open_w, `released`), and a taken file written behind the
writer's back fails the build (`touched`, E792).

What the key leaves out is never guessed at:
- a template that reads a value that grows with the records (`GROWING`)
  is always rendered: digesting those on every build would cost what
  rendering the few pages that read them does;
- a value that cannot be pickled, or a template named only when it runs,
  leaves the call without a key, and it is rendered.
Equal pickles make equal values (every class of ours pickles all its
fields); values that are equal but pickle differently only cost a render.

Nothing here is kept on disk, and a build for the public (which takes
nothing kept: settings.kept_between_processes) uses none of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import enum
import functools
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import meta

from .core import tree
from .core.kept import seen_as, signature
from .core.known_code import Untold as _Untold
from .core.known_code import pickled as _pickled
from .core.known_code import told as _told
from .core.memo import ByIdentity
from .core.tree import FoundFile
from .core.workers import map_forked

# Shared values that grow with the records: a page that reads one whole is
# made on every build (the home page, the listings, 公开情况, the data page).
GROWING = frozenset(
    {"events", "disclosure", "committees", "roads", "open_data", "plans", "lookup", "notices"}
)
# What the writers work out from the output name and SITEURL for every page
# (Pelican's writer and ModesWriter), so the name and SITEURL key them.
_FROM_THE_NAME = frozenset(
    {"output_file", "ROOT_URL", "elder_mode", "twin_url", "switch_url", "SITEURL"}
)
# Pelican's writer sets this in the shared context page after page: a
# template that read it would depend on the order pages are written in.
_ORDER_DEPENDENT = frozenset({"localsiteurl"})


@dataclass(frozen=True)
class _LivePage:
    names: tuple[str, ...]  # paths from the output's root
    signatures: tuple[tuple[int, ...], ...]  # core.kept.signature


@dataclass
class _Build:
    final: str  # the live folder it goes to
    take: bool  # whether it takes files from the live site (or only keys what it makes)
    made: dict[bytes, tuple[str, ...]] = field(default_factory=dict)  # key -> names
    # name -> the bytes and the file taken or written for them (`took`)
    files: dict[str, tuple[bytes, FoundFile]] = field(default_factory=dict)


# The live site each build in this process put live, by its folder: key -> page.
_LIVE: dict[str, dict[bytes, _LivePage]] = {}
# The builds being made, by their staging folders.
_BUILDING: dict[str, _Build] = {}


def begin(staged: Path, final: Path, *, take: bool = True) -> None:
    """A build into `staged` will go live at `final` (cli.commands.build_site):
    such a build keys its pages, and the keys of what it made count once
    `went_live` says it is in place. With `take` (the build goes live as an
    overlay, cli.staging), it takes the live files of pages whose key is the
    same instead of writing them (core.tree.stand_in)."""
    _BUILDING[str(staged)] = _Build(str(final), take)


def went_live(staged: Path, final: Path) -> None:
    """The build made in `staged` is the site at `final` now (swapped in, or
    laid over it): its pages are what the next build may take."""
    global _TAKEN_BEFORE
    made = _BUILDING.pop(str(staged), None)
    taken = tree.standing(staged)
    tree.forget_standing(staged)
    _TAKEN_BEFORE = {}
    if made is None or made.final != str(final):
        _LIVE.pop(str(final), None)
        return
    live: dict[bytes, _LivePage] = {}
    folder = str(final)
    # A taken file is the live file as it was found when taken (`touched`
    # found none written over): its signature is known without a stat.
    for key, names in made.made.items():
        try:
            signatures = tuple(
                signature(taken[name].stat)
                if name in taken
                else signature(os.lstat(os.path.join(folder, name)))
                for name in names
            )
        except OSError:
            continue
        live[key] = _LivePage(names, signatures)
    _LIVE[str(final)] = live
    # a file taken and still standing is the live file as taken; one written
    # is live as written (moved in, or swapped in with its folder), or as a
    # live file with its bytes left in its place (kept.seen_as), unless a
    # writer after ours wrote over it: that one is read by the next build
    for name, (data, made_as) in made.files.items():
        if name in taken:
            _TAKEN_BEFORE[os.path.join(folder, name)] = (signature(taken[name].stat), data)
            continue
        if made_as.path != os.path.join(str(staged), name):
            continue  # taken, then released to a writer that wrote over it
        path = os.path.join(folder, name)
        try:
            live = os.lstat(path)
        except OSError:
            continue
        if seen_as(live) == signature(made_as.stat):
            _TAKEN_BEFORE[path] = (signature(live), data)


def live_folder(staged: Path) -> Path | None:
    """The live site that the build in `staged` may take unchanged files from
    (a build of `serve`'s), if any."""
    build = _BUILDING.get(str(staged))
    return Path(build.final) if build and build.take else None


def same_as_live(live: Path, name: str, data: bytes) -> FoundFile | None:
    """The live file `live`, to be taken as the build's file `name` instead
    of writing `data` there, when it holds exactly `data`: it keeps its
    inode and mtime, and writing a city's 3,000 calendar files again after
    every save took a second. None when it is not the same (may run in a
    worker); `took` takes what this found."""
    try:
        found = os.lstat(live)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return None
        with open(live, "rb") as held:
            if held.read() != data:
                return None
        # written while it was read: write ours instead
        if signature(os.lstat(live)) != signature(found):
            return None
    except OSError:
        return None
    return FoundFile(str(live), name, found)


def taken_before(live: Path, name: str, data: bytes) -> FoundFile | None:
    """`same_as_live` without reading the file, for a live file that the last
    build of this process made or took for these very bytes (the same
    object: kept by core.memo) and that is as it was then; None for any other."""
    seen = _TAKEN_BEFORE.get(str(live))
    if seen is None or seen[1] is not data:
        return None
    try:
        found = os.lstat(live)
    except OSError:
        return None
    return FoundFile(str(live), name, found) if signature(found) == seen[0] else None


def took(staged: Path, taken: list[FoundFile], files: dict[str, tuple[bytes, FoundFile]]) -> None:
    """Files `same_as_live` found, taken into the build in `staged` as pages
    are: a writer that writes there later writes its own (`released`), and
    one that writes there behind the writer's back fails the build
    (`touched`). `files`: every file of this kind the build made, by name:
    its bytes, and the live file taken or the file written for them (the
    next build's `taken_before`)."""
    build = _BUILDING.get(str(staged))
    if build is not None:
        tree.stand_in(staged, taken)
        build.files.update(files)


# The bytes each live file held when the last build of this process that
# went live made or took it, and the file as it was then (signature), by path.
_TAKEN_BEFORE: dict[str, tuple[tuple, bytes]] = {}


def dropped(staged: Path) -> None:
    """The build made in `staged` failed: the live site is as it was."""
    _BUILDING.pop(str(staged), None)
    tree.forget_standing(staged)


def forget(final: Path) -> None:
    _LIVE.pop(str(final), None)


def released(staged: Path, path: str) -> bool:
    """Whether `path` is a file taken into the build in `staged`, which a
    writer is about to write: it is the build's own from now on."""
    try:
        name = Path(path).relative_to(staged).as_posix()
    except ValueError:
        return False
    return tree.stand_down(staged, name)


def touched(staged: Path, written: set[str]) -> list[str]:
    """The files taken into the build in `staged` that were written there as
    well (`written`: the names under `staged`), behind the writer's back: a
    writer that appended to one would have appended to nothing. None, or
    the build must not go live."""
    taken = tree.standing(staged)
    # (or a file written where a taken file's folder is, or the other way round)
    above_taken, above_written = tree.folders_of(taken), tree.folders_of(written)
    clash = {name for name in written if name in taken or name in above_taken}
    clash |= {name for name in taken if name in above_written}
    return sorted(str(staged / name) for name in clash)


class PageKeys:
    """The keys of one build's held page calls, and the live pages they match."""

    def __init__(self, output: Path) -> None:
        self.output = output
        build = _BUILDING.get(str(output))
        self.building = build is not None
        self.live_folder = Path(build.final) if build and build.take else None
        self.made = build.made if build else {}
        self.live = _LIVE.get(build.final, {}) if self.live_folder else {}
        self._templates: dict[str, tuple[bytes, frozenset[str]] | None] = {}
        self._template_of: dict[bytes, str] = {}
        self._environments: dict[int, bytes | None] = {}
        self._env = None  # the templates' environment, once one is keyed
        # held with its value, so that its id cannot be another's meanwhile
        self._digests: dict[int, tuple[object, bytes | None]] = {}
        self._quick_left = _QUICK_PARTS  # what keying one call here may still take apart
        self._told: set[int] = set()  # what a worker sent digests back for, or walked
        self._kept_before: set[int] = set()  # what keying found kept (_GIVEN), by id
        self._shared_reads: dict[tuple, tuple[dict, bytes | None]] = {}

    @property
    def active(self) -> bool:
        return self.building

    def keys(self, calls: list[tuple[tuple, dict]], workers: int) -> list[bytes | None]:
        """Each call's key (None for every call of a build that takes no pages).

        A call given the views a call of the last build was given (a
        committee's, an event's: the same objects, core.memo), new lists or
        dicts of them, and plain or small values, is keyed here, by the
        digests kept for those views; the others are keyed by every core, as
        a city's calls cost seconds of pickling."""
        if not self.active:
            return [None] * len(calls)
        for template in {id(call[0][1]): call[0][1] for call in calls}.values():
            self._template(template)  # parsed here, once, for every worker
        keys: list = [_NOT_KEPT] * len(calls)
        if _GIVEN:
            for index, call in enumerate(calls):
                self._quick_left = _QUICK_PARTS
                with contextlib.suppress(_NotKept):
                    keys[index] = self.key(call, quick=True)
        left = [index for index, key in enumerate(keys) if key is _NOT_KEPT]
        found = map_forked(self._key_and_digests, [calls[i] for i in left], workers)
        for index, (key, held) in zip(left, found, strict=True):
            keys[index] = key
            for path, digest in held:
                _GIVEN.keep((_at(calls[index][1], path),), (), digest)
        for call, key in zip(calls, keys, strict=True):
            if key is not None:
                self._template_of[key] = call[0][1].name
        return keys

    def _key_and_digests(self, call: tuple[tuple, dict]) -> tuple[bytes | None, list]:
        """The call's key, and the digests of the read-only objects it was
        given and of those they hold (a committee's leaders, a listing's
        occurrences), each by its path from the call's arguments: kept for
        the next build's calls, given the same objects (core.memo)."""
        key = self.key(call)
        held: list[tuple[tuple, bytes]] = []
        if key is not None:
            try:
                for name, value in call[1].items():
                    self._held_digests(value, (name,), held)
            except RecursionError:  # a value that holds itself: nothing kept
                held = []
        return key, held

    def _held_digests(self, value: object, path: tuple, held: list) -> None:
        """(path, digest) of `value` and of what it holds, each object once
        in this process, where keying worked its digest out."""
        if _plain(value) or id(value) in self._told:
            return
        kind = type(value)
        if kind in _SEQUENCES:
            self._told.add(id(value))  # held by the call, so its id is its own
            steps: enumerate | list = enumerate(value)
        elif _read_only(value):
            found = self._digests.get(id(value))
            if found is None or found[1] is None:
                return  # no key needed it
            self._told.add(id(value))
            held.append((path, found[1]))  # (kept again by the main process)
            if id(value) in self._kept_before:
                # kept already, and what it holds when it was: a year of the
                # events archive holds 3,000 kept occurrences, walked again on
                # every save (0.2 s)
                return
            steps = [(name, getattr(value, name)) for name in _field_names(kind)]
        else:
            return
        for step, part in steps:
            self._held_digests(part, (*path, step), held)

    def key(self, call: tuple[tuple, dict], *, quick: bool = False) -> bytes | None:
        """The call's key, or None when it cannot have one. `quick`: raises
        _NotKept rather than pickle a value it was given that is not kept."""
        try:
            return self._key(call, quick)
        except RecursionError:  # given a value that holds itself: made, never keyed
            return None

    def _key(self, call: tuple[tuple, dict], quick: bool) -> bytes | None:
        (name, template, context, relative_urls, paginated, template_name), kwargs = call
        if paginated is not None or kwargs.get("override_output"):
            return None
        made_from = self._template(template)
        if made_from is None:
            return None
        sources, reads = made_from
        digest = hashlib.blake2b(digest_size=32)
        digest.update(sources)
        digest.update(repr((name, template.name, relative_urls, template_name)).encode())
        for given in sorted(kwargs):
            value = self._digest_of(kwargs[given], quick)
            if value is None:
                return None
            digest.update(given.encode() + b"\0" + value)
        shared = self._shared(context, template.name, reads, tuple(sorted(kwargs)))
        if shared is None:
            return None
        digest.update(shared)
        # the writers' SITEURL is the context's, for the standard page and its twin
        digest.update(repr(context.get("SITEURL")).encode())
        return digest.digest()

    def _shared(
        self, context: dict, template: str, reads: frozenset[str], given: tuple[str, ...]
    ) -> bytes | None:
        """A digest of the shared values a template reads that its call was
        not given, or None: worked out once per template and arguments, as a
        city's 9,000 pages read the same twenty values (nothing changes the
        context while its calls are keyed; it is held, so its id is its own)."""
        at = (id(context), template, given)
        found = self._shared_reads.get(at)
        if found is None:
            digest = hashlib.blake2b(digest_size=32)
            for read in sorted(reads - set(given) - _FROM_THE_NAME):
                value = self._digest_of(context.get(read, _Absent))
                if value is None:
                    digest = None
                    break
                digest.update(read.encode() + b"\0" + value)
            found = self._shared_reads[at] = (context, digest and digest.digest())
        return found[1]

    def take(
        self,
        keys: list[bytes | None],
        written_later: Callable[[str], bool],
    ) -> dict[int, list[str]]:
        """Take the live page of each key into the build, where there is one
        and it is as that key made it: by the call's index, the paths taken
        (core.tree.stand_in: nothing is written). A call whose live files
        changed since is not taken; nor one with a file that `written_later`
        says another writer may write over (the build's file is then that
        writer's, as in a fresh build)."""
        if self.live_folder is None:
            return {}
        taken: dict[int, list[str]] = {}
        found: list[FoundFile] = []
        live_folder, output = str(self.live_folder), str(self.output)
        for index, key in enumerate(keys):
            page = self.live.get(key) if key is not None else None
            if page is None or any(written_later(name) for name in page.names):
                continue
            try:
                live_now = [os.lstat(os.path.join(live_folder, name)) for name in page.names]
            except OSError:
                continue
            # (a live file made a symlink since is made again, not taken as one)
            if [signature(one) for one in live_now] != list(page.signatures):
                continue
            taken[index] = [os.path.join(output, name) for name in page.names]
            found += [
                FoundFile(os.path.join(live_folder, name), name, one)
                for name, one in zip(page.names, live_now, strict=True)
            ]
            self.made[key] = page.names
        tree.stand_in(self.output, found)
        return taken

    def confirm(self) -> None:
        """After rendering: a template saved meanwhile (its sources now are not
        those its calls were keyed by) may have made some of them one way and
        some the other, so none of its calls is kept for the next build."""
        keyed_by = self._templates
        self._templates = {}
        changed = {
            name
            for name, found in keyed_by.items()
            if found is not None and self._template_named(name) != found
        }
        for key in [k for k, name in self._template_of.items() if name in changed]:
            self.made.pop(key, None)

    def rendered(self, key: bytes, opened: list[str]) -> None:
        """A keyed call was rendered into these files of the build."""
        self.made[key] = tuple(Path(path).relative_to(self.output).as_posix() for path in opened)

    def _template(self, template) -> tuple[bytes, frozenset[str]] | None:
        """The sources of a template and all it uses, and the names they read;
        None when it reads a growing value, names a template only when it
        runs, or was saved since it was compiled."""
        if template.name not in self._templates:
            self._env = template.environment
            found = self._template_named(template.name)
            if not template.is_up_to_date:
                found = None
            self._templates[template.name] = found
        return self._templates[template.name]

    def _template_named(self, name: str) -> tuple[bytes, frozenset[str]] | None:
        environment = self._environment(self._env)
        if environment is None:
            return None
        try:
            sources, names = template_closure(self._env, name)
        except Exception:  # a template Jinja cannot find or parse here: rendered, and told then
            return None
        if names & (GROWING | _ORDER_DEPENDENT):
            return None
        return hashlib.blake2b(environment + sources, digest_size=32).digest(), names

    def _environment(self, env) -> bytes | None:
        """How the environment renders (JINJA_ENVIRONMENT, JINJA_FILTERS,
        JINJA_GLOBALS, JINJA_TESTS and what plugins add), as a digest; None
        when some of it cannot be told apart from another."""
        if id(env) not in self._environments:
            options = [
                getattr(env, option)
                for option in (
                    "autoescape", "trim_blocks", "lstrip_blocks", "keep_trailing_newline",
                    "newline_sequence", "block_start_string", "block_end_string",
                    "variable_start_string", "variable_end_string", "comment_start_string",
                    "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                    "optimized", "undefined", "finalize", "is_async",
                )
            ]  # fmt: skip
            try:
                parts = [options, sorted(env.extensions)]
                for table in (env.filters, env.globals, env.tests, env.policies):
                    parts.append(sorted((name, _told(value)) for name, value in table.items()))
                self._environments[id(env)] = _digest_strict(parts)
            except _Untold:
                self._environments[id(env)] = None
        return self._environments[id(env)]

    def _digest_of(self, value: object, quick: bool = False) -> bytes | None:
        """A value's digest: of a list, a tuple, a dict or one of our read-only
        dataclasses, made of its items' or fields' digests, so that a new list
        or page of kept objects (core.memo) costs no pickling; of anything
        else, of its pickle. Worked out once per object
        in a build: the values a build gives its pages live until it ends, so
        no id is reused meanwhile. `quick`: raises _NotKept once the call has
        met a value that is not kept, not plain and not small, or taken
        apart more values than keying a call in the main process should
        (the first build's views, none kept yet: every core keys those)."""
        if _plain(value):
            return repr((type(value), value)).encode()
        found = self._digests.get(id(value))
        if found is not None:
            return found[1]
        digest = _GIVEN.find((value,), ())
        if digest is not None:
            self._kept_before.add(id(value))
        else:
            parts = _parts(value)
            if parts is None:
                if quick and not isinstance(value, _SMALL):
                    raise _NotKept
                digest = _digest(value)
            else:
                if quick:
                    self._quick_left -= len(parts[1])
                    if self._quick_left < 0:
                        raise _NotKept
                made_of = [self._digest_of(part, quick) for part in parts[1]]
                digest = None if None in made_of else _joined(parts[0], made_of)
            if digest is not None and _read_only(value):
                # the same object in the next build where its record did not
                # change (core.memo): a leader in an address directory, an
                # occurrence in a listing
                _GIVEN.keep((value,), (), digest)
        self._digests[id(value)] = (value, digest)
        return digest


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _read_only(value: object) -> bool:
    """Whether a value's digest may be kept for the next build: one of this
    plugin's frozen dataclasses (its views, made once by core.memo), whose
    fields no code sets again. Frozen is shallow: a list a view holds must not
    change once the view is made either (nothing here appends to, sorts or
    fills one in later), or a page kept by the list's old digest goes stale."""
    kind = type(value)
    params = getattr(kind, "__dataclass_params__", None)
    return params is not None and params.frozen and kind.__module__.startswith(_OURS)


def _parts(value: object) -> tuple[str, list] | None:
    """The items of a list, a tuple or a dict, or the fields of one of our
    read-only dataclasses, for its digest; None for a value digested whole
    (by its pickle). A listing's pages and groups are new objects in every
    build, made of views that are not: by their fields, their digests cost
    no pickling of the views they hold."""
    kind = type(value)
    if kind in _SEQUENCES:
        return kind.__name__, list(value)
    if kind is dict:
        return "dict", [part for item in value.items() for part in item]
    if _read_only(value):
        # its fields are all it pickles (what a property shows is worked out from them)
        return _class_name(kind), [getattr(value, name) for name in _field_names(kind)]
    return None


@functools.cache
def _class_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


_SEQUENCES = (list, tuple)
_OURS = __name__.split(".")[0] + "."
# What a call keyed here (quick) may be given beside kept objects: values
# whose pickle is a few bytes.
_SMALL = (datetime.date, datetime.time, datetime.timedelta, enum.Enum)
# How many items and fields keying one call in the main process may take
# apart: a listing's page of kept views is a few hundred; a call given views
# not kept yet (a first build's) is shared out among the cores instead.
_QUICK_PARTS = 5_000


def _joined(kind: str, parts: list[bytes]) -> bytes:
    joined = hashlib.blake2b(kind.encode(), digest_size=32)
    for part in parts:
        joined.update(len(part).to_bytes(8, "big") + part)
    return joined.digest()


class _NotKept(Exception):
    """A call given values whose digests were not kept (PageKeys.keys)."""


_NOT_KEPT = object()


# The digests of the views page calls were given, by their identity: a view
# is read only (`_read_only`), and the same object in the next build when
# its record did not change (core.memo).
_GIVEN: ByIdentity[bytes] = ByIdentity()


def _at(given: dict, path: tuple) -> object:
    """What a call was given at `path` (PageKeys._held_digests): an argument's
    name, then list indexes and field names."""
    value = given[path[0]]
    for step in path[1:]:
        value = value[step] if type(step) is int else getattr(value, step)
    return value


def template_closure(env, name: str) -> tuple[bytes, frozenset[str]]:
    """A digest of the sources of template `name` and of every template it
    extends, includes or imports, and the context names they read. Raises
    LookupError for a template that names another only when it runs."""
    sources = hashlib.blake2b(digest_size=32)
    names: set[str] = set()
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]
        sources.update(current.encode() + b"\0" + source.encode() + b"\0")
        read, referenced_here = _parsed(env, source)
        names |= read
        for referenced in referenced_here:
            if referenced is None:
                raise LookupError(f"{current} names a template only when it runs")
            waiting.append(referenced)
    return sources.digest(), frozenset(names)


# What each template source reads and names, by its text: parsing the
# theme's templates again for every build in `serve` cost most of a second.
_PARSED: dict[str, tuple[frozenset[str], tuple[str | None, ...]]] = {}


def _parsed(env, source: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
    if source not in _PARSED:
        if len(_PARSED) > 1000:  # a theme edited all day long
            _PARSED.clear()
        tree = env.parse(source)
        _PARSED[source] = (
            frozenset(meta.find_undeclared_variables(tree)),
            tuple(meta.find_referenced_templates(tree)),
        )
    return _PARSED[source]


def _digest_strict(value: object) -> bytes:
    return hashlib.blake2b(_pickled(value), digest_size=32).digest()


class _Absent:
    """A name the context does not hold (a template may test for it)."""


def _digest(value: object) -> bytes | None:
    try:
        return _digest_strict(value)
    except _Untold:  # a value without pickling: the call has no key
        return None
