"""Canonical cache keys: one msgpack encoding of the call, type-tagged, hashed with blake2b.

A key is ``blake2b-128`` of a canonical encoding of ``(operation_type, user_id, task_id,
args, kwargs)``. The encoding must be *deterministic* (dict and set order never matter, under
any ``PYTHONHASHSEED``), *stable* (equal in every process, on every installation of this
version, on every supported Python), *distinct* (``1``/``1.0``/``True``/``"1"``,
``Decimal("1")``/``"1"``, ``b"x"``/``"x"``, a datetime and its isoformat, ``None`` and an
absent key, two classes with equal fields, a model and the equal dict, an Enum member and
its value, naive and aware, boundary shifts: all different) and *total* over the params
domain (ints of any size, 1 MB strings, aware ``time``, ``Decimal("NaN")``…).

Why this design (key version 2). Profiles (``benchmarks/NOTES.md``) showed the version 1
token encoder spending ~70 % of its time in per-token Python bytecode: no pure-Python
encoder gets near the cost of the digest itself. So the whole call is encoded by **one
ormsgpack** ``packb`` with ``OPT_SORT_KEYS`` and every passthrough option on. Its Rust
encoder then writes natively only the types it cannot confuse: exact ``str``, ``int`` within
64 bits, ``float`` (always float64), ``bool``, ``None``, ``bytes`` (and ``bytearray``,
``memoryview``, which are ``==`` to their bytes), exact ``list``/``tuple`` (one msgpack array:
``tuple`` and ``list`` may share a key) and exact ``dict`` with ``str`` keys, sorted by UTF-8
bytes (= code point order). Every other value, subclasses included, reaches `_hook`, which
returns a *tagged* replacement: an array whose first item is an ``ormsgpack.Ext``. msgpack
writes Ext values with type bytes (``0xc7``–``0xc9``, ``0xd4``–``0xd8``) that no native value
uses, so a tagged value never encodes like a plain one. The tags (Ext type codes)::

    1 int past 64 bits, two's-complement bytes     2 Decimal, its str (NaN, -0, Infinity kept)
    3 naive datetime, pickle state (10 bytes)      4 aware datetime, state, UTC offset in µs
    5 date, pickle state   6/7 naive/aware time, isoformat   8 UUID, its 16 bytes
    9 set/frozenset of str, sorted by code point  10 any other set, sorted member encodings
    11 Enum member: [Ext(11, class identity), value]   12 named tuple: [Ext(12, id), items]
    13 pydantic model: [Ext(13, id), field values, extras, private attributes]
    14 dataclass: [Ext(14, id), field values]

Subclasses of ``str``/``int``/``float``/``bytes``/``list``/``tuple``/``dict`` and other
Mappings become their plain ``==`` value (not Enums, named tuples, models, dataclasses).

Decisions, and their limits:

* **A model's key** is made of what pydantic's ``==`` compares: its class, its declared
  fields' values in declaration order, its extras and its private attributes
  (``__pydantic_private__``); ``model_fields_set`` is not (it does not change ``==``). A model
  whose private attributes hold something outside the params domain (a client, a lock) has
  no key (``TypeError``, "not cacheable").
* **Class identity** is `aiecs_runtime._keys_classes.class_identity`: module and qualname as
  separate strings (``pkg.Outer:C`` and ``pkg:Outer.C`` differ), the class's shape
  (members, fields, field types and defaults) and its own public attributes (constants, the
  values its methods close over), hashed. A per-process registry or creation counter would
  be distinct but not stable; this is both, for every class another process can rebuild
  from the same code and arguments. Two classes that agree on all of it (one factory called
  twice with the same arguments) share it: no stable scheme can tell them apart, since a
  fresh process cannot know which of the two it is looking at.
* ``ormsgpack.Ext`` and ``ormsgpack.Fragment`` objects are not in the params domain: msgpack
  writes them natively, so a caller passing them in its own params can make two of *its
  own* params share a key. Nothing can cross ``operation_type``, ``user_id`` or ``task_id``:
  those come first and are length-prefixed.
* Inputs the single call refuses (dict keys that are not all ``str``, lone surrogates,
  nesting past ormsgpack's 254 levels, types without an encoder) are encoded by the total
  pure-Python token encoder of `aiecs_runtime._keys_tokens`, whose output starts with ``K2``
  where the fast path's starts with a msgpack array header: the two paths cannot produce the
  same bytes, and which path an input takes depends only on its structure.
* ormsgpack is a required dependency of the ``runtime`` extra, pinned to one minor series
  (its set of natively written types *is* the key format); ``tests/runtime/test_keys.py``
  pins recorded keys, so a change of that set fails CI rather than silently moving keys.
* Values equal under ``==`` but written differently (``0.0``/``-0.0``, ``Decimal("1.0")``/
  ``Decimal("1.00")``, one instant in two time zones) get different keys: a miss, never a
  wrong hit. Unknown types raise ``TypeError`` naming the type rather than falling back to
  ``repr()`` (an address in a repr never hits; a repr shared by unequal values hits wrongly).

Speed: ``python -m benchmarks --only cache_key`` on CPython 3.11 (see ``benchmarks/NOTES.md``
for the figures of record).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from hashlib import blake2b
from operator import attrgetter, itemgetter
from typing import Any, cast

from pydantic import BaseModel

try:
    import ormsgpack
except ImportError as exc:  # pragma: no cover - the extra is installed in development
    raise ImportError(
        f"aiecs_runtime needs the 'runtime' extra: pip install 'aiecs-contracts[runtime]' ({exc})"
    ) from exc

from ._keys_classes import class_identity, is_named_tuple, plain_tuple
from ._keys_tokens import encode_tokens, unsupported

__all__ = ["cache_key", "canonical_bytes"]

KEY_VERSION = 2

_OPTIONS = (
    ormsgpack.OPT_SORT_KEYS
    | ormsgpack.OPT_PASSTHROUGH_BIG_INT
    | ormsgpack.OPT_PASSTHROUGH_DATACLASS
    | ormsgpack.OPT_PASSTHROUGH_DATETIME
    | ormsgpack.OPT_PASSTHROUGH_ENUM
    | ormsgpack.OPT_PASSTHROUGH_SUBCLASS
    | ormsgpack.OPT_PASSTHROUGH_UUID
)
_packb = ormsgpack.packb
_Ext = ormsgpack.Ext
_Hook = Callable[[Any], Any]

_MAX_LEARNED = 4096  # types (and time zones) created per call must not grow the tables

# Heads of the tagged atoms. A tagged value is always an array whose first item is an Ext:
# returning a list of objects that already exist is cheaper for ormsgpack than a new Ext.
_BIG_INT, _DECIMAL, _NAIVE, _AWARE = _Ext(1, b""), _Ext(2, b""), _Ext(3, b""), _Ext(4, b"")
_DATE, _TIME_NAIVE, _TIME_AWARE, _UUID = _Ext(5, b""), _Ext(6, b""), _Ext(7, b""), _Ext(8, b"")
_SET, _SET_OF_ENCODINGS = _Ext(9, b""), _Ext(10, b"")

_DateTime, _TimeZone = _dt.datetime, _dt.timezone
# pickle's view of a datetime/date: (class, (state bytes,) or (state bytes, tzinfo)). The
# state (date and wall time, 10 or 4 bytes) is stable across Python versions.
_Reduced = Callable[[Any], tuple[Any, tuple[Any, ...]]]
_dt_state = cast("_Reduced", _dt.datetime.__reduce__)
_date_state = cast("_Reduced", _dt.date.__reduce__)
_decimal_str = cast("Callable[[Any], str]", Decimal.__str__)
_fixed_offsets: dict[_dt.timezone, bytes] = {}  # a datetime.timezone's offset never changes


def _big_int(v: Any) -> Any:
    x = int.__int__(v)
    if -(1 << 63) <= x < (1 << 64):
        return x  # an int subclass with a small value: written natively as its int
    return [_BIG_INT, x.to_bytes((x.bit_length() + 8) // 8, "big", signed=True)]


def _decimal(v: Any) -> Any:
    return [_DECIMAL, _decimal_str(v)]


def _datetime(v: Any) -> Any:
    state = _dt_state(v)[1]
    if len(state) == 1:
        return [_NAIVE, state[0]]
    return _aware(v, state)


def _aware(v: _dt.datetime, state: tuple[Any, ...]) -> Any:
    tz = state[1]
    fixed = type(tz) is _TimeZone  # cannot be subclassed: its offset is its value
    offset = _fixed_offsets.get(tz) if fixed else None
    if offset is None:
        offset = _offset_bytes(v.utcoffset())
        if fixed and len(_fixed_offsets) < _MAX_LEARNED:
            _fixed_offsets[tz] = offset
    return [_AWARE, state[0], offset]


def _offset_bytes(offset: _dt.timedelta | None) -> bytes:
    """UTC offset in microseconds, 8 bytes; empty for a tzinfo that gives no offset."""
    if offset is None:
        return b""
    us = (offset.days * 86400 + offset.seconds) * 1_000_000 + offset.microseconds
    return us.to_bytes(8, "big", signed=True)


def _date(v: Any) -> Any:
    return [_DATE, _date_state(v)[1][0]]


def _time(v: Any) -> Any:
    return [_TIME_NAIVE if v.utcoffset() is None else _TIME_AWARE, _dt.time.isoformat(v)]


def _uuid(v: Any) -> Any:
    return [_UUID, v.bytes]


def _set(v: Any) -> Any:
    try:
        members = sorted(v)
    except Exception:  # members that do not order (mixed types, Decimal NaN)
        return [_SET_OF_ENCODINGS, sorted(map(_member, v))]
    # A correct sort compares every pair of neighbours in its output, and nothing in the
    # params domain but a str (subclasses, StrEnum members) orders against a str: an exact
    # str first means str members only, whose order is total. Anything else (ints, floats
    # with NaN...) is ordered by the members' encodings instead.
    if members and type(members[0]) is str:
        return [_SET, members]
    return [_SET_OF_ENCODINGS, sorted(map(_member, v))]


def _member(v: Any) -> bytes:
    return _packb(v, _hook, _OPTIONS)  # a refusal falls back for the whole


def _mapping(v: Any) -> Any:
    return dict(v)


def _enum_hook(cls: type[Any]) -> _Hook:
    head = _Ext(11, class_identity(cls))
    return lambda v: [head, v._value_]


def _named_tuple_hook(cls: type[Any]) -> _Hook:
    head = _Ext(12, class_identity(cls))
    return lambda v: [head, plain_tuple(v)]


def _fields_getter(names: tuple[str, ...], getter: Any) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = getter(names[0])
        return lambda v: (one(v),)
    return getter(*names)  # type: ignore[no-any-return]


def _model_hook(cls: type[BaseModel]) -> _Hook:
    head = _Ext(13, class_identity(cls))
    names = tuple(cls.model_fields)
    from_dict = _fields_getter(names, itemgetter)
    by_attribute = _fields_getter(names, attrgetter)

    def hook(v: Any) -> Any:
        try:
            values = from_dict(v.__dict__)  # fields live in __dict__: one C call
        except KeyError:
            values = by_attribute(v)  # model_construct skipped a field: raises as before
        return [head, values, v.__pydantic_extra__, v.__pydantic_private__]

    return hook


def _dataclass_hook(cls: type[Any]) -> _Hook:
    head = _Ext(14, class_identity(cls))
    values = _fields_getter(tuple(f.name for f in dataclasses.fields(cls)), attrgetter)
    return lambda v: [head, values(v)]


class _HookTable(dict[type[Any], _Hook]):
    """Type -> hook; a type seen for the first time is classified once and remembered."""

    def __missing__(self, cls: type[Any]) -> _Hook:
        hook = _find_hook(cls)
        if len(self) < _MAX_LEARNED:
            self[cls] = hook
        return hook


_HOOKS = _HookTable(
    {
        int: _big_int,
        Decimal: _decimal,
        _dt.datetime: _datetime,
        _dt.date: _date,
        _dt.time: _time,
        uuid.UUID: _uuid,
        set: _set,
        frozenset: _set,
    }
)

# Subclasses, checked in order (datetime before date: a datetime is a date); subclasses
# of the natively written types become their plain equal value.
_BASE_HOOKS: tuple[tuple[type[Any], _Hook], ...] = (
    *_HOOKS.items(),
    (float, float.__float__),
    (str, str.__str__),
    (bytes, lambda v: bytes.__getitem__(v, slice(None))),
    (list, cast("_Hook", list.copy)),  # pyright: ignore[reportUnknownMemberType]
    (tuple, plain_tuple),
    (dict, _mapping),
)


def _find_hook(cls: type[Any]) -> _Hook:
    # Enum before int/str: IntEnum and StrEnum members keep their class in the key.
    if issubclass(cls, enum.Enum):
        return _enum_hook(cls)
    if issubclass(cls, BaseModel):
        return _model_hook(cls)
    if dataclasses.is_dataclass(cls):
        return _dataclass_hook(cls)
    if is_named_tuple(cls):
        return _named_tuple_hook(cls)
    for base, hook in _BASE_HOOKS:
        if issubclass(cls, base):
            return hook
    if issubclass(cls, Mapping):
        return _mapping
    raise unsupported(cls)


def _hook(v: Any) -> Any:
    """ormsgpack's ``default``: the tagged replacement of a value it does not write itself."""
    cls: type[Any] = type(v)  # pyright: ignore[reportUnknownVariableType]
    # The commonest tagged types inline (each saves a Python frame, ~25 % of a hook call).
    if cls is _DateTime:
        state = _dt_state(v)[1]
        if len(state) == 1:
            return [_NAIVE, state[0]]
        offset = _fixed_offsets.get(state[1]) if type(state[1]) is _TimeZone else None
        if offset is None:
            return _aware(v, state)
        return [_AWARE, state[0], offset]
    if cls is Decimal:
        return [_DECIMAL, _decimal_str(v)]
    if cls is set or cls is frozenset:
        return _set(v)
    return _HOOKS[cls](v)


def canonical_bytes(value: Any) -> bytes:
    """Return the canonical, type-tagged encoding of one params value (see the module doc).

    ``M`` then msgpack, or ``T`` then the token encoding when msgpack refuses the value.
    """
    try:
        return b"M" + _packb(value, _hook, _OPTIONS)
    except TypeError:
        return b"T" + encode_tokens((value,))


def cache_key(
    operation_type: str,
    user_id: str,
    task_id: str,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> str:
    """Return a stable hex key for one call: blake2b of the canonical encoding of all five."""
    try:
        data = _packb(
            [KEY_VERSION, operation_type, user_id, task_id, args, kwargs], _hook, _OPTIONS
        )
    except TypeError:
        data = encode_tokens((operation_type, user_id, task_id, args, kwargs))
    digest = _BLAKE2B_16.copy()  # copying a fresh hasher is cheaper than building one
    digest.update(data)
    return digest.hexdigest()


_BLAKE2B_16 = blake2b(digest_size=16)
