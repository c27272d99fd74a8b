"""A tagged JSON encoding of the params value domain: what crosses Redis and Celery.

JSON alone cannot tell a tuple from a list, a set from either, ``b"x"`` from ``"x"`` or a
``Decimal`` from a float; pickle can, but whoever can write to Redis would then run code in
every process that reads it. So values are written as plain JSON where JSON is exact
(``None``, ``bool``, ``int``, finite ``float``, ``str``, ``list``, ``dict`` with ``str`` keys)
and as a tagged object ``{"$t": <tag>, "v": <payload>}`` everywhere else::

    tuple, set, frozenset   {"$t": "tuple"|"set"|"frozenset", "v": [items]}
    bytes, bytearray        {"$t": "bytes"|"bytearray", "v": "<base64>"}
    float (inf/nan)         {"$t": "float", "v": "inf"|"-inf"|"nan"}
    str with surrogates     {"$t": "str", "v": "<base64 of surrogatepass utf-8>"}
    datetime, date, time    {"$t": "datetime"|"date"|"time", "v": "<isoformat>"}
    Decimal, UUID           {"$t": "decimal"|"uuid", "v": "<str>"}
    other dicts             {"$t": "dict", "v": [[key, value], ...]}
    Enum member             {"$t": "enum", "c": "<module>:<qualname>", "v": "<member name>"}
    pydantic model          {"$t": "model", "c": "...", "v": {field: value}, "s": [fields set]}
    dataclass instance      {"$t": "dataclass", "c": "...", "v": {field: value}}

A dict whose keys are all ``str`` and that has no ``"$t"`` key is written as itself.

Decoding never calls anything named by the data: a class is looked up (never imported) in
a module that this process has already imported, walking ``vars()`` (no ``__getattr__``
hooks), and is used only if it is an ``Enum``, a ``BaseModel`` or a dataclass type. Models
are rebuilt with ``model_construct`` and dataclasses by setting their fields on a bare
instance, so no validator, ``__init__`` or ``__post_init__`` runs on data from the wire.
Anything else is refused with ``WireDecodeError``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import math
import sys
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import pydantic_core
from pydantic import BaseModel

__all__ = ["UnencodableValueError", "WireDecodeError", "decode", "dumps", "encode", "loads"]

_TAG = "$t"


class UnencodableValueError(TypeError):
    """Raised when a value holds something the wire encoding cannot rebuild exactly."""

    def __init__(self, value: object, reason: str) -> None:
        self.type_name = _type_name(type(value))
        super().__init__(
            f"cannot encode a {self.type_name} for the wire: {reason}; use values from the "
            f"params value domain (JSON types, bytes, tuples, sets, datetimes, Decimal, UUID, "
            f"or Enum/BaseModel/dataclass types defined at module level)"
        )


class WireDecodeError(ValueError):
    """Raised when bytes or a JSON tree are not a valid wire encoding."""


def _type_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# -- classes by path --------------------------------------------------------------------


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _lookup_class(path: object) -> type | None:
    """Find an already-imported class by ``module:qualname`` without running any code."""
    if not isinstance(path, str):
        return None
    module_name, colon, qualname = path.partition(":")
    module = sys.modules.get(module_name) if colon else None
    if module is None:
        return None
    found: object = module
    for part in qualname.split("."):
        if not part.isidentifier():
            return None  # "<locals>" and friends: not reachable by name
        try:
            found = vars(found)[part]
        except (KeyError, TypeError):
            return None
    return found if isinstance(found, type) else None


def _checked_class(value: object) -> str:
    cls = type(value)
    path = _class_path(cls)
    if _lookup_class(path) is not cls:
        raise UnencodableValueError(
            value, f"its class is not reachable as {path!r}, so no reader could rebuild it"
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


_ENCODERS: dict[type, _Encoder] = {
    float: _enc_float,
    str: _enc_str,
    list: _enc_list,
    dict: _enc_dict,
    tuple: _enc_seq("tuple"),
    set: _enc_seq("set"),
    frozenset: _enc_seq("frozenset"),
    bytes: _enc_bytes("bytes"),
    bytearray: _enc_bytes("bytearray"),
    _dt.datetime: _enc_iso("datetime"),
    _dt.date: _enc_iso("date"),
    _dt.time: _enc_iso("time"),
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
    if value is None or cls is bool or cls is int:
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
        fields = dict(value.__dict__)
        if value.__pydantic_extra__:
            fields.update(value.__pydantic_extra__)
        return {
            _TAG: "model",
            "c": path,
            "v": {k: encode(x, _safe=_safe) for k, x in fields.items()},
            "s": sorted(value.model_fields_set),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        path = _checked_class(value)
        return {
            _TAG: "dataclass",
            "c": path,
            "v": {
                f.name: encode(getattr(value, f.name), _safe=_safe)
                for f in dataclasses.fields(value)
            },
        }
    if isinstance(value, int):  # an int subclass that is not an Enum
        return int(value)
    for base in _BASES:
        if isinstance(value, base):
            return _ENCODERS[base](value, _safe)
    raise UnencodableValueError(value, "its type is outside the params value domain")


def dumps(value: Any) -> bytes:
    """Encode ``value`` as tagged JSON bytes, or raise ``UnencodableValueError``."""
    try:
        return pydantic_core.to_json(encode(value))
    except pydantic_core.PydanticSerializationError:
        pass
    # Rare: a str with a lone surrogate, which UTF-8 JSON cannot hold. Redo it carefully.
    try:
        return pydantic_core.to_json(encode(value, _safe=True))
    except pydantic_core.PydanticSerializationError as exc:
        raise UnencodableValueError(value, f"it holds text JSON cannot carry ({exc})") from None


# -- decoding ---------------------------------------------------------------------------


def _b64(payload: object) -> bytes:
    if not isinstance(payload, str):
        raise WireDecodeError(f"expected base64 text, got {type(payload).__name__}")
    return base64.b64decode(payload, validate=True)


def _as_list(payload: object) -> list[Any]:
    if not isinstance(payload, list):
        raise WireDecodeError(f"expected a JSON array, got {type(payload).__name__}")
    return [decode(x) for x in payload]  # pyright: ignore[reportUnknownVariableType]


def _as_str(payload: object) -> str:
    if not isinstance(payload, str):
        raise WireDecodeError(f"expected a JSON string, got {type(payload).__name__}")
    return payload


def _dec_float(p: object) -> float:
    text = _as_str(p)
    if text not in ("inf", "-inf", "nan"):
        raise WireDecodeError(f"bad float payload {text!r}")
    return float(text)


def _dec_dict(p: object) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for pair in _as_list(p):
        if not isinstance(pair, list) or len(pair) != 2:  # pyright: ignore[reportUnknownArgumentType]
            raise WireDecodeError("a tagged dict holds [key, value] pairs")
        out[pair[0]] = pair[1]
    return out


def _dec_class(obj: dict[str, Any], kind: type) -> type[Any]:
    cls = _lookup_class(obj.get("c"))
    if cls is None:
        raise WireDecodeError(
            f"class {obj.get('c')!r} is not loaded in this process; import its module "
            f"before reading values of it (classes are never imported from wire data)"
        )
    if kind is object:  # dataclass
        if not dataclasses.is_dataclass(cls):
            raise WireDecodeError(f"{obj.get('c')!r} is not a dataclass")
    elif not issubclass(cls, kind):
        raise WireDecodeError(f"{obj.get('c')!r} is not a {kind.__name__} subclass")
    return cls


def _fields(obj: dict[str, Any]) -> dict[str, Any]:
    payload = obj.get("v")
    if not isinstance(payload, dict):
        raise WireDecodeError("a tagged model/dataclass holds a JSON object of fields")
    return {str(k): decode(v) for k, v in payload.items()}  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]


def _dec_enum(obj: dict[str, Any]) -> Any:
    members: dict[str, Any] = dict(_dec_class(obj, enum.Enum).__members__)
    try:
        return members[_as_str(obj.get("v"))]
    except KeyError:
        raise WireDecodeError(f"{obj.get('c')!r} has no member {obj.get('v')!r}") from None


def _dec_model(obj: dict[str, Any]) -> Any:
    cls = _dec_class(obj, BaseModel)
    fields_set = obj.get("s")
    if not isinstance(fields_set, list):
        raise WireDecodeError("a tagged model lists its set fields under 's'")
    return cls.model_construct(
        {str(x) for x in fields_set},  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
        **_fields(obj),
    )


def _dec_dataclass(obj: dict[str, Any]) -> Any:
    cls = _dec_class(obj, object)
    values = _fields(obj)
    names = {f.name for f in dataclasses.fields(cls)}
    if set(values) != names:
        raise WireDecodeError(f"fields {sorted(values)} do not match {obj.get('c')!r}")
    instance: Any = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(instance, name, value)  # frozen dataclasses too
    return instance


_DECODERS: dict[str, Callable[[object], Any]] = {
    "tuple": lambda p: tuple(_as_list(p)),
    "set": lambda p: set(_as_list(p)),
    "frozenset": lambda p: frozenset(_as_list(p)),
    "bytes": _b64,
    "bytearray": lambda p: bytearray(_b64(p)),
    "float": _dec_float,
    "str": lambda p: _b64(p).decode("utf-8", "surrogatepass"),
    "datetime": lambda p: _dt.datetime.fromisoformat(_as_str(p)),
    "date": lambda p: _dt.date.fromisoformat(_as_str(p)),
    "time": lambda p: _dt.time.fromisoformat(_as_str(p)),
    "decimal": lambda p: Decimal(_as_str(p)),
    "uuid": lambda p: uuid.UUID(_as_str(p)),
    "dict": _dec_dict,
}
_CLASS_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "enum": _dec_enum,
    "model": _dec_model,
    "dataclass": _dec_dataclass,
}


def decode(tree: Any) -> Any:
    """Rebuild the value of a tagged JSON tree, or raise ``WireDecodeError``."""
    if type(tree) is list:
        return [decode(x) for x in tree]  # pyright: ignore[reportUnknownVariableType]
    if type(tree) is not dict:
        return tree
    obj = cast(dict[str, Any], tree)
    if _TAG not in obj:
        return {k: decode(v) for k, v in obj.items()}
    tag = obj[_TAG]
    if not isinstance(tag, str):
        raise WireDecodeError(f"a wire tag is a string, got {tag!r}")
    try:
        simple = _DECODERS.get(tag)
        if simple is not None:
            return simple(obj.get("v"))
        by_class = _CLASS_DECODERS.get(tag)
        if by_class is not None:
            return by_class(obj)
    except WireDecodeError:
        raise
    except (ValueError, TypeError, UnicodeError) as exc:
        raise WireDecodeError(f"bad {tag!r} payload: {exc}") from None
    raise WireDecodeError(f"unknown wire tag {tag!r}")


def loads(data: bytes | str) -> Any:
    """Decode tagged JSON bytes, or raise ``WireDecodeError`` (bad JSON included)."""
    try:
        tree = pydantic_core.from_json(data, allow_inf_nan=False)
    except ValueError as exc:
        raise WireDecodeError(f"not JSON: {exc}") from None
    return decode(tree)
