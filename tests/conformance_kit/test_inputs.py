"""Rule (1) as one mechanism: snapshots, the first difference, attribution to the id."""

from __future__ import annotations

import dataclasses
import decimal

import pytest

from aiecs_conformance._context import CheckFailure, Context
from aiecs_conformance._inputs import InputChanged, first_difference
from aiecs_conformance._report import CheckResult
from aiecs_conformance._runner import attribute


def _ctx(contract: str) -> Context:
    return Context(contract=contract, factory=dict, args=(), seed=1, max_examples=1)


@dataclasses.dataclass
class _Box:
    items: list[int]


def test_unchanged_inputs_pass_and_before_is_a_copy() -> None:
    ops = [{"operation": "t.echo", "params": {"x": [1, 2]}}]
    watch = _ctx("operation-executor").watch("batch_execute_operations(ops)", ops=ops)
    assert watch.before["ops"] == ops and watch.before["ops"] is not ops
    watch.verify()


@pytest.mark.parametrize(
    ("before", "mutate", "where"),
    [
        ({"params": {"a": 1}}, lambda v: v["params"].pop("a"), "['params']['a'] was removed"),
        ({"p": [1, 2]}, lambda v: v["p"].append(3), "['p'] has 3 items instead of 2"),
        ({"s": {1}}, lambda v: v["s"].add(2), "['s'] is now {1, 2}"),
        ({"b": _Box([1])}, lambda v: v["b"].items.clear(), "['b'].items has 0 items"),
        ({"k": 1}, lambda v: v.update(k=True), "['k'] became bool True"),
    ],
)
def test_a_change_names_the_path_and_is_attributed(before, mutate, where) -> None:  # type: ignore[no-untyped-def]
    watch = _ctx("tool-executor").watch("execute(tool, 'echo', **p)", p=before)
    mutate(before)
    with pytest.raises(InputChanged) as info:
        watch.verify()
    assert where in str(info.value)
    assert info.value.check_id == "executor.inputs.unchanged"
    assert isinstance(info.value, CheckFailure)


def test_nan_compares_by_repr() -> None:
    nan = decimal.Decimal("NaN")
    assert first_difference({"d": nan}, {"d": decimal.Decimal("NaN")}) is None
    assert first_difference(float("nan"), float("nan")) is None
    assert first_difference(nan, decimal.Decimal("sNaN")) is not None


def test_runner_fails_the_owning_id_too() -> None:
    seen = CheckResult(
        "operations.batch.shape", "operation-executor", "must", "skipped", "changed ops",
        "ops before the call: []", attributed_to="operations.inputs.unchanged",
    )  # fmt: skip
    owner = CheckResult("operations.inputs.unchanged", "operation-executor", "must", "passed")
    other = CheckResult("operations.empty", "operation-executor", "must", "passed")
    out = attribute([seen, owner, other])
    assert out[1].outcome == "failed"
    assert out[1].message == "seen by operations.batch.shape: changed ops"
    assert out[2] == other and out[0] == seen
