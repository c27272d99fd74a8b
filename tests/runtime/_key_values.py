"""Values shared by the key tests (importable by a fresh interpreter for cross-process runs)."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import enum
import typing
import uuid
from decimal import Decimal
from typing import Any

import pydantic


class Color(enum.Enum):
    RED = 1


class Shade(enum.Enum):
    RED = 1


class Level(enum.IntEnum):
    LOW = 1


class Mode(enum.StrEnum):
    FAST = "fast"


@dataclasses.dataclass
class Point:
    x: int
    y: str = "a"


@dataclasses.dataclass
class Spot:
    x: int
    y: str = "a"


class Model(pydantic.BaseModel):
    a: int
    b: list[int]


class Other(pydantic.BaseModel):
    a: int
    b: list[int]


class Secret(pydantic.BaseModel):
    a: int
    _token: str = "none"


class Open(pydantic.BaseModel, extra="allow"):
    a: int


class Perm(enum.IntFlag):
    R = 4
    W = 2


def secret(a: int, token: str) -> Secret:
    """A Secret whose private attribute is ``token``."""
    made = Secret(a=a)
    made._token = token  # pyright: ignore[reportPrivateUsage]
    return made


def open_model(a: int, extra: dict[str, Any]) -> Open:
    """An Open model with extra fields."""
    return Open.model_validate({**extra, "a": a})


Pair = collections.namedtuple("Pair", "a b")  # pyright: ignore[reportUntypedNamedTuple]
Couple = collections.namedtuple("Couple", "a b")  # pyright: ignore[reportUntypedNamedTuple]


class Typed(typing.NamedTuple):
    a: int
    b: int


def make_model(kind: type[Any]) -> type[pydantic.BaseModel]:
    """A factory: every class it makes has the qualname ``make_model.<locals>.Row``."""

    class Row(pydantic.BaseModel):
        value: kind  # type: ignore[valid-type]

    return Row


def make_labelled(kind: str) -> type[pydantic.BaseModel]:
    """A factory whose argument changes no field, only what a method returns."""

    class Labelled(pydantic.BaseModel):
        value: int

        def label(self) -> str:
            return kind

    return Labelled


def make_tagged(tag: str) -> type[Any]:
    """A factory whose argument is a class constant of a dataclass."""

    @dataclasses.dataclass
    class Tagged:
        value: int
        TAG: typing.ClassVar[str] = tag

    return Tagged


TZ = dt.timezone(dt.timedelta(hours=2))

RICH: dict[str, Any] = {
    "s": {3, 1, "x"},
    "strs": {"b", "a", "c"},
    "fs": frozenset({b"a", b"b"}),
    "dt": dt.datetime(2020, 1, 1, 12, 0),
    "aware": dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.UTC),
    "plus2": dt.datetime(2020, 1, 1, 12, 0, tzinfo=TZ),
    "d": dt.date(2020, 1, 1),
    "t": dt.time(1, 2),
    "taware": dt.time(1, 2, tzinfo=TZ),
    "m": Decimal("1.10"),
    "nan": Decimal("NaN"),
    "inf": Decimal("-Infinity"),
    "negzero": Decimal("-0"),
    "u": uuid.UUID(int=5),
    "e": Color.RED,
    "ie": Level.LOW,
    "se": Mode.FAST,
    "dc": Point(1),
    "nt": Pair(1, 2),
    "tnt": Typed(1, 2),
    "model": Model(a=1, b=[2]),
    "secret": Secret(a=1),
    "labelled": make_labelled("a")(value=1),
    "tagged": make_tagged("t")(value=1),
    "b": b"\xff\x00",
    "n": None,
    "big": 10**5000,
    "negbig": -(2**64),
    "u64": 2**64 - 1,
    "nested": [[1, (2, 3)], {"k": {"z": 1.5, "nan": float("nan"), "inf": float("-inf")}}],
    "text": "'; DROP TABLE x; -- SELECT \x00",
}

# Inputs the single msgpack call refuses: they take the token encoder.
FALLBACK: dict[str, Any] = {
    "int_keys": {1: "a", "b": 2, (1, 2): None},
    "surrogate": "\ud800",
}


def nested(depth: int) -> list[Any]:
    """A list nested ``depth`` levels deep (msgpack's limit is 254)."""
    value: list[Any] = [1]
    for _ in range(depth):
        value = [value]
    return value


FALLBACK["deep"] = nested(260)
