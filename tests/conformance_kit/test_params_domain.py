"""The params value domain: every type CONTRACTS.md names is generated, and rebuilds from source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from aiecs_conformance import strategies
from aiecs_conformance._inputs import first_difference
from aiecs_conformance._values import Level, Mode, from_source, to_source


def _walk(value: Any) -> list[Any]:
    out: list[Any] = [value]
    if isinstance(value, dict):
        for k, v in value.items():  # pyright: ignore[reportUnknownVariableType]
            out += [k, *_walk(v)]
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:  # pyright: ignore[reportUnknownVariableType]
            out += _walk(v)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            out += _walk(getattr(value, name))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            out += _walk(getattr(value, f.name))
    return out


def _aware(v: Any) -> bool:
    return isinstance(v, (dt.datetime, dt.time)) and v.utcoffset() is not None


KINDS: dict[str, Callable[[Any], bool]] = {
    "None": lambda v: v is None,
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: type(v) is int,
    "int past 64 bits": lambda v: type(v) is int and abs(v) >= 2**64,
    "float": lambda v: isinstance(v, float),
    "str with NUL or quotes": lambda v: isinstance(v, str) and any(c in v for c in "\x00'\""),
    "str of 1,000+ characters": lambda v: isinstance(v, str) and len(v) >= 1000,
    "non-ASCII str": lambda v: isinstance(v, str) and not v.isascii(),
    "bytes": lambda v: isinstance(v, bytes),
    "list": lambda v: isinstance(v, list),
    "tuple": lambda v: type(v) is tuple,
    "dict": lambda v: isinstance(v, dict),
    "set": lambda v: type(v) is set,
    "frozenset": lambda v: isinstance(v, frozenset),
    "naive datetime": lambda v: isinstance(v, dt.datetime) and v.tzinfo is None,
    "aware datetime": lambda v: isinstance(v, dt.datetime) and _aware(v),
    "date": lambda v: type(v) is dt.date,
    "naive time": lambda v: isinstance(v, dt.time) and v.tzinfo is None,
    "aware time": lambda v: isinstance(v, dt.time) and _aware(v),
    "Decimal NaN": lambda v: isinstance(v, decimal.Decimal) and v.is_nan(),
    "Decimal Infinity": lambda v: isinstance(v, decimal.Decimal) and v.is_infinite(),
    "Decimal -0": lambda v: isinstance(v, decimal.Decimal) and v.is_zero() and v.is_signed(),
    "finite Decimal": lambda v: isinstance(v, decimal.Decimal) and v.is_finite(),
    "UUID": lambda v: isinstance(v, uuid.UUID),
    "Enum member": lambda v: isinstance(v, enum.Enum) and not isinstance(v, (int, str)),
    "IntEnum member": lambda v: isinstance(v, Level),
    "StrEnum member": lambda v: isinstance(v, Mode),
    "pydantic model": lambda v: isinstance(v, BaseModel),
    "dataclass": lambda v: dataclasses.is_dataclass(v) and not isinstance(v, type),
    "named tuple": lambda v: isinstance(v, tuple) and hasattr(type(v), "_fields"),  # pyright: ignore[reportUnknownArgumentType]
    "a value 4 levels deep": lambda v: False,  # counted by depth below
}


def _depth(value: Any) -> int:
    inner = [v for v in _walk(value)[1:] if v is not value]
    if isinstance(value, (dict, list, tuple, set, frozenset, BaseModel)) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        children = _walk(value)[1:]
        return 1 + max((_depth(c) for c in children), default=0) if inner else 1
    return 0


def test_every_type_of_the_domain_is_generated() -> None:
    """Within a few hundred draws of params_values(), every kind named by CONTRACTS.md shows."""
    seen: set[str] = set()

    @settings(max_examples=600, deadline=None, database=None)
    @given(strategies.params_values(4))
    def draw(value: Any) -> None:
        for leaf in _walk(value):
            seen.update(name for name, test in KINDS.items() if test(leaf))
        if _depth(value) >= 4:
            seen.add("a value 4 levels deep")

    draw()
    assert set(KINDS) - seen == set()


@pytest.mark.parametrize(
    "value",
    [
        10**5000 + 1,
        -(10**4400),
        decimal.Decimal("NaN"),
        decimal.Decimal("-0"),
        dt.time(1, 2, tzinfo=dt.timezone(dt.timedelta(hours=-9, minutes=-30))),
        {"a": [Level.LOW, Mode.READ, frozenset({1, 9})]},
    ],
    ids=["huge-int", "huge-negative", "nan", "minus-zero", "aware-time", "nested"],
)
def test_extremes_rebuild_from_source(value: Any) -> None:
    assert first_difference(value, from_source(to_source(value))) is None


@settings(max_examples=40, deadline=None, database=None)
@given(st.data())
def test_params_values_keeps_its_signature(data: st.DataObject) -> None:
    """``params_values(max_depth)`` stays public, callable without arguments, short in repr."""
    assert len(repr(strategies.params_values(5))) < 20_000
    data.draw(strategies.params_values())
    data.draw(strategies.params_values(0))
