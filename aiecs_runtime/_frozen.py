"""How a cache stores a value so no caller ever gets another caller's mutable object.

Immutable values (``None``, numbers, ``str``, ``bytes``, dates and times, ``Decimal``,
``UUID``, ``Enum`` members, and tuples / frozensets of these) are stored and served as
they are: the fast path costs one type lookup. Anything else is stored as an encoding
made at ``add`` time and rebuilt on every ``get``, so neither the caller that stored it
nor any caller that read it can change what later reads return.

The encoding is pickle, kept in this process's memory only: nobody but this process
writes it, so it is not the "pickle from a shared store" risk (Redis values are tagged
JSON, see ``_wire``). Values pickle cannot handle (local classes) are deep-copied on the
way in and out instead; values neither can handle are not cached.
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
import pickle
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

__all__ = ["IMMUTABLE_TYPES", "Uncacheable", "freeze", "thaw"]

_IMMUTABLE: Final[frozenset[type]] = frozenset(
    {
        type(None),
        bool,
        int,
        float,
        complex,
        str,
        bytes,
        Decimal,
        Fraction,
        uuid.UUID,
        _dt.datetime,
        _dt.date,
        _dt.time,
        _dt.timedelta,
        range,
    }
)
IMMUTABLE_TYPES: Final = _IMMUTABLE
"""Types whose values are stored and served as they are (a cache's one-lookup fast path)."""
_MAX_SCAN: Final = 64  # items of a tuple/frozenset checked before treating it as mutable

# How a stored value is served: as it is, unpickled, or deep-copied.
SHARED: Final = 0
PICKLED: Final = 1
COPIED: Final = 2


class Uncacheable(Exception):
    """The value can be neither shared, pickled nor deep-copied."""


def _immutable(value: object, depth: int = 0) -> bool:
    cls = type(value)
    if cls in _IMMUTABLE or isinstance(value, enum.Enum):
        return True
    if (cls is tuple or cls is frozenset) and depth < 4:
        items: Any = value
        return len(items) <= _MAX_SCAN and all(_immutable(x, depth + 1) for x in items)
    return False


def freeze(value: Any) -> tuple[Any, int]:
    """Return ``(stored form, how to serve it)`` for ``value``, or raise `Uncacheable`."""
    if type(value) is str or _immutable(value):
        return value, SHARED
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), PICKLED
    except Exception:  # a local class and friends: try a deep copy
        pass
    try:
        return copy.deepcopy(value), COPIED
    except Exception as exc:
        raise Uncacheable(f"a {type(value).__name__} can be neither pickled nor copied") from exc


def thaw(stored: Any, how: int) -> Any:
    """The value to hand a reader: a fresh object unless the stored one is immutable."""
    if how == PICKLED:
        return pickle.loads(stored)  # our own bytes: they never left this process
    if how == COPIED:
        return copy.deepcopy(stored)
    return stored
