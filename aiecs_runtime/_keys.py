"""Canonical cache keys: a type-tagged encoding of the params value domain, hashed with blake2b.

The original AIECS layer built keys with ``str(hash(...))``, which changes with
``PYTHONHASHSEED`` from one process to the next, and with ``json.dumps``, which confuses
``1``/``1.0``/``True``/``"1"`` and cannot encode sets, bytes or datetimes. Here every value
is written as a *tag* (one character naming its type) followed by a self-delimiting
payload, so:

* ``1``, ``1.0``, ``True`` and ``"1"`` differ (tags ``i``, ``f``, ``T``, ``s``), as do
  ``Decimal("1")``/``"1"``, ``b"x"``/``"x"`` and a datetime and its isoformat;
* ``("ab", "c")`` and ``("a", "bc")`` differ: strings and bytes carry their length,
  containers their item count, numbers end in ``;``;
* dict key order and set iteration order do not matter: dict items and set members are
  sorted by their own encoding;
* nothing depends on ``hash()``, ``id()`` or memory addresses, so keys are equal across
  processes, hash seeds and Python versions.

Encoding (version 1), for reference::

    None -> N          True -> T          False -> F
    int -> i<decimal>;                    float -> f<repr>;
    str -> s<len>:<text>                  bytes -> b<len>:<latin-1 text>
    bytearray -> y<len>:<latin-1 text>    Decimal -> m<str>;
    list -> l<n>:<items>                  tuple -> t<n>:<items>
    dict -> d<n>:<key><value>...  (pairs sorted by the key's encoding)
    set -> S<n>:<members>         frozenset -> Z<n>:<members>  (members sorted)
    datetime -> D<isoformat>;<n|a>        date -> a<isoformat>;
    time -> h<isoformat>;<n|a>            (n = naive, a = tz-aware)
    UUID -> u<32 hex digits>              Enum member -> e<class><value>
    pydantic model -> M<class><n>:<name><value>... (fields in declaration order, then extras)
    dataclass -> C<class><n>:<name><value>...      (fields in declaration order)

where ``<class>`` is the length-prefixed ``module.qualname`` of the type. Subclasses of the
built-in types encode as their base (a ``namedtuple`` as a tuple, a ``str`` subclass as a
str).

Unknown types raise ``TypeError`` naming the type rather than falling back to ``repr()``:
a repr may embed a memory address (a key that never hits) or be shared by unequal values
(a key that hits for the wrong params), and both fail silently. Callers that can live
without caching (the executors) treat the ``TypeError`` as "not cacheable".
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from hashlib import blake2b
from operator import itemgetter
from typing import Any

from pydantic import BaseModel

__all__ = ["cache_key", "canonical_bytes"]

_Parts = list[str]
_Encoder = Callable[[Any, _Parts], None]

_first = itemgetter(0)


def _none(v: Any, out: _Parts) -> None:
    out.append("N")


def _bool(v: Any, out: _Parts) -> None:
    out.append("T" if v else "F")


def _int(v: Any, out: _Parts) -> None:
    out.append(f"i{int.__repr__(v)};")


def _float(v: Any, out: _Parts) -> None:
    # repr() of a float is the shortest round-tripping form, the same on every platform.
    out.append(f"f{float.__repr__(v)};")


def _str(v: Any, out: _Parts) -> None:
    out.append(f"s{len(v)}:")
    out.append(v)


def _bytes(v: Any, out: _Parts) -> None:
    # latin-1 maps each byte to one code point: reversible and much cheaper than hex.
    out.append(f"b{len(v)}:")
    out.append(bytes(v).decode("latin-1"))


def _bytearray(v: Any, out: _Parts) -> None:
    out.append(f"y{len(v)}:")
    out.append(bytes(v).decode("latin-1"))


def _decimal(v: Any, out: _Parts) -> None:
    out.append(f"m{Decimal.__str__(v)};")


def _sequence(tag: str) -> _Encoder:
    def encode(v: Any, out: _Parts) -> None:
        out.append(f"{tag}{len(v)}:")
        for item in v:
            _encode(item, out)

    return encode


def _dict(v: Any, out: _Parts) -> None:
    out.append(f"d{len(v)}:")
    if len(v) == 1:
        for key, value in v.items():
            _encode(key, out)
            _encode(value, out)
        return
    pairs: list[tuple[str, Any]] = []
    for key, value in v.items():
        if type(key) is str:
            pairs.append((f"s{len(key)}:{key}", value))
        else:
            pairs.append((_encode_str(key), value))
    pairs.sort(key=_first)
    for key_text, value in pairs:
        out.append(key_text)
        _encode(value, out)


def _set_of(tag: str) -> _Encoder:
    def encode(v: Any, out: _Parts) -> None:
        out.append(f"{tag}{len(v)}:")
        out.extend(sorted(_encode_str(member) for member in v))

    return encode


def _datetime(v: Any, out: _Parts) -> None:
    out.append(f"D{v.isoformat()};{'n' if v.tzinfo is None else 'a'}")


def _date(v: Any, out: _Parts) -> None:
    out.append(f"a{v.isoformat()};")


def _time(v: Any, out: _Parts) -> None:
    out.append(f"h{v.isoformat()};{'n' if v.tzinfo is None else 'a'}")


def _uuid(v: Any, out: _Parts) -> None:
    out.append(f"u{v.hex}")


def _type_name(cls: type) -> str:
    name = f"{cls.__module__}.{cls.__qualname__}"
    return f"{len(name)}:{name}"


def _enum_encoder(cls: type) -> _Encoder:
    prefix = f"e{_type_name(cls)}"

    def encode(v: Any, out: _Parts) -> None:
        out.append(prefix)
        _encode(v.value, out)

    return encode


def _model_encoder(cls: type[BaseModel]) -> _Encoder:
    prefix = f"M{_type_name(cls)}"
    names = tuple(cls.model_fields)
    name_texts = tuple(f"s{len(n)}:{n}" for n in names)

    def encode(v: Any, out: _Parts) -> None:
        extra: dict[str, Any] | None = v.__pydantic_extra__
        out.append(f"{prefix}{len(names) + (len(extra) if extra else 0)}:")
        for name, text in zip(names, name_texts, strict=True):
            out.append(text)
            _encode(getattr(v, name), out)
        if extra:
            for key in sorted(extra):
                _str(key, out)
                _encode(extra[key], out)

    return encode


def _dataclass_encoder(cls: type[Any]) -> _Encoder:
    prefix = f"C{_type_name(cls)}"
    names = tuple(f.name for f in dataclasses.fields(cls))
    head = f"{prefix}{len(names)}:"
    name_texts = tuple(f"s{len(n)}:{n}" for n in names)

    def encode(v: Any, out: _Parts) -> None:
        out.append(head)
        for name, text in zip(names, name_texts, strict=True):
            out.append(text)
            _encode(getattr(v, name), out)

    return encode


_ENCODERS: dict[type, _Encoder] = {
    type(None): _none,
    bool: _bool,
    int: _int,
    float: _float,
    str: _str,
    bytes: _bytes,
    bytearray: _bytearray,
    Decimal: _decimal,
    list: _sequence("l"),
    tuple: _sequence("t"),
    dict: _dict,
    set: _set_of("S"),
    frozenset: _set_of("Z"),
    _dt.datetime: _datetime,
    _dt.date: _date,
    _dt.time: _time,
    uuid.UUID: _uuid,
}

# Order matters: Enum before int/str (IntEnum, StrEnum), datetime before date.
_BASES: tuple[type, ...] = (
    int,
    float,
    str,
    bytes,
    bytearray,
    Decimal,
    list,
    tuple,
    dict,
    set,
    frozenset,
    _dt.datetime,
    _dt.date,
    _dt.time,
    uuid.UUID,
)

# Encoders found for subclasses are remembered; bounded so types created on the fly
# (one class per call) cannot grow the table without limit.
_MAX_LEARNED = 4096
_learned = 0


def _find_encoder(cls: type[Any]) -> _Encoder:
    if issubclass(cls, enum.Enum):
        return _enum_encoder(cls)
    if issubclass(cls, BaseModel):
        return _model_encoder(cls)
    if dataclasses.is_dataclass(cls):
        return _dataclass_encoder(cls)
    for base in _BASES:
        if issubclass(cls, base):
            return _ENCODERS[base]
    if issubclass(cls, Mapping):
        return _dict
    raise TypeError(
        f"cannot build a cache key from a value of type {cls.__module__}.{cls.__qualname__}: "
        "supported are None, bool, int, float, str, bytes, list, tuple, dict, set, frozenset, "
        "datetime, date, time, Decimal, UUID, Enum members, pydantic models and dataclass "
        "instances; convert the value to one of these (or skip caching for this call)"
    )


def _encode(v: Any, out: _Parts) -> None:
    cls: type[Any] = type(v)  # pyright: ignore[reportUnknownVariableType]
    encoder = _ENCODERS.get(cls)
    if encoder is None:
        encoder = _learn(cls)
    encoder(v, out)


def _learn(cls: type[Any]) -> _Encoder:
    global _learned
    encoder = _find_encoder(cls)
    if _learned < _MAX_LEARNED:
        _ENCODERS[cls] = encoder
        _learned += 1
    return encoder


def _encode_str(v: Any) -> str:
    out: _Parts = []
    _encode(v, out)
    return "".join(out)


def _to_bytes(text: str) -> bytes:
    # surrogatepass: lone surrogates are legal in a Python str and must still encode.
    return text.encode("utf-8", "surrogatepass")


def canonical_bytes(value: Any) -> bytes:
    """Return the canonical, type-tagged encoding of a params value (see the module doc)."""
    out: _Parts = []
    try:
        _encode(value, out)
    except RecursionError:
        raise ValueError(
            "cannot build a cache key from a value nested too deeply or containing itself; "
            "pass an acyclic value"
        ) from None
    return _to_bytes("".join(out))


def cache_key(
    operation_type: str,
    user_id: str,
    task_id: str,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> str:
    """Return a stable hex key for one call: blake2b of the canonical encoding of all five."""
    out: _Parts = ["K5:"]
    try:
        _encode(operation_type, out)
        _encode(user_id, out)
        _encode(task_id, out)
        _encode(args, out)
        _encode(kwargs, out)
    except RecursionError:
        raise ValueError(
            "cannot build a cache key from a value nested too deeply or containing itself; "
            "pass an acyclic value"
        ) from None
    return blake2b(_to_bytes("".join(out)), digest_size=16).hexdigest()
