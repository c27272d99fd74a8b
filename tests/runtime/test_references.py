"""``$result[i].path`` references in sequence params."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import BaseModel

from aiecs_contracts import ErrorCode, ParameterValidationError
from aiecs_runtime import OperationExecutor, resolve_references

from ._support import run_async


class Page(BaseModel):
    title: str
    tags: list[str]


@dataclasses.dataclass
class Hit:
    url: str
    _token: str = "secret"


RESULTS: list[Any] = [
    "first",
    {"data": {"items": ["a", "b"], "count": 2}, "7": "seven"},
    Page(title="t", tags=["x", "y"]),
    [Hit("u0"), Hit("u1")],
    None,
]
OK = [True, True, True, True, False]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("$result[0]", "first"),
        ("$result[1].data.items.0", "a"),
        ("$result[1].data.items.1", "b"),
        ("$result[1].data.count", 2),
        ("$result[1].7", "seven"),
        ("$result[2].title", "t"),
        ("$result[2].tags.1", "y"),
        ("$result[3].1.url", "u1"),
    ],
)
def test_references_resolve(reference: str, expected: Any) -> None:
    assert resolve_references(reference, RESULTS, OK) == expected


def test_references_resolve_inside_nested_params_and_keep_the_object() -> None:
    params = {"a": ["$result[0]", {"b": "$result[1].data"}], "n": 3, "s": "plain $result"}
    out = resolve_references(params, RESULTS, OK)
    assert out == {"a": ["first", {"b": RESULTS[1]["data"]}], "n": 3, "s": "plain $result"}
    assert out["a"][1]["b"] is RESULTS[1]["data"]  # the earlier result itself, not a copy
    assert resolve_references("$$result[0]", RESULTS, OK) == "$result[0]"


@pytest.mark.parametrize(
    ("reference", "why"),
    [
        ("$result", "malformed"),
        ("$result[x]", "malformed"),
        ("$result[0]..a", "malformed"),
        ("$result[-1]", "malformed"),
        ("$result[0] ", "malformed"),
        ("$result[9]", "step 9 has not run yet (5 earlier steps)"),
        ("$result[4]", "step 4 failed, so it has no result"),
        ("$result[1].data.missing", "no key 'missing'"),
        ("$result[1].data.items.5", "index 5 is out of range (length 2)"),
        ("$result[3].0._token", "has no key, index or declared field '_token'"),
        ("$result[2].__class__", "has no key, index or declared field '__class__'"),
    ],
)
def test_bad_references_are_named(reference: str, why: str) -> None:
    with pytest.raises(ParameterValidationError) as info:
        resolve_references({"p": reference}, RESULTS, OK)
    assert repr(reference) in str(info.value)
    assert why in str(info.value)
    assert info.value.errors == ((reference, info.value.errors[0][1]),)
    assert why in info.value.errors[0][1]


class Store:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def put(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        return {"data": {"items": [params.get("v"), "second"]}}


@run_async
async def test_a_bad_reference_fails_its_step_with_validation_error_and_calls_nothing() -> None:
    store = Store()
    ops = OperationExecutor({"s": store})
    steps = await ops.execute_operations_sequence(
        [
            {"operation": "s.put", "params": {"v": 1}},
            {"operation": "s.put", "params": {"v": "$result[0].data.items.1"}},
            {"operation": "s.put", "params": {"v": "$result[1].data.nope"}},
            {"operation": "s.put", "params": {"v": "$result[2]"}},
        ],
        "u",
        "t",
    )
    assert [s.completed for s in steps] == [True, True, False, False]
    assert store.calls == [{"v": 1}, {"v": "second"}]  # the raw strings were never passed on
    for step, ref in [(steps[2], "$result[1].data.nope"), (steps[3], "$result[2]")]:
        assert step.error_code == ErrorCode.VALIDATION_ERROR
        assert repr(ref) in (step.error_message or "")
    assert "failed, so it has no result" in (steps[3].error_message or "")
