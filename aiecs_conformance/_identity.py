"""What a cache key may depend on: the equivalence the contract allows keys to follow.

`identity` tags every value with its type (so ``1``, ``1.0``, ``True`` and ``"1"`` differ,
and two classes with equal fields differ) and folds only what the contract lets merge:
``0.0`` / ``-0.0``, ``Decimal("1.0")`` / ``Decimal("1.00")``, one instant in two time
zones, ``tuple`` / ``list``, ``set`` / ``frozenset``, and an ``IntEnum`` / ``StrEnum``
member with its value. Two values may share a key only when their identities are equal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Hashable
from typing import Any, cast

from pydantic import BaseModel

__all__ = ["class_path", "identity", "is_named_tuple", "must_differ", "untyped"]


def untyped(value: object) -> Any:
    # The values walked here are of many types; past an isinstance test their items are Any.
    return value


def class_path(value: object) -> str:
    """``module.qualname`` of the value's class: how the kit tells two classes apart."""
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_named_tuple(value: object) -> bool:
    return isinstance(value, tuple) and hasattr(type(cast("object", value)), "_fields")


def _decimal_identity(value: decimal.Decimal) -> Hashable:
    if value.is_nan():
        return ("decimal", "NaN")
    if value.is_infinite():
        return ("decimal", "inf", value.is_signed())
    if value.is_zero():
        return ("decimal", 0)
    sign, digits, exponent = value.as_tuple()
    kept = list(digits)
    exp = int(exponent)
    while kept and kept[-1] == 0:  # 1.0 and 1.00 are one value written twice
        kept.pop()
        exp += 1
    return ("decimal", sign, tuple(kept), exp)


def _instant(value: dt.datetime) -> Hashable:
    offset = value.utcoffset()
    assert offset is not None
    try:
        return ("datetime", "aware", value.replace(tzinfo=None) - offset)
    except OverflowError:
        return ("datetime", "aware", value.replace(tzinfo=None), offset)


def _time_identity(value: dt.time) -> Hashable:
    offset = value.utcoffset()
    micros = ((value.hour * 60 + value.minute) * 60 + value.second) * 10**6 + value.microsecond
    if offset is None:
        return ("time", micros)
    return ("time", "aware", micros - offset // dt.timedelta(microseconds=1))


def identity(value: object) -> Hashable:
    """What a key may depend on: equal identities may share a key, unequal ones must not."""
    if value is None:
        return ("none",)
    if isinstance(value, enum.Enum):
        if isinstance(value, (int, str)):  # an IntEnum / StrEnum member may share its value's key
            return identity(int(value) if isinstance(value, int) else str(value._value_))
        return ("enum", class_path(value), value.name)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", abs(value) if value == 0.0 else value)  # -0.0 and 0.0: one value
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, (bytes, bytearray)):
        return ("bytes", bytes(value))
    if isinstance(value, decimal.Decimal):
        return _decimal_identity(value)
    if isinstance(value, uuid.UUID):
        return ("uuid", value.int)
    if isinstance(value, dt.datetime):
        return _instant(value) if value.utcoffset() is not None else ("datetime", value)
    if isinstance(value, dt.date):
        return ("date", value)
    if isinstance(value, dt.time):
        return _time_identity(value)
    if is_named_tuple(value):
        items = cast("tuple[Any, ...]", value)
        return ("namedtuple", class_path(value), tuple(identity(v) for v in items))
    if isinstance(value, (list, tuple)):
        seq = cast("list[Any]", value)
        return ("seq", tuple(identity(v) for v in seq))
    if isinstance(value, dict):
        mapping: dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return ("dict", frozenset((identity(k), identity(v)) for k, v in mapping.items()))
    if isinstance(value, (set, frozenset)):
        members = cast("frozenset[Any]", value)
        return ("set", frozenset(identity(v) for v in members))
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        return ("model", class_path(value), tuple((n, identity(getattr(value, n))) for n in names))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return ("dataclass", class_path(value),
                tuple((f.name, identity(getattr(value, f.name))) for f in fields))  # fmt: skip
    return ("other", class_path(value), repr(value))


def must_differ(a: object, b: object) -> bool:
    """Whether the contract requires ``a`` and ``b`` (in the same place) to get two keys."""
    try:
        return identity(a) != identity(b)
    except Exception:  # a value outside the domain: no claim about it
        return False
