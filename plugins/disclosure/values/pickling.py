"""Quick pickling for the small frozen values records hold by the hundred thousand."""

from __future__ import annotations

import dataclasses


def quick_pickling(cls: type) -> type:
    """Pickle a frozen slots dataclass as its field values, in order.

    Python's own state functions for such a class (dataclasses'
    `_dataclass_getstate` and `_dataclass_setstate`) look the fields up again
    for every object. The workers that type a city's records send them back
    pickled, and the records hold half a million positions, times and phones.
    The state is the same list Python's own functions write, so pickles from
    either side read alike."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    # each slot's own setter: past the frozen __setattr__ as object.__setattr__
    # is, without looking the slot up by name for every field of every object
    setters = tuple(cls.__dict__[name].__set__ for name in names)

    def __getstate__(self) -> list:
        return [getattr(self, name) for name in names]

    def __setstate__(self, state: list) -> None:
        for set_slot, value in zip(setters, state, strict=True):
            set_slot(self, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls
