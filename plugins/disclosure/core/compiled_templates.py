"""Templates compiled once per process, not once per build.

Pelican makes a new Jinja environment for each generator of each build, and
an environment compiles every template it loads: `serve` compiled the
theme's 49 templates again after every save (0.3 s of a city's rebuild).
Jinja's own bytecode cache keeps what a compile made; this one keeps it in
memory, for the process.

Jinja checks a kept template against a checksum of its source, so an edited
template is compiled again. What Jinja does not check is the environment:
the code a template compiles to depends on how the environment parses
(the block and variable marks, trim_blocks, extensions), whether it escapes,
and how each filter and test it names is called. Those are part of the key
here, so an environment set up another way (a pelicanconf edited while
`serve` runs) compiles for itself. Filters and tests are told apart by what
they are, as Jinja runs those with constant arguments while compiling: an
environment with one that cannot be (a lambda in pelicanconf) is not cached.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from jinja2.utils import _PassArg

from .known_code import Untold, told

# what the lexer, the parser and the code generator read of an environment
_COMPILED_BY = (
    "block_start_string", "block_end_string", "variable_start_string",
    "variable_end_string", "comment_start_string", "comment_end_string",
    "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "is_async",
)  # fmt: skip


def _how_compiled(function: object) -> tuple:
    """A filter, test or finalize as core.known_code tells it, and how the
    compiler passes it its context. With constant arguments, Jinja's optimizer
    runs it while compiling and writes what it gave into the code, so it must
    be the same code, not another of the same name: a lambda or a closure
    (in pelicanconf, made again whenever the settings are read) is untold."""
    inner = function
    while isinstance(inner, functools.partial):
        inner = inner.func
    if "<" in (getattr(inner, "__qualname__", None) or type(inner).__qualname__):
        raise Untold(function)  # <lambda>, <locals>
    return told(function), repr(_PassArg.from_obj(function))


def environment_key(environment, name: str) -> str | None:
    """How `environment` compiles the template called `name`; None when that
    cannot be told from build to build (the template is compiled every time)."""
    autoescape = environment.autoescape
    extensions = environment.extensions.values()
    try:
        parts = [
            type(environment).__qualname__,
            environment.code_generator_class.__qualname__,
            [repr(getattr(environment, option)) for option in _COMPILED_BY],
            autoescape(name) if callable(autoescape) else autoescape,
            _how_compiled(environment.finalize) if environment.finalize else None,
            sorted(f"{type(e).__module__}.{type(e).__qualname__}" for e in extensions),
            sorted(
                (filter_name, _how_compiled(f)) for filter_name, f in environment.filters.items()
            ),
            sorted((test_name, _how_compiled(t)) for test_name, t in environment.tests.items()),
            # read while parsing by extensions (ext.i18n.trimmed)
            sorted((k, repr(v)) for k, v in environment.policies.items() if not callable(v)),
        ]
    except Untold:
        return None
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class InMemoryBytecode(BytecodeCache):
    """At most `most` compiled templates; the one used longest ago goes first."""

    def __init__(self, most: int = 2_000) -> None:
        self.most = most
        self._compiled: OrderedDict[str, bytes] = OrderedDict()

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        compiled_by = environment_key(environment, name)
        key = f"{self.get_cache_key(name, filename)}-{compiled_by}" if compiled_by else None
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        if key is not None:
            self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            self._compiled.move_to_end(bucket.key)
            # a checksum that differs (the template was edited) resets the
            # bucket, and the template is compiled again
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.key is None:  # an environment that cannot be told apart
            return
        self._compiled[bucket.key] = bucket.bytecode_to_string()
        self._compiled.move_to_end(bucket.key)
        while len(self._compiled) > self.most:
            self._compiled.popitem(last=False)

    def clear(self) -> None:
        self._compiled.clear()


COMPILED = InMemoryBytecode()
