"""Sample classes of the params value domain, and writing values back as source code.

The classes live at module level under a fixed import path so that a fresh interpreter
(`cache.key.stable_across_processes`) rebuilds exactly the same objects from source code,
without pickling.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import uuid
from typing import Any, cast

from pydantic import BaseModel, ConfigDict

__all__ = ["Color", "SampleModel", "SampleRecord", "from_source", "to_source"]


class Color(enum.Enum):
    """An enum whose members appear in generated params."""

    RED = "red"
    GREEN = "green"
    BLUE = 3


class SampleModel(BaseModel):
    """A pydantic model whose instances appear in generated params."""

    model_config = ConfigDict(frozen=True)

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class SampleRecord:
    """A frozen dataclass whose instances appear in generated params."""

    x: int
    label: str = ""


_NAMESPACE: dict[str, Any] = {
    "datetime": datetime,
    "Decimal": decimal.Decimal,
    "UUID": uuid.UUID,
    "Color": Color,
    "SampleModel": SampleModel,
    "SampleRecord": SampleRecord,
    "frozenset": frozenset,
    "set": set,
}


def to_source(value: object) -> str:
    """Write a params value as Python source that `from_source` rebuilds into an equal value."""
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return repr(value)
    if isinstance(value, float):
        return f"float({repr(value)!r})"  # float('inf') style keeps -0.0 and big exponents
    if isinstance(value, decimal.Decimal):
        return f"Decimal({str(value)!r})"
    if isinstance(value, uuid.UUID):
        return f"UUID({str(value)!r})"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return repr(value)  # datetime.datetime(...), with datetime.timezone(...) when aware
    if isinstance(value, Color):
        return f"Color.{value.name}"
    if isinstance(value, SampleModel):
        return (
            f"SampleModel(name={value.name!r}, count={value.count!r}, tags={to_source(value.tags)})"
        )
    if isinstance(value, SampleRecord):
        return f"SampleRecord(x={value.x!r}, label={value.label!r})"
    if isinstance(value, list):
        listed: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return "[" + ", ".join(to_source(v) for v in listed) + "]"
    if isinstance(value, tuple):
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
