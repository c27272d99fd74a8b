"""Parameter validation from the op's signature: coercion, each bad field named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from aiecs_contracts import ErrorCode, ParameterValidationError
from aiecs_runtime import ToolExecutor


class Query(BaseModel):
    text: str
    limit: int = 10


class Tool:
    def typed(self, n: int, when: dt.date, ratio: float = 1.0, *, tags: list[str]) -> Any:
        return {"n": n, "when": when, "ratio": ratio, "tags": tags}

    def model(self, query: Query) -> Query:
        return query

    def loose(self, a, b=None):  # type: ignore[no-untyped-def]
        return (a, b)

    def anything(self, **params: Any) -> dict[str, Any]:
        return params

    def exact(self, s: str, b: bytes, d: Decimal) -> tuple[Any, ...]:
        return (s, b, d)


def test_values_are_coerced_to_the_annotations() -> None:
    out = ToolExecutor().execute(Tool(), "typed", n="3", when="2024-02-29", tags=("x", "y"))
    assert out == {"n": 3, "when": dt.date(2024, 2, 29), "ratio": 1.0, "tags": ["x", "y"]}
    query = ToolExecutor().execute(Tool(), "model", query={"text": "hi"})
    assert query == Query(text="hi", limit=10)


def test_values_already_of_the_type_pass_unchanged() -> None:
    s, b = "a; DROP TABLE t; --", b"\x00"
    out = ToolExecutor().execute(Tool(), "exact", s=s, b=b, d=Decimal("1.50"))
    assert out[0] is s and out[1] is b and str(out[2]) == "1.50"


def test_each_bad_field_is_named() -> None:
    with pytest.raises(ParameterValidationError) as info:
        ToolExecutor().execute(Tool(), "typed", n="three", when="not a date", extra=1)
    error = info.value
    fields = [name for name, _ in error.errors]
    assert sorted(fields) == ["extra", "n", "tags", "when"]
    reasons = dict(error.errors)
    assert reasons["tags"] == "required but missing"
    assert reasons["extra"] == "not a parameter of this operation"
    assert "integer" in reasons["n"]
    for name in fields:
        assert repr(name) in str(error)
    assert "Tool.typed" in str(error) and "accepted: n, ratio, tags, when" in str(error)
    assert isinstance(error, ValueError) and error.code == ErrorCode.VALIDATION_ERROR


def test_nested_model_errors_name_the_field() -> None:
    with pytest.raises(ParameterValidationError) as info:
        ToolExecutor().execute(Tool(), "model", query={"limit": "many"})
    ((name, why),) = info.value.errors
    assert name == "query" and "required" in why.lower()


def test_unannotated_and_var_keyword_ops_take_anything() -> None:
    weird = object()
    assert ToolExecutor().execute(Tool(), "loose", a=weird) == (weird, None)
    params = {"x": {1, 2}, "select": "SELECT * FROM t", "n": None}
    assert ToolExecutor().execute(Tool(), "anything", **params) == params
    with pytest.raises(ParameterValidationError, match="'a': required but missing"):
        ToolExecutor().execute(Tool(), "loose", b=1)


def test_validation_can_be_turned_off() -> None:
    assert ToolExecutor(validate=False).execute(Tool(), "model", query="raw") == "raw"


def test_validator_is_learnt_once_per_op() -> None:
    executor = ToolExecutor()
    a, b = Tool(), Tool()
    executor.execute(a, "typed", n=1, when=dt.date(2024, 1, 1), tags=[])
    executor.execute(b, "typed", n=2, when=dt.date(2024, 1, 1), tags=[])
    with pytest.raises(ParameterValidationError):
        executor.execute(b, "typed", n="x", when=dt.date(2024, 1, 1), tags=[])
    assert len(executor._shared.table.ops) == 1  # keyed by the function, shared by instances
