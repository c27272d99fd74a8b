"""The total encoder of cache keys: type-tagged text tokens, for inputs msgpack refuses.

`aiecs_runtime._keys` encodes most params with one ormsgpack call; what that call refuses
(dict keys that are not all ``str``, lone surrogates, nesting past msgpack's depth, types
no hook knows) is written here instead, as text tokens joined by ``,``. The two outputs
never meet: keys built here start with ``K2`` and the fast path's with a msgpack array
header, so no input can get the other path's key. Tokens (key version 2)::

    None -> N    True -> T    False -> F
    int -> repr when it fits 64 bits, else I<hex of its two's-complement bytes>
           (binary: no int->str digit limit, linear time for any size)
    float -> repr (always a '.', an 'e', 'inf' or 'nan': never an int)
    str -> "json-escaped"          bytes, bytearray, memoryview -> b"latin-1, json-escaped"
    Decimal -> m<str>              UUID -> u<32 hex digits>
    datetime -> Dn<isoformat> (naive) / Da<isoformat> (aware)
    date -> d<isoformat>           time -> tn<isoformat> / ta<isoformat>
    list -> [ items ]    tuple -> ( items )    dict -> { key value ... }
    set, frozenset -> S{ members }
    Enum member -> E<class identity> value
    named tuple -> P<class identity> ( items )
    pydantic model -> M<class identity> { name value ... } extras private
    dataclass -> C<class identity> { name value ... }

The class identity is `aiecs_runtime._keys_classes.class_identity` in hex. Dict items and
set members are sorted (by key, or by their encoding when keys are not all ``str``), so
insertion and iteration order never matter; nothing depends on ``hash()`` or ``id()``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json.encoder
import uuid
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, cast

from pydantic import BaseModel

from ._keys_classes import class_identity, is_named_tuple, plain_tuple

__all__ = ["canonical_text", "encode_tokens", "too_deep", "unsupported"]

_Tokens = list[str]
_Encoder = Callable[[Any, _Tokens], None]

# JSON string escaping: quotes, backslash and control characters escaped, everything else
# (lone surrogates included) kept; the C version when available.
_quote = cast(
    "Callable[[str], str]",
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring,
)
_first = itemgetter(0)
_INT64 = 1 << 63


def _none(v: Any, out: _Tokens) -> None:
    out.append("N")


def _bool(v: Any, out: _Tokens) -> None:
    out.append("T" if v else "F")


def _int(v: Any, out: _Tokens) -> None:
    x = int.__int__(v)
    if -_INT64 <= x < _INT64:
        out.append(int.__repr__(x))
    else:
        out.append("I" + x.to_bytes((x.bit_length() + 8) // 8, "big", signed=True).hex())


def _float(v: Any, out: _Tokens) -> None:
    # repr() of a float is the shortest round-tripping form, the same on every platform.
    out.append(float.__repr__(v))


def _str(v: Any, out: _Tokens) -> None:
    out.append(_quote(str.__str__(v)))


def _bytes(v: Any, out: _Tokens) -> None:
    # latin-1 maps each byte to one code point: reversible and much cheaper than hex.
    out.append("b" + _quote(bytes(v).decode("latin-1")))


def _decimal(v: Any, out: _Tokens) -> None:
    out.append("m" + Decimal.__str__(v))


def _uuid(v: Any, out: _Tokens) -> None:
    out.append("u" + v.hex)


def _datetime(v: Any, out: _Tokens) -> None:
    out.append(("Dn" if v.utcoffset() is None else "Da") + _dt.datetime.isoformat(v))


def _date(v: Any, out: _Tokens) -> None:
    out.append("d" + _dt.date.isoformat(v))


def _time(v: Any, out: _Tokens) -> None:
    out.append(("tn" if v.utcoffset() is None else "ta") + _dt.time.isoformat(v))


def _list(v: Any, out: _Tokens) -> None:
    out.append("[")
    _items(v, out)
    out.append("]")


def _tuple(v: Any, out: _Tokens) -> None:
    out.append("(")
    _items(v, out)
    out.append(")")


def _items(v: Iterable[Any], out: _Tokens) -> None:
    for x in v:
        _encode(x, out)


def _dict(v: Mapping[Any, Any], out: _Tokens) -> None:
    out.append("{")
    if all(type(k) is str for k in v):
        for k in sorted(v):
            out.append(_quote(k))
            _encode(v[k], out)
    else:
        # Keys that are not all str: order the items by the keys' own encodings.
        for key_text, x in sorted(((_text(k), x) for k, x in v.items()), key=_first):
            out.append(key_text)
            _encode(x, out)
    out.append("}")


def _set(v: Any, out: _Tokens) -> None:
    out.append("S{")
    out.extend(sorted(_text(member) for member in v))
    out.append("}")


def _head(tag: str, cls: type[Any]) -> str:
    return tag + class_identity(cls).hex()


def _enum_encoder(cls: type[Any]) -> _Encoder:
    head = _head("E", cls)

    def encode(v: Any, out: _Tokens) -> None:
        out.append(head)
        _encode(v._value_, out)

    return encode


def _named_tuple_encoder(cls: type[Any]) -> _Encoder:
    head = _head("P", cls)

    def encode(v: Any, out: _Tokens) -> None:
        out.append(head)
        _tuple(plain_tuple(v), out)

    return encode


def _model_encoder(cls: type[BaseModel]) -> _Encoder:
    head = _head("M", cls)
    fields = tuple(cls.model_fields)

    def encode(v: Any, out: _Tokens) -> None:
        # What pydantic's == compares: declared fields, extras and private attributes.
        out.append(head)
        out.append("{")
        for name in fields:
            out.append(_quote(name))
            _encode(getattr(v, name), out)  # a field model_construct skipped raises
        out.append("}")
        _encode(v.__pydantic_extra__, out)
        _encode(v.__pydantic_private__, out)

    return encode


def _dataclass_encoder(cls: type[Any]) -> _Encoder:
    head = _head("C", cls)
    fields = tuple(f.name for f in dataclasses.fields(cls))

    def encode(v: Any, out: _Tokens) -> None:
        out.append(head)
        out.append("{")
        for name in fields:
            out.append(_quote(name))
            _encode(getattr(v, name), out)
        out.append("}")

    return encode


_ENCODERS: dict[type[Any], _Encoder] = {
    type(None): _none,
    bool: _bool,
    int: _int,
    float: _float,
    str: _str,
    bytes: _bytes,
    bytearray: _bytes,
    memoryview: _bytes,
    Decimal: _decimal,
    list: _list,
    tuple: _tuple,
    dict: _dict,
    set: _set,
    frozenset: _set,
    _dt.datetime: _datetime,
    _dt.date: _date,
    _dt.time: _time,
    uuid.UUID: _uuid,
}

# Checked in order for subclasses: datetime before date (a datetime is a date).
_BASES: tuple[type[Any], ...] = (
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

_MAX_LEARNED = 4096  # types created on the fly (one per call) must not grow the table
_learned = 0


def unsupported(cls: type[Any]) -> TypeError:
    """The error for a value no encoder knows, naming its type and what is supported."""
    return TypeError(
        f"cannot build a cache key from a value of type {cls.__module__}.{cls.__qualname__}: "
        "supported are None, bool, int, float, str, bytes, list, tuple, dict, set, frozenset, "
        "datetime, date, time, Decimal, UUID, Enum members, named tuples, pydantic models "
        "and dataclass instances; convert the value to one of these (or skip caching for "
        "this call)"
    )


def _find_encoder(cls: type[Any]) -> _Encoder:
    # Enum before int/str: IntEnum and StrEnum members keep their class in the key.
    if issubclass(cls, enum.Enum):
        return _enum_encoder(cls)
    if issubclass(cls, BaseModel):
        return _model_encoder(cls)
    if dataclasses.is_dataclass(cls):
        return _dataclass_encoder(cls)
    if is_named_tuple(cls):
        return _named_tuple_encoder(cls)
    for base in _BASES:
        if issubclass(cls, base):
            return _ENCODERS[base]
    if issubclass(cls, Mapping):
        return _dict
    raise unsupported(cls)


def _encode(v: Any, out: _Tokens) -> None:
    global _learned
    cls: type[Any] = type(v)  # pyright: ignore[reportUnknownVariableType]
    encoder = _ENCODERS.get(cls)
    if encoder is None:
        encoder = _find_encoder(cls)
        if _learned < _MAX_LEARNED:
            _ENCODERS[cls] = encoder
            _learned += 1
    encoder(v, out)


def _text(v: Any) -> str:
    out: _Tokens = []
    _encode(v, out)
    return ",".join(out)


def too_deep() -> ValueError:
    """The error for a value nested too deeply or containing itself."""
    return ValueError(
        "cannot build a cache key from a value nested too deeply or containing itself; "
        "pass an acyclic value"
    )


def canonical_text(value: Any) -> str:
    """The token text of one value (ValueError when too deep or cyclic)."""
    try:
        return _text(value)
    except RecursionError:
        raise too_deep() from None


def encode_tokens(values: Iterable[Any]) -> bytes:
    """``K2`` then the tokens of each value: the fallback form of a whole key input."""
    out: _Tokens = ["K2"]
    try:
        for v in values:
            _encode(v, out)
    except RecursionError:
        raise too_deep() from None
    # surrogatepass: lone surrogates are legal in a Python str and must still encode.
    return ",".join(out).encode("utf-8", "surrogatepass")
