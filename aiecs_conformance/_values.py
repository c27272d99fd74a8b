"""Sample classes of the params value domain, and writing values back as source code.

The classes live at module level under a fixed import path so that a fresh interpreter
(`cache.key.stable_across_processes`) rebuilds exactly the same objects from source code,
without pickling. Most come in *twins*: two classes with the same fields (or the same
members), whose instances look alike but must never share a cache key.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import uuid
from typing import Any, NamedTuple, cast

from pydantic import BaseModel, ConfigDict

from . import _namesakes

__all__ = [
    "ENUMS",
    "MODELS",
    "NAMED_TUPLES",
    "NAMESAKES",
    "RECORDS",
    "TWINS",
    "Color",
    "Envelope",
    "Hue",
    "Level",
    "Mode",
    "Parcel",
    "Point",
    "SampleModel",
    "SampleRecord",
    "TwinModel",
    "TwinPoint",
    "TwinRecord",
    "from_source",
    "to_source",
]


class Color(enum.Enum):
    """An enum whose members appear in generated params."""

    RED = "red"
    GREEN = "green"
    BLUE = 3


class Hue(enum.Enum):
    """`Color`'s twin: the same names and values, another class."""

    RED = "red"
    GREEN = "green"
    BLUE = 3


class Level(enum.IntEnum):
    """An `IntEnum`: its members compare equal to their int values."""

    LOW = 1
    HIGH = 2


class Mode(enum.StrEnum):
    """A `StrEnum`: its members compare equal to their str values."""

    READ = "read"
    WRITE = "write"


class SampleModel(BaseModel):
    """A pydantic model whose instances appear in generated params."""

    model_config = ConfigDict(frozen=True, strict=True)

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()


class TwinModel(BaseModel):
    """`SampleModel`'s twin: the same fields, another class."""

    model_config = ConfigDict(frozen=True, strict=True)

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class SampleRecord:
    """A frozen (hashable) dataclass whose instances appear in generated params."""

    x: int
    label: str = ""


@dataclasses.dataclass(frozen=True)
class TwinRecord:
    """`SampleRecord`'s twin: the same fields, another class."""

    x: int
    label: str = ""


@dataclasses.dataclass
class Envelope:
    """A mutable dataclass holding any params value (nesting through an object)."""

    body: Any = None


@dataclasses.dataclass
class Parcel:
    """`Envelope`'s twin."""

    body: Any = None


class Point(NamedTuple):
    """A named tuple of any two params values."""

    x: Any
    y: Any


class TwinPoint(NamedTuple):
    """`Point`'s twin: equal to a `Point` under ``==`` (tuples), yet another class."""

    x: Any
    y: Any


ENUMS: tuple[type[enum.Enum], ...] = (Color, Hue, Level, Mode)
MODELS: tuple[type[BaseModel], ...] = (SampleModel, TwinModel)
RECORDS: tuple[type[Any], ...] = (SampleRecord, TwinRecord, Envelope, Parcel)
NAMED_TUPLES: tuple[type[tuple[Any, ...]], ...] = (Point, TwinPoint)

TWINS: dict[type[Any], type[Any]] = {
    Color: Hue,
    Hue: Color,
    SampleModel: TwinModel,
    TwinModel: SampleModel,
    SampleRecord: TwinRecord,
    TwinRecord: SampleRecord,
    Envelope: Parcel,
    Parcel: Envelope,
    Point: TwinPoint,
    TwinPoint: Point,
}
"""Each sample class and its twin (same fields or members, another class)."""

NAMESAKES: dict[type[Any], type[Any]] = {
    Color: _namesakes.Color,
    SampleModel: _namesakes.SampleModel,
    SampleRecord: _namesakes.SampleRecord,
    Envelope: _namesakes.Envelope,
    Point: _namesakes.Point,
}
"""Sample classes and their namesakes: same name and qualname, another module."""

_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (*ENUMS, *MODELS, *RECORDS, *NAMED_TUPLES)
}

#: How `to_source` names each sample class (by identity: namesakes share a name).
_SOURCE_NAMES: dict[type[Any], str] = {
    **{cls: name for name, cls in _CLASSES.items()},
    **{ns: f"namesakes.{ns.__name__}" for ns in NAMESAKES.values()},
}

_NAMESPACE: dict[str, Any] = {
    "datetime": datetime,
    "Decimal": decimal.Decimal,
    "UUID": uuid.UUID,
    "frozenset": frozenset,
    "set": set,
    "namesakes": _namesakes,
    **_CLASSES,
}


def _int_source(value: int) -> str:
    # repr() of an int past 4,300 digits raises ValueError; hex has no such limit.
    return repr(value) if abs(value) < 10**1000 else hex(value)


def _fields_source(value: object, names: list[str]) -> str:
    args = ", ".join(f"{n}={to_source(getattr(value, n))}" for n in names)
    return f"{_SOURCE_NAMES[type(value)]}({args})"


def to_source(value: object) -> str:
    """Write a params value as Python source that `from_source` rebuilds into an equal value."""
    if isinstance(value, enum.Enum) and type(value) in _SOURCE_NAMES:
        return f"{_SOURCE_NAMES[type(value)]}.{value.name}"
    if value is None or isinstance(value, (bool, str, bytes)):
        return repr(value)
    if isinstance(value, int):
        return _int_source(value)
    if isinstance(value, float):
        return f"float({repr(value)!r})"  # float('inf') style keeps -0.0 and big exponents
    if isinstance(value, decimal.Decimal):
        return f"Decimal({str(value)!r})"  # str keeps NaN, -0, Infinity and the exponent
    if isinstance(value, uuid.UUID):
        return f"UUID({str(value)!r})"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return repr(value)  # datetime.datetime(...), with datetime.timezone(...) when aware
    sample: Any = value  # one of the sample classes, when its class name is one of ours
    if type(sample) in _SOURCE_NAMES:
        if isinstance(sample, BaseModel):
            return _fields_source(sample, list(type(sample).model_fields))
        if dataclasses.is_dataclass(sample):
            return _fields_source(sample, [f.name for f in dataclasses.fields(sample)])
        return _fields_source(sample, list(sample._fields))
    if isinstance(value, list):
        listed: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return "[" + ", ".join(to_source(v) for v in listed) + "]"
    if type(value) is tuple:
        tupled: tuple[Any, ...] = value  # pyright: ignore[reportUnknownVariableType]
        items = [to_source(v) for v in tupled]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, dict):
        mapping: dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        pairs = [f"{to_source(k)}: {to_source(v)}" for k, v in mapping.items()]
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, (set, frozenset)):
        kind = "frozenset" if isinstance(value, frozenset) else "set"
        members = cast("frozenset[Any]", value)
        return f"{kind}([" + ", ".join(to_source(v) for v in members) + "])"
    raise TypeError(
        f"cannot write {type(value).__name__} {value!r} as source; only params values "
        f"built by aiecs_conformance.strategies can be"
    )


def from_source(source: str) -> Any:
    """Rebuild a value written by `to_source`."""
    return eval(source, {"__builtins__": {"float": float}}, dict(_NAMESPACE))
