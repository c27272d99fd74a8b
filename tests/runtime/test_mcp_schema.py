"""Tools out, in process: schemas from signatures, JSON results, MCP names."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from aiecs_runtime import ToolRegistry
from aiecs_runtime.mcp import NotJSONError, input_schema, json_value, served_names


class Inner(BaseModel):
    n: int


class Outer(BaseModel):
    inner: Inner


class Colour(enum.Enum):
    RED = "red"


class Opaque:
    pass


def test_schema_of_a_rich_signature() -> None:
    def op(
        pos_only: int,
        /,
        name: str,
        count: int = 2,
        ratio: float | None = None,
        mode: Literal["a", "b"] = "a",
        tags: list[str] | None = None,
        meta: dict[str, int] | None = None,
        when: datetime.datetime | None = None,
        colour: Colour = Colour.RED,
        outer: Outer | None = None,
        inner: Inner | None = None,
        thing: Opaque | None = None,
        untyped: Any = None,
        *,
        flag: Annotated[bool, Field(description="Be loud.")] = False,
        **extra: Any,
    ) -> None: ...

    schema = input_schema(op)
    assert schema["type"] == "object"
    assert "additionalProperties" not in schema  # **extra: extra properties allowed
    assert schema["required"] == ["name"]
    props = schema["properties"]
    assert "pos_only" not in props  # the executor passes params by keyword
    assert props["name"] == {"type": "string"}
    assert props["count"] == {"type": "integer", "default": 2}
    assert props["ratio"] == {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None}
    assert props["mode"] == {"enum": ["a", "b"], "type": "string", "default": "a"}
    assert props["tags"]["anyOf"][0] == {"items": {"type": "string"}, "type": "array"}
    assert props["meta"]["anyOf"][0] == {
        "additionalProperties": {"type": "integer"},
        "type": "object",
    }
    assert props["when"]["anyOf"][0] == {"format": "date-time", "type": "string"}
    # An enum's default in its JSON form, as a client sends it.
    assert props["colour"] == {
        "enum": ["red"],
        "title": "Colour",
        "type": "string",
        "default": "red",
    }
    assert props["outer"]["anyOf"][0] == {"$ref": "#/$defs/Outer"}
    assert props["inner"]["anyOf"][0] == {"$ref": "#/$defs/Inner"}
    assert props["thing"] == {"default": None}  # no schema for Opaque: no constraint
    assert props["untyped"] == {"default": None}
    assert props["flag"] == {"type": "boolean", "description": "Be loud.", "default": False}
    # The models' definitions, merged at the root where the "$ref"s point.
    assert sorted(schema["$defs"]) == ["Inner", "Outer"]
    assert schema["$defs"]["Outer"]["properties"]["inner"] == {"$ref": "#/$defs/Inner"}


def test_schema_without_kwargs_closes_the_object() -> None:
    def op(a: int) -> int:
        return a

    assert input_schema(op) == {
        "type": "object",
        "properties": {"a": {"type": "integer"}},
        "required": ["a"],
        "additionalProperties": False,
    }


class A:
    class Point(BaseModel):
        x: int


class B:
    class Point(BaseModel):  # the same name, another model
        x: str


def test_two_models_of_one_name_leave_the_second_unconstrained() -> None:
    def op(a: list[A.Point], b: list[B.Point]) -> None: ...

    schema = input_schema(op)
    assert schema["properties"]["a"] == {"items": {"$ref": "#/$defs/Point"}, "type": "array"}
    assert schema["properties"]["b"] == {}  # a shared "$ref" would be wrong for it
    assert schema["$defs"]["Point"]["properties"]["x"]["type"] == "integer"


@dataclasses.dataclass
class Pair:
    a: int
    b: str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": [1, None, "x"]}, {"a": [1, None, "x"]}),
        ((1, 2), (1, 2)),  # JSON as it is (a list on the wire)
        (frozenset({3}), [3]),
        (datetime.date(2026, 1, 2), "2026-01-02"),
        (decimal.Decimal("1.5"), "1.5"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (Colour.RED, "red"),
        (Inner(n=1), {"n": 1}),
        (Pair(1, "x"), {"a": 1, "b": "x"}),
        (b"text", "text"),
    ],
)
def test_json_value(value: object, expected: object) -> None:
    assert json_value(value) == expected


@pytest.mark.parametrize(
    ("value", "named"), [(Opaque(), "Opaque"), (float("nan"), "float"), (b"\xff", "bytes")]
)
def test_no_json_form_is_named(value: object, named: str) -> None:
    with pytest.raises(NotJSONError, match=named):
        json_value(value)


class _C:
    def c(self) -> None: ...


class _BC:
    def b_c(self) -> None: ...

    def _hidden(self) -> None: ...


def test_served_names() -> None:
    names = served_names(ToolRegistry({"x": _BC(), "bad name": _C(), "ü": _C()}))
    assert names.ops == {"x_b_c": ("x", "b_c")}
    assert names.skipped == ("bad name", "ü")


def test_two_pairs_joining_to_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match=r"'a_b_c': both a\.b_c and a_b\.c join to it"):
        served_names(ToolRegistry({"a_b": _C(), "a": _BC()}))
