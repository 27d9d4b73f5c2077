"""Functions told apart from build to build by what they are.

A page's key (page_keys) and a compiled template's (core.compiled_templates)
take in the filters, globals and tests of the Jinja environment. Code that
reads nothing but its arguments and does not change while a process runs
is told by its module and name; anything else (a site's own filter in
JINJA_FILTERS, another plugin's) may read a setting through a helper, the
clock or an object's state, and cannot be told apart: whoever asks does
without what it would key.
"""

from __future__ import annotations

import functools
import pickle
import types

# Where such code may come from.
KNOWN_CODE = frozenset(
    {"jinja2", "markupsafe", "builtins", "_operator", "operator", "pelican", __name__.split(".")[0]}
)


class Untold(Exception):
    """A value that cannot be told apart from another."""


def told(value: object) -> object:
    """A filter, global or test as it can be compared from build to build:
    plain data by its pickle, code of `KNOWN_CODE` by its name, a partial by
    its function and arguments."""
    if isinstance(value, functools.partial):
        return ("partial", told(value.func), pickled((value.args, value.keywords)))
    if value is None or isinstance(value, str | bytes | int | float | bool | dict | list | tuple):
        return pickled(value)
    bound = getattr(value, "__self__", None)
    if bound is not None and not isinstance(bound, types.ModuleType):
        raise Untold(value)  # a method reads its object, whatever state it is in
    module = getattr(value, "__module__", None) or type(value).__module__
    if str(module).split(".")[0] not in KNOWN_CODE:
        raise Untold(value)
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return (module, name)


def pickled(value: object) -> bytes:
    try:
        return pickle.dumps(value, 5)
    except Exception as error:
        raise Untold from error
