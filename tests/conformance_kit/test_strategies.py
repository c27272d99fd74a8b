"""Public strategies: registered for st.from_type, valid/malformed specs, source round-trip."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiecs_conformance import strategies
from aiecs_conformance._inputs import first_difference
from aiecs_conformance._values import from_source, to_source
from aiecs_models import OperationSpec, TaskSpec, TaskStepResult, split_operation


@settings(max_examples=30, deadline=None)
@given(st.from_type(TaskStepResult), st.from_type(OperationSpec), st.from_type(TaskSpec))
def test_registered_for_from_type(r: TaskStepResult, o: OperationSpec, t: TaskSpec) -> None:
    assert TaskStepResult.model_validate(r, from_attributes=True) == r
    split_operation(o.operation)
    assert t.task_name


@settings(max_examples=30, deadline=None)
@given(strategies.operation_specs(valid=False))
def test_malformed_specs_are_refused_by_the_model(spec: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        split_operation(spec["operation"])


@settings(max_examples=50, deadline=None)
@given(strategies.params_values())
def test_values_round_trip_through_source(value: Any) -> None:
    # Type-strict, and NaN compared by repr: the fresh interpreter must rebuild the value.
    assert first_difference(value, from_source(to_source(value))) is None
