"""Public hypothesis strategies for the params value domain and every model.

Importing this module registers them for ``st.from_type(TaskStepResult)``,
``st.from_type(OperationSpec)`` and ``st.from_type(TaskSpec)``.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from hypothesis import strategies as st

from aiecs_models import ErrorCode, OperationSpec, TaskSpec, TaskStatus, TaskStepResult

from ._values import Color, SampleModel, SampleRecord

__all__ = [
    "FAILURE_CLASSES",
    "FALSY_RESULTS",
    "MALFORMED_OPERATIONS",
    "OP_SHAPES",
    "failure_classes",
    "identifiers",
    "op_failures",
    "op_names",
    "op_results",
    "op_shapes",
    "operation_spec_models",
    "operation_specs",
    "params",
    "params_values",
    "probe_ops",
    "probe_tools",
    "task_specs",
    "task_step_results",
]

# The malformed specs CONTRACTS.md names, plus non-str values.
MALFORMED_OPERATIONS: tuple[object, ...] = (
    "",
    "t",
    ".op",
    "t.",
    "t._x",
    "t.__class__",
    "t.op()",
    "t.echo.extra",
    "t. echo",
    None,
    1,
    b"t.echo",
    ("t", "echo"),
)

_NASTY_TEXT = ("", ";", "--", "' OR 1=1; --", "SELECT * FROM t; DROP TABLE t", "\x00", "é", "\n")

_ZONES: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        datetime.UTC,
        datetime.timezone(datetime.timedelta(hours=2)),
        datetime.timezone(datetime.timedelta(hours=-5, minutes=-30)),
    ]
)


def identifiers() -> st.SearchStrategy[str]:
    """Python identifiers usable as keyword names (no leading underscore)."""
    return st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def _texts() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_NASTY_TEXT), st.text(max_size=12))


@functools.cache
def _hashables() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        _texts(),
        st.binary(max_size=8),
        st.decimals(allow_nan=False, allow_infinity=False, places=3),
        st.dates(),
        st.uuids(),
        st.sampled_from(Color),
        st.builds(SampleRecord, x=st.integers(-100, 100), label=st.text(max_size=4)),
    )


@functools.cache
def _leaves() -> st.SearchStrategy[Any]:
    return st.one_of(
        _hashables(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(
            min_value=datetime.datetime(1900, 1, 1), timezones=_ZONES, allow_imaginary=False
        ),
        st.times(),
        st.builds(
            SampleModel,
            name=st.text(max_size=6),
            count=st.integers(-10, 10),
            tags=st.lists(st.text(max_size=3), max_size=2).map(tuple),
        ),
    )


@functools.cache
def params_values(max_depth: int = 3) -> st.SearchStrategy[Any]:
    """Values of the params domain: scalars, models, dataclasses, containers (nested)."""
    if max_depth <= 0:
        return _leaves()
    inner = params_values(max_depth - 1)
    return st.one_of(
        _leaves(),
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_texts(), inner, max_size=3),
        st.sets(_hashables(), max_size=3),
        st.frozensets(_hashables(), max_size=3),
    )


def params(max_size: int = 4, max_depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword params: identifier names mapped to params values."""
    names = identifiers().filter(lambda n: n not in _RESERVED)
    return st.dictionaries(names, params_values(max_depth), max_size=max_size)


# Names an executor's own signature takes, which a caller can never pass as params.
_RESERVED = frozenset({"self", "tool", "operation_name", "params"})


def _dotted(tool: str, op: str) -> str:
    return f"{tool}.{op}"


def _private(tool: str, op: str) -> str:
    return f"{tool}._{op}"


def _no_op(tool: str) -> str:
    return f"{tool}."


def _no_tool(op: str) -> str:
    return f".{op}"


def operation_specs(valid: bool = True) -> st.SearchStrategy[Any]:
    """``{"operation": ..., "params": ...}`` dicts; ``valid=False`` gives malformed names."""
    if valid:
        name = st.builds(_dotted, identifiers(), identifiers())
    else:
        name = st.one_of(
            st.sampled_from(MALFORMED_OPERATIONS),
            st.builds(_private, identifiers(), identifiers()),
            st.builds(_no_op, identifiers()),
            st.builds(_no_tool, identifiers()),
            identifiers(),
        )
    return st.fixed_dictionaries({"operation": name, "params": params()})


def operation_spec_models() -> st.SearchStrategy[OperationSpec]:
    """Valid `OperationSpec` models."""
    return operation_specs(valid=True).map(lambda d: OperationSpec(**d))


def task_specs() -> st.SearchStrategy[TaskSpec]:
    """Valid `TaskSpec` models."""
    return st.builds(
        TaskSpec,
        task_name=identifiers(),
        input_data=params(),
        context=params(max_size=2),
    )


def task_step_results() -> st.SearchStrategy[TaskStepResult]:
    """Consistent `TaskStepResult`s: completed, failed, or in any other state."""
    steps = st.builds(_dotted, identifiers(), identifiers())
    completed = st.builds(
        TaskStepResult.success, steps, params_values(1), message=st.text(max_size=8)
    )
    failed = st.builds(
        TaskStepResult.failure,
        steps,
        st.text(min_size=1, max_size=12),
        code=st.sampled_from(ErrorCode),
    )
    other = st.builds(
        TaskStepResult,
        step=steps,
        status=st.sampled_from(
            [TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.CANCELLED, TaskStatus.TIMED_OUT]
        ),
        message=st.text(max_size=8),
    )
    return st.one_of(completed, failed, other)


# Registered as functions, so nothing is built (or validated) until a test asks for it.
st.register_type_strategy(TaskStepResult, lambda _: task_step_results())
st.register_type_strategy(OperationSpec, lambda _: operation_spec_models())
st.register_type_strategy(TaskSpec, lambda _: task_specs())

# The outcome strategies of probe ops live beside the probes; imported last (they build on
# params_values) and re-exported here, the one public home of the kit's strategies.
from ._outcomes import (  # noqa: E402
    FAILURE_CLASSES,
    FALSY_RESULTS,
    failure_classes,
    op_failures,
    op_results,
)

# Probe tools built from every op shape (executor.op_shapes), on top of the outcomes.
from ._shapes import OP_SHAPES, op_names, op_shapes, probe_ops, probe_tools  # noqa: E402
