"""Canonical cache keys: a type-tagged encoding of the params value domain, hashed with blake2b.

The original AIECS layer built keys with ``str(hash(...))``, which changes with
``PYTHONHASHSEED`` from one process to the next, and with ``json.dumps``, which cannot
encode sets, bytes or datetimes. Here a value is written as a sequence of *tokens* joined by
``,``; each token says what type it holds, so:

* ``1``, ``1.0``, ``True`` and ``"1"`` differ (``1``, ``1.0``, ``T``, ``"1"``), as do
  ``Decimal("1")``/``"1"`` (``m1``), ``b"x"``/``"x"`` (``b"x"``) and a datetime and its
  isoformat (``Dn2020-01-01T00:00:00``);
* ``("ab", "c")`` and ``("a", "bc")`` differ: strings are quoted and escaped (JSON string
  rules, which never change), containers are bracketed, so the token stream parses one way;
* dict key order and set iteration order do not matter: dict items and set members are
  sorted (by key, or by their encoding when keys are not all ``str``);
* nothing depends on ``hash()``, ``id()`` or memory addresses, so keys are equal across
  processes, hash seeds and Python versions.

Tokens (encoding version 1)::

    None -> N    True -> T    False -> F    int -> repr (123, -4)
    float -> repr (1.0, 1e+16, inf, nan: always a '.', an 'e', 'inf' or 'nan', never an int)
    str -> "json-escaped"          bytes -> b"latin-1 text, json-escaped"
    bytearray -> y"..."            Decimal -> m<str>         UUID -> u<32 hex digits>
    datetime -> Dn<isoformat> (naive) / Da<isoformat> (aware)
    date -> d<isoformat>           time -> tn<isoformat> / ta<isoformat>
    list -> [ items ]    tuple -> ( items )    dict -> { key value ... }
    set -> S{ members }  frozenset -> Z{ members }
    Enum member -> E"module.Qualname" value
    pydantic model -> M"module.Qualname" { name value ... (declared fields, then extras) }
    dataclass -> C"module.Qualname" { name value ... (declared fields) }

Subclasses of the built-in types encode as their base (a ``namedtuple`` as a tuple, a
``str`` subclass as a str; such values are ``==`` to their base form anyway).

Unknown types raise ``TypeError`` naming the type rather than falling back to ``repr()``:
a repr may embed a memory address (a key that never hits) or be shared by unequal values
(a key that hits for the wrong params), and both fail silently. Callers that can live
without caching (the executors) treat the ``TypeError`` as "not cacheable".

Speed: the common shapes (dicts with ``str`` keys holding str/int/float/bool/None and lists
of them, and the fields of pydantic models) are written inline without a function call per
scalar, and sets of ``str`` are quoted in one C-level pass. Measured with ``python -m
benchmarks --only cache_key`` (CPython 3.11): the typical params of the benchmark encode and
hash in about 0.6x the time of ``json.dumps(sort_keys=True)`` + md5 (~2.3 us against ~3.7 us);
the rich params (aware datetime, Decimal, bytes, a set of str, a pydantic model) in about 1.1x
that baseline. What remains is Python bytecode at roughly 100 ns per token, plus 0.3 us of
blake2b; ``benchmarks/NOTES.md`` has the profile.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json.encoder
import uuid
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from hashlib import blake2b
from operator import itemgetter
from typing import Any, cast

from pydantic import BaseModel

__all__ = ["cache_key", "canonical_bytes"]

_Tokens = list[str]
_Encoder = Callable[[Any, _Tokens], None]

# JSON string escaping: quotes, backslash and control characters escaped, everything else
# (lone surrogates included) kept; the C version when available.
_quote = cast(
    "Callable[[str], str]",
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring,
)
_int_repr = int.__repr__
_float_repr = float.__repr__
_first = itemgetter(0)
_NoneType = type(None)


def _none(v: Any, out: _Tokens) -> None:
    out.append("N")


def _bool(v: Any, out: _Tokens) -> None:
    out.append("T" if v else "F")


def _int(v: Any, out: _Tokens) -> None:
    out.append(_int_repr(v))


def _float(v: Any, out: _Tokens) -> None:
    # repr() of a float is the shortest round-tripping form, the same on every platform.
    out.append(_float_repr(v))


def _str(v: Any, out: _Tokens) -> None:
    out.append(_quote(str.__str__(v)))


def _bytes(v: Any, out: _Tokens) -> None:
    # latin-1 maps each byte to one code point: reversible and much cheaper than hex.
    out.append("b" + _quote((v if type(v) is bytes else bytes(v)).decode("latin-1")))


def _bytearray(v: Any, out: _Tokens) -> None:
    out.append("y" + _quote(bytes(v).decode("latin-1")))


def _decimal(v: Any, out: _Tokens) -> None:
    out.append("m" + Decimal.__str__(v))


def _uuid(v: Any, out: _Tokens) -> None:
    out.append("u" + v.hex)


def _datetime(v: Any, out: _Tokens) -> None:
    out.append(("Dn" if v.tzinfo is None else "Da") + v.isoformat())


def _date(v: Any, out: _Tokens) -> None:
    out.append("d" + v.isoformat())


def _time(v: Any, out: _Tokens) -> None:
    out.append(("tn" if v.tzinfo is None else "ta") + v.isoformat())


def _list(v: Any, out: _Tokens) -> None:
    out.append("[")
    _items(v, out)
    out.append("]")


def _tuple(v: Any, out: _Tokens) -> None:
    out.append("(")
    _items(v, out)
    out.append(")")


def _items(v: Iterable[Any], out: _Tokens) -> None:
    append = out.append
    for x in v:
        t: type[Any] = type(x)  # pyright: ignore[reportUnknownVariableType]
        if t is str:
            append(_quote(x))
        elif t is int:
            append(_int_repr(x))
        elif t is float:
            append(_float_repr(x))
        elif x is None:
            append("N")
        elif t is bool:
            append("T" if x else "F")
        elif t is dict:
            _dict(x, out)
        else:
            (_ENCODERS.get(t) or _learn(t))(x, out)


def _dict(v: Mapping[Any, Any], out: _Tokens) -> None:
    append = out.append
    start = len(out)
    append("{")
    try:
        for k in sorted(v) if len(v) > 1 else v:
            append(_quote(k))  # TypeError unless k is a str
            x = v[k]
            t: type[Any] = type(x)  # pyright: ignore[reportUnknownVariableType]
            if t is str:
                append(_quote(x))
            elif t is int:
                append(_int_repr(x))
            elif t is float:
                append(_float_repr(x))
            elif x is None:
                append("N")
            elif t is bool:
                append("T" if x else "F")
            elif t is list:
                append("[")
                _items(x, out)
                append("]")
            elif t is dict:
                _dict(x, out)
            else:
                (_ENCODERS.get(t) or _learn(t))(x, out)  # _encode, inlined
    except TypeError:
        if all(isinstance(k, str) for k in v):
            raise  # a value could not be encoded: not a key problem
        # Keys that are not all str: order the items by the keys' own encodings.
        del out[start + 1 :]
        pairs = sorted(((_encode_str(k), x) for k, x in v.items()), key=_first)
        for key_text, x in pairs:
            append(key_text)
            _encode(x, out)
    append("}")


def _set_of(tag: str) -> _Encoder:
    def encode(v: Any, out: _Tokens) -> None:
        out.append(tag)
        try:
            # All members str (the usual set of tags or names): a str member's encoding
            # is its quoted text, so quote them all at C speed. _quote refuses anything
            # else with TypeError, and then every member goes the general way.
            members = sorted(map(_quote, v))
        except TypeError:
            members = sorted(_encode_str(member) for member in v)
        out.extend(members)
        out.append("}")

    return encode


def _type_name(cls: type[Any]) -> str:
    return _quote(f"{cls.__module__}.{cls.__qualname__}")


def _enum_encoder(cls: type[Any]) -> _Encoder:
    head = "E" + _type_name(cls)

    def encode(v: Any, out: _Tokens) -> None:
        out.append(head)
        _encode(v.value, out)

    return encode


def _model_encoder(cls: type[BaseModel]) -> _Encoder:
    head = "M" + _type_name(cls)
    fields = tuple((name, _quote(name)) for name in cls.model_fields)

    def encode(v: Any, out: _Tokens) -> None:
        append = out.append
        append(head)
        append("{")
        # Field values live in the instance __dict__; getattr covers what is not there
        # (a model_construct that skipped a field raises as before).
        values: dict[str, Any] = v.__dict__
        for name, quoted in fields:
            append(quoted)
            x = values[name] if name in values else getattr(v, name)
            t: type[Any] = type(x)  # pyright: ignore[reportUnknownVariableType]
            if t is str:
                append(_quote(x))
            elif t is int:
                append(_int_repr(x))
            elif t is float:
                append(_float_repr(x))
            elif x is None:
                append("N")
            elif t is bool:
                append("T" if x else "F")
            else:
                (_ENCODERS.get(t) or _learn(t))(x, out)
        extra: dict[str, Any] | None = v.__pydantic_extra__
        if extra:
            for key in sorted(extra):
                out.append(_quote(key))
                _encode(extra[key], out)
        out.append("}")

    return encode


def _dataclass_encoder(cls: type[Any]) -> _Encoder:
    head = "C" + _type_name(cls)
    fields = tuple((f.name, _quote(f.name)) for f in dataclasses.fields(cls))

    def encode(v: Any, out: _Tokens) -> None:
        out.append(head)
        out.append("{")
        for name, quoted in fields:
            out.append(quoted)
            _encode(getattr(v, name), out)
        out.append("}")

    return encode


_ENCODERS: dict[type[Any], _Encoder] = {
    _NoneType: _none,
    bool: _bool,
    int: _int,
    float: _float,
    str: _str,
    bytes: _bytes,
    bytearray: _bytearray,
    Decimal: _decimal,
    list: _list,
    tuple: _tuple,
    dict: _dict,
    set: _set_of("S{"),
    frozenset: _set_of("Z{"),
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

# Encoders found for other types are remembered; bounded so types created on the fly (one
# class per call) cannot grow the table without limit.
_MAX_LEARNED = 4096
_learned = 0


def _find_encoder(cls: type[Any]) -> _Encoder:
    # Enum before int/str: IntEnum and StrEnum members keep their class in the key.
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


def _learn(cls: type[Any]) -> _Encoder:
    global _learned
    encoder = _find_encoder(cls)
    if _learned < _MAX_LEARNED:
        _ENCODERS[cls] = encoder
        _learned += 1
    return encoder


def _encode(v: Any, out: _Tokens) -> None:
    cls: type[Any] = type(v)  # pyright: ignore[reportUnknownVariableType]
    encoder = _ENCODERS.get(cls)
    if encoder is None:
        encoder = _learn(cls)
    encoder(v, out)


def _encode_str(v: Any) -> str:
    out: _Tokens = []
    _encode(v, out)
    return ",".join(out)


def _too_deep() -> ValueError:
    return ValueError(
        "cannot build a cache key from a value nested too deeply or containing itself; "
        "pass an acyclic value"
    )


def canonical_bytes(value: Any) -> bytes:
    """Return the canonical, type-tagged encoding of a params value (see the module doc)."""
    out: _Tokens = []
    try:
        _encode(value, out)
    except RecursionError:
        raise _too_deep() from None
    # surrogatepass: lone surrogates are legal in a Python str and must still encode.
    return ",".join(out).encode("utf-8", "surrogatepass")


def cache_key(
    operation_type: str,
    user_id: str,
    task_id: str,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> str:
    """Return a stable hex key for one call: blake2b of the canonical encoding of all five."""
    out: _Tokens = ["K1"]
    try:
        if type(operation_type) is str and type(user_id) is str and type(task_id) is str:
            out += (_quote(operation_type), _quote(user_id), _quote(task_id))
        else:
            _encode(operation_type, out)
            _encode(user_id, out)
            _encode(task_id, out)
        if args:
            _encode(args, out)
        else:
            out += ("(", ")")
        _dict(kwargs, out)
    except RecursionError:
        raise _too_deep() from None
    data = ",".join(out).encode("utf-8", "surrogatepass")
    return blake2b(data, digest_size=16).hexdigest()
