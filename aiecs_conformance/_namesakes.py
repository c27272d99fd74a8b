"""Namesakes of the sample classes: the same name and qualified name, another module.

``Point`` here and ``Point`` in `_values` have equal fields, the same ``__name__`` and
``__qualname__``; only ``__module__`` tells them apart. A cache key built from a class's
``__name__`` (or its ``__qualname__`` alone) gives their instances one key, which
``cache.key.distinct`` forbids: instances of two different classes with equal fields must
differ. Twins with other names (`_values.TwinPoint`) cannot show that mistake.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

__all__ = ["Color", "Envelope", "Point", "SampleModel", "SampleRecord"]


class Color(enum.Enum):
    """`_values.Color`'s namesake."""

    RED = "red"
    GREEN = "green"
    BLUE = 3


class SampleModel(BaseModel):
    """`_values.SampleModel`'s namesake."""

    model_config = ConfigDict(frozen=True, strict=True)

    name: str
    count: int = 0
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class SampleRecord:
    """`_values.SampleRecord`'s namesake."""

    x: int
    label: str = ""


@dataclasses.dataclass
class Envelope:
    """`_values.Envelope`'s namesake."""

    body: Any = None


class Point(NamedTuple):
    """`_values.Point`'s namesake."""

    x: Any
    y: Any
