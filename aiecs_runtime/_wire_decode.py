"""Reading the tagged JSON of `_wire` back: data in, values out, no code chosen by data.

Every failure on foreign or hostile input (bad JSON, bad payloads, unknown tags, classes
not registered, nesting too deep) is one `WireDecodeError`; callers such as the Redis
cache turn it into a counted miss.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import re
import uuid
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, cast

import pydantic_core
from pydantic import BaseModel

from ._wire_classes import is_named_tuple, registered_class

__all__ = ["TAG", "WireDecodeError", "decode", "loads"]

TAG: Final = "$t"
_HEX: Final = re.compile(r"-?[0-9a-f]+")


class WireDecodeError(ValueError):
    """Raised when bytes or a JSON tree are not a valid wire encoding."""


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


def _dec_int(p: object) -> int:
    text = _as_str(p)
    if _HEX.fullmatch(text) is None:
        raise WireDecodeError("a tagged int is written in lower-case hex")
    return int(text, 16)  # base 16 has no digit limit, unlike base 10


def _dec_dict(p: object) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for pair in _as_list(p):
        if not isinstance(pair, list) or len(pair) != 2:  # pyright: ignore[reportUnknownArgumentType]
            raise WireDecodeError("a tagged dict holds [key, value] pairs")
        out[pair[0]] = pair[1]
    return out


def _clock(obj: dict[str, Any], parse: Callable[[str], Any]) -> Any:
    value = parse(_as_str(obj.get("v")))
    zone = obj.get("z")
    if zone is not None:
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(_as_str(zone)))
    fold = obj.get("f", 0)
    if fold not in (0, 1) or type(fold) is not int:
        raise WireDecodeError(f"a fold is 0 or 1, got {fold!r}")
    return value.replace(fold=fold) if fold else value


def _dec_class(obj: dict[str, Any], kind: type) -> type[Any]:
    cls = registered_class(obj.get("c"))
    if cls is None:
        raise WireDecodeError(
            f"class {obj.get('c')!r} is not registered in this process; call "
            "aiecs_runtime.register_wire_class(TheClass) before reading values of it "
            "(the wire never rebuilds a class the data names on its own)"
        )
    if kind is BaseException:
        if not issubclass(cls, BaseException):
            raise WireDecodeError(f"{obj.get('c')!r} is not an exception class")
    elif kind is tuple:  # named tuple
        if not is_named_tuple(cls):
            raise WireDecodeError(f"{obj.get('c')!r} is not a named tuple")
    elif kind is object:  # dataclass
        if not dataclasses.is_dataclass(cls):
            raise WireDecodeError(f"{obj.get('c')!r} is not a dataclass")
    elif not issubclass(cls, kind):
        raise WireDecodeError(f"{obj.get('c')!r} is not a {kind.__name__} subclass")
    return cls


def _fields(obj: dict[str, Any], allowed: frozenset[str] | None) -> dict[str, Any]:
    payload: Any = obj.get("v")
    if type(payload) is not dict:
        raise WireDecodeError("a tagged model/dataclass holds a JSON object of fields")
    out: dict[str, Any] = {}
    for key, value in payload.items():  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        public = type(key) is str and not key.startswith("_")  # pyright: ignore[reportUnknownArgumentType]
        if not public or (allowed is not None and key not in allowed):
            raise WireDecodeError(f"{obj.get('c')!r} declares no public field {key!r}")
        out[key] = decode(value)
    return out


def _dec_enum(obj: dict[str, Any]) -> Any:
    members: dict[str, Any] = dict(_dec_class(obj, enum.Enum).__members__)
    try:
        return members[_as_str(obj.get("v"))]
    except KeyError:
        raise WireDecodeError(f"{obj.get('c')!r} has no member {obj.get('v')!r}") from None


def _dec_model(obj: dict[str, Any]) -> Any:
    cls = cast("type[BaseModel]", _dec_class(obj, BaseModel))
    declared = cls.model_fields
    extra = cls.model_config.get("extra") == "allow"
    values = _fields(obj, None if extra else frozenset(declared))
    data: dict[str, Any] = {}
    for name, value in values.items():
        info = declared.get(name)
        alias = None if info is None else info.validation_alias or info.alias
        data[alias if isinstance(alias, str) else name] = value
    return cls.model_validate(data)  # the public constructor: validators, no private state


def _dec_dataclass(obj: dict[str, Any]) -> Any:
    cls = _dec_class(obj, object)
    init = frozenset(f.name for f in dataclasses.fields(cls) if f.init)
    return cls(**_fields(obj, init))


def _dec_exception(obj: dict[str, Any]) -> Any:
    cls = cast("type[BaseException]", _dec_class(obj, BaseException))
    args = tuple(_as_list(obj.get("v")))
    exc = cls.__new__(cls, *args)  # args only: no __init__ of the data's choosing runs
    raw: object = obj.get("a", {})
    if type(raw) is not dict:
        raise WireDecodeError("a tagged exception's attributes are a JSON object")
    attributes = cast("dict[object, object]", raw)
    for name, value in attributes.items():
        if type(name) is not str or not name.isidentifier() or name.startswith("_"):
            raise WireDecodeError(f"an exception attribute must be a public name, not {name!r}")
        vars(exc)[name] = decode(value)  # instance data only, never a descriptor or method
    return exc


def _dec_namedtuple(obj: dict[str, Any]) -> Any:
    cls = _dec_class(obj, tuple)
    names: tuple[str, ...] = getattr(cls, "_fields")  # noqa: B009 - not typed on tuple
    return cls(**_fields(obj, frozenset(names)))


_DECODERS: dict[str, Callable[[object], Any]] = {
    "tuple": lambda p: tuple(_as_list(p)),
    "set": lambda p: set(_as_list(p)),
    "frozenset": lambda p: frozenset(_as_list(p)),
    "bytes": _b64,
    "bytearray": lambda p: bytearray(_b64(p)),
    "int": _dec_int,
    "float": _dec_float,
    "str": lambda p: _b64(p).decode("utf-8", "surrogatepass"),
    "date": lambda p: _dt.date.fromisoformat(_as_str(p)),
    "decimal": lambda p: Decimal(_as_str(p)),
    "uuid": lambda p: uuid.UUID(_as_str(p)),
    "dict": _dec_dict,
}
_OBJECT_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "datetime": lambda obj: _clock(obj, _dt.datetime.fromisoformat),
    "time": lambda obj: _clock(obj, _dt.time.fromisoformat),
    "enum": _dec_enum,
    "model": _dec_model,
    "dataclass": _dec_dataclass,
    "namedtuple": _dec_namedtuple,
    "exception": _dec_exception,
}


def decode(tree: Any) -> Any:
    """Rebuild the value of a tagged JSON tree, or raise ``WireDecodeError``."""
    if type(tree) is list:
        return [decode(x) for x in tree]  # pyright: ignore[reportUnknownVariableType]
    if type(tree) is not dict:
        return tree
    obj = cast(dict[str, Any], tree)
    if TAG not in obj:
        return {k: decode(v) for k, v in obj.items()}
    tag = obj[TAG]
    if not isinstance(tag, str):
        raise WireDecodeError(f"a wire tag is a string, got {tag!r}")
    try:
        simple = _DECODERS.get(tag)
        if simple is not None:
            return simple(obj.get("v"))
        whole = _OBJECT_DECODERS.get(tag)
        if whole is not None:
            return whole(obj)
    except (WireDecodeError, RecursionError):
        raise
    except Exception as exc:  # bad payloads: Decimal's InvalidOperation, unhashable items...
        raise WireDecodeError(f"bad {tag!r} payload: {type(exc).__name__}: {exc}") from None
    raise WireDecodeError(f"unknown wire tag {tag!r}")


def loads(data: bytes | str) -> Any:
    """Decode tagged JSON bytes, or raise ``WireDecodeError`` (bad JSON included)."""
    try:
        tree = pydantic_core.from_json(data, allow_inf_nan=False)
    except ValueError as exc:
        raise WireDecodeError(f"not JSON: {exc}") from None
    try:
        return decode(tree)
    except RecursionError:
        raise WireDecodeError("the value nests too deeply to rebuild") from None
