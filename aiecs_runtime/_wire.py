"""A tagged JSON encoding of the params value domain: what crosses Redis and Celery.

JSON alone cannot tell a tuple from a list, a set from either, ``b"x"`` from ``"x"`` or a
``Decimal`` from a float; pickle can, but whoever can write to Redis would then run code in
every process that reads it. So values are written as plain JSON where JSON is exact
(``None``, ``bool``, ``int`` below 2**1024, finite ``float``, ``str``, ``list``, ``dict``
with ``str`` keys) and as a tagged object ``{"$t": <tag>, "v": <payload>}`` everywhere
else::

    tuple, set, frozenset   {"$t": "tuple"|"set"|"frozenset", "v": [items]}
    bytes, bytearray        {"$t": "bytes"|"bytearray", "v": "<base64>"}
    int (2**1024 and up)    {"$t": "int", "v": "<hex>"}  (any size: no 4,300-digit limit)
    float (inf/nan)         {"$t": "float", "v": "inf"|"-inf"|"nan"}
    str with surrogates     {"$t": "str", "v": "<base64 of surrogatepass utf-8>"}
    datetime, time          {"$t": "datetime"|"time", "v": "<isoformat>",
                             "z": "<zoneinfo key>" (if a ZoneInfo), "f": 1 (if fold)}
    date                    {"$t": "date", "v": "<isoformat>"}
    Decimal, UUID           {"$t": "decimal"|"uuid", "v": "<str>"}
    other dicts             {"$t": "dict", "v": [[key, value], ...]}
    Enum member             {"$t": "enum", "c": "<module>:<qualname>", "v": "<member name>"}
    pydantic model          {"$t": "model", "c": "...", "v": {field: value}}
    dataclass instance      {"$t": "dataclass", "c": "...", "v": {field: value}}
    named tuple             {"$t": "namedtuple", "c": "...", "v": {field: value}}
    exception (a value)     {"$t": "exception", "c": "...", "v": [args], "a": {attr: value}}
                            (rebuilt without running its __init__: the class's __new__
                            with those args, then its public attributes set as data)

A dict whose keys are all ``str`` and that has no ``"$t"`` key is written as itself.
Decoding (``_wire_decode``) rebuilds classes only as ``_wire_classes`` allows: registered
ones, through their public constructors, never private state.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import math
import uuid
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, cast

import pydantic_core
from pydantic import BaseModel

from ._wire_classes import is_named_tuple, register_wire_class, writable_class_path
from ._wire_decode import TAG as _TAG
from ._wire_decode import WireDecodeError, decode, loads

__all__ = [
    "UnencodableValueError",
    "WireDecodeError",
    "decode",
    "dumps",
    "encode",
    "loads",
    "register_wire_class",
]

# Ints from here up go as hex: JSON readers parse decimal digits with a size limit.
_BIG: Final = 2**1024


class UnencodableValueError(TypeError):
    """Raised when a value holds something the wire encoding cannot rebuild exactly."""

    def __init__(self, value: object, reason: str) -> None:
        self.type_name = _type_name(type(value))
        super().__init__(
            f"cannot encode a {self.type_name} for the wire: {reason}; use values from the "
            f"params value domain (JSON types, bytes, tuples, sets, datetimes, Decimal, UUID, "
            f"or Enum/BaseModel/dataclass types defined at module level)"
        )


def _type_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _checked_class(value: object) -> str:
    path = writable_class_path(value)
    if path is None:
        cls: type[Any] = type(value)
        raise UnencodableValueError(
            value,
            f"its class is not reachable as {cls.__module__}:{cls.__qualname__}, so no "
            "reader could rebuild it",
        )
    return path


# -- encoding ---------------------------------------------------------------------------

_Encoder = Callable[[Any, bool], Any]


def _enc_float(v: float, _safe: bool) -> Any:
    if math.isfinite(v):
        return v
    return {_TAG: "float", "v": repr(v)}


def _enc_str(v: str, safe: bool) -> Any:
    if safe:
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raw = v.encode("utf-8", "surrogatepass")
            return {_TAG: "str", "v": base64.b64encode(raw).decode("ascii")}
    return v


def _enc_list(v: list[Any], safe: bool) -> Any:
    return [encode(x, _safe=safe) for x in v]


def _enc_seq(tag: str) -> _Encoder:
    def enc(v: Any, safe: bool) -> Any:
        return {_TAG: tag, "v": [encode(x, _safe=safe) for x in v]}

    return enc


def _enc_bytes(tag: str) -> _Encoder:
    def enc(v: Any, _safe: bool) -> Any:
        return {_TAG: tag, "v": base64.b64encode(v).decode("ascii")}

    return enc


def _enc_clock(tag: str) -> _Encoder:
    # isoformat keeps the offset but not the zone nor the fold (which of two equal wall
    # times in a DST change): both go alongside, so zoneinfo values round-trip.
    def enc(v: Any, _safe: bool) -> Any:
        out: dict[str, Any] = {_TAG: tag, "v": v.isoformat()}
        zone = v.tzinfo
        if isinstance(zone, zoneinfo.ZoneInfo) and zone.key:
            out["z"] = zone.key
        if v.fold:
            out["f"] = 1
        return out

    return enc


def _enc_int(v: int, _safe: bool) -> Any:
    return v if -_BIG < v < _BIG else {_TAG: "int", "v": format(v, "x")}


def _enc_iso(tag: str) -> _Encoder:
    def enc(v: Any, _safe: bool) -> Any:
        return {_TAG: tag, "v": v.isoformat()}

    return enc


def _enc_str_of(tag: str) -> _Encoder:
    def enc(v: Any, _safe: bool) -> Any:
        return {_TAG: tag, "v": str(v)}

    return enc


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _enc_dict(v: dict[Any, Any], safe: bool) -> Any:
    plain = _TAG not in v and all(type(k) is str for k in v)
    if plain and not (safe and not all(_utf8_ok(k) for k in v)):
        return {k: encode(x, _safe=safe) for k, x in v.items()}
    pairs = [[encode(k, _safe=safe), encode(x, _safe=safe)] for k, x in v.items()]
    return {_TAG: "dict", "v": pairs}


_ENCODERS: dict[type, _Encoder] = {  # exact types; subclasses go through _BASES
    float: _enc_float,
    str: _enc_str,
    list: _enc_list,
    dict: _enc_dict,
    tuple: _enc_seq("tuple"),
    set: _enc_seq("set"),
    frozenset: _enc_seq("frozenset"),
    bytes: _enc_bytes("bytes"),
    bytearray: _enc_bytes("bytearray"),
    _dt.datetime: _enc_clock("datetime"),
    _dt.date: _enc_iso("date"),
    _dt.time: _enc_clock("time"),
    int: _enc_int,
    Decimal: _enc_str_of("decimal"),
    uuid.UUID: _enc_str_of("uuid"),
}
# Order matters for subclasses: datetime before date, bool is never subclassed.
_BASES: tuple[type, ...] = (
    _dt.datetime,
    _dt.date,
    _dt.time,
    float,
    str,
    bytes,
    bytearray,
    list,
    tuple,
    dict,
    set,
    frozenset,
    Decimal,
    uuid.UUID,
)


def encode(value: Any, *, _safe: bool = False) -> Any:
    """Return the JSON-ready tagged tree for ``value``, or raise ``UnencodableValueError``."""
    cls: type[Any] = type(value)  # pyright: ignore[reportUnknownVariableType]
    if value is None or cls is bool:
        return value
    enc = _ENCODERS.get(cls)
    if enc is not None:
        return enc(value, _safe)
    if isinstance(value, enum.Enum):
        path = _checked_class(value)
        members: Any = type(value).__members__
        if members.get(value.name or "") is not value:
            raise UnencodableValueError(value, "it is not a named member of its Enum")
        return {_TAG: "enum", "c": path, "v": value.name}
    if isinstance(value, BaseModel):
        path = _checked_class(value)
        fields = dict(value.__dict__)  # declared fields; private attributes stay home
        if value.__pydantic_extra__:
            fields.update(value.__pydantic_extra__)
        return {
            _TAG: "model",
            "c": path,
            "v": {k: encode(x, _safe=_safe) for k, x in fields.items()},
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        path = _checked_class(value)
        return {
            _TAG: "dataclass",
            "c": path,
            "v": {  # what its __init__ takes: how a reader rebuilds it
                f.name: encode(getattr(value, f.name), _safe=_safe)
                for f in dataclasses.fields(value)
                if f.init
            },
        }
    if isinstance(value, BaseException):  # an exception *returned* as a value: its args
        path = _checked_class(value)
        public = {k: x for k, x in vars(value).items() if not k.startswith("_")}
        return {
            _TAG: "exception",
            "c": path,
            "v": [encode(a, _safe=_safe) for a in value.args],
            "a": {k: encode(x, _safe=_safe) for k, x in public.items()},
        }
    if is_named_tuple(cls):
        path = _checked_class(value)
        names: tuple[str, ...] = getattr(cls, "_fields")  # noqa: B009 - not typed on tuple
        items: tuple[Any, ...] = cast("tuple[Any, ...]", value)
        return {
            _TAG: "namedtuple",
            "c": path,
            "v": {f: encode(x, _safe=_safe) for f, x in zip(names, items, strict=True)},
        }
    if isinstance(value, int):  # an int subclass that is not an Enum
        return _enc_int(int(value), _safe)
    for base in _BASES:
        if isinstance(value, base):
            return _ENCODERS[base](value, _safe)
    raise UnencodableValueError(value, "its type is outside the params value domain")


def dumps(value: Any) -> bytes:
    """Encode ``value`` as tagged JSON bytes, or raise ``UnencodableValueError``."""
    try:
        try:
            return pydantic_core.to_json(encode(value))
        except pydantic_core.PydanticSerializationError:
            pass
        # Rare: a str with a lone surrogate, which UTF-8 JSON cannot hold. Redo it carefully.
        try:
            return pydantic_core.to_json(encode(value, _safe=True))
        except pydantic_core.PydanticSerializationError as exc:
            raise UnencodableValueError(value, f"it holds text JSON cannot carry ({exc})") from None
    except RecursionError:
        raise UnencodableValueError(value, "it contains itself or nests too deeply") from None
