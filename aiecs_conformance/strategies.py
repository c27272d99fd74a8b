"""Public hypothesis strategies for the params value domain and every model.

Importing this module registers them for ``st.from_type(TaskStepResult)``,
``st.from_type(OperationSpec)`` and ``st.from_type(TaskSpec)``.
"""

from __future__ import annotations

import datetime
import decimal
import functools
from typing import Any

from hypothesis import strategies as st

from aiecs_models import ErrorCode, OperationSpec, TaskSpec, TaskStatus, TaskStepResult

from ._values import (
    ENUMS,
    MODELS,
    Envelope,
    Parcel,
    Point,
    SampleRecord,
    TwinPoint,
    TwinRecord,
)

__all__ = [
    "FAILURE_CLASSES",
    "FALSY_RESULTS",
    "MALFORMED_OPERATIONS",
    "OP_SHAPES",
    "failure_classes",
    "identifiers",
    "must_differ",
    "neighbours",
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
    "value_neighbour_pairs",
]

# The malformed specs the operation-executor contract names, plus non-str values.
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

_NASTY_TEXT = (
    "", ";", "--", "' OR 1=1; --", "SELECT * FROM t; DROP TABLE t", "\x00", "\n", "'", '"',
    "é", "e\u0301", "\ufb01", "fi", "Straße", "STRASSE", "\u01c5", "İ", "\u212b", "\U0001f600",
)  # fmt: skip

# Fixed offsets of whole minutes, any in (-24 h, 24 h): a key that keeps only the hours, or
# drops the offset, merges instants that differ.
_OFFSETS: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from([datetime.UTC, datetime.timezone(datetime.timedelta(hours=5, minutes=30))]),
    st.integers(-24 * 60 + 1, 24 * 60 - 1).map(
        lambda m: datetime.timezone(datetime.timedelta(minutes=m))
    ),
)
_ZONES: st.SearchStrategy[Any] = st.one_of(st.none(), _OFFSETS)

_SPECIAL_DECIMALS = tuple(
    decimal.Decimal(s)
    for s in ("NaN", "-NaN", "Infinity", "-Infinity", "-0", "0E+3", "1E-30", "1.000", "-0.00")
)

# Ints a key could merge: around 2**53 (float), 2**63 / 2**64 (fixed-width), and ints that
# collide in a small hash table (1, 9, 17: the same slot of an 8-slot set).
_EDGE_INTS = (0, 1, -1, 9, 17, 2**31, 2**53, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64)


def identifiers() -> st.SearchStrategy[str]:
    """Python identifiers usable as keyword names (no leading underscore)."""
    return st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def _repeat(head: str, times: int, tail: str) -> str:
    return head * times + tail


def _texts() -> st.SearchStrategy[str]:
    """Any unicode (no lone surrogates), nasty fixed strings, and 1,000+ character ones."""
    long = st.builds(
        _repeat, st.text(min_size=1, max_size=2), st.integers(500, 1100), st.text(max_size=3)
    )
    return st.one_of(st.sampled_from(_NASTY_TEXT), st.text(max_size=12), long)


def _integers() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(), st.integers(-(2**70), 2**70), st.sampled_from(_EDGE_INTS))


def _decimals(finite_only: bool = False) -> st.SearchStrategy[decimal.Decimal]:
    finite = st.decimals(allow_nan=False, allow_infinity=False)
    specials = [d for d in _SPECIAL_DECIMALS if not (finite_only and d.is_nan())]
    return st.one_of(finite, st.decimals(places=2, min_value=-1000, max_value=1000),
                     st.sampled_from(specials))  # fmt: skip


def _datetimes() -> st.SearchStrategy[datetime.datetime]:
    return st.datetimes(min_value=datetime.datetime(1900, 1, 1), timezones=_ZONES)


def _times() -> st.SearchStrategy[datetime.time]:
    return st.times(timezones=_ZONES)


def _enum_members() -> st.SearchStrategy[Any]:
    return st.one_of(*(st.sampled_from(cls) for cls in ENUMS))


def _records() -> st.SearchStrategy[Any]:
    return st.one_of(
        *(st.builds(cls, x=_integers(), label=st.text(max_size=4))
          for cls in (SampleRecord, TwinRecord))
    )  # fmt: skip


def _models() -> st.SearchStrategy[Any]:
    return st.one_of(
        *(st.builds(cls, name=_texts(), count=st.integers(-10, 10),
                    tags=st.lists(st.text(max_size=3), max_size=2).map(tuple))
          for cls in MODELS)
    )  # fmt: skip


@functools.cache
def _hashables() -> st.SearchStrategy[Any]:
    """Scalars that can be set members (no NaN: a set of NaNs never equals its copy)."""
    return st.one_of(
        st.none(),
        st.booleans(),
        _integers(),
        _texts(),
        st.binary(max_size=8),
        _decimals(finite_only=True),
        st.dates(),
        _datetimes(),
        _times(),
        st.uuids(),
        _enum_members(),
        _records(),
        _models(),
    )


@functools.cache
def _leaves() -> st.SearchStrategy[Any]:
    return st.one_of(
        _hashables(),
        st.floats(allow_nan=False, allow_infinity=False),
        _decimals(),
    )


@functools.cache
def params_values(max_depth: int = 3) -> st.SearchStrategy[Any]:
    """Values of the params domain: every scalar type, objects, containers (nested).

    ``None``, bools, ints of any size, finite floats, any unicode text (up to 1,100
    characters), bytes, ``Decimal`` (``NaN``, ``Infinity``, ``-0`` included), UUIDs,
    naive and aware ``datetime`` / ``time`` (any offset), dates, members of four ``Enum``
    classes (``IntEnum`` and ``StrEnum`` included), pydantic models, dataclasses and named
    tuples (each with a twin class of the same fields), lists, tuples, dicts with ``str``
    keys and sets / frozensets of hashables, nested ``max_depth`` levels deep.
    """
    if max_depth <= 0:
        return _leaves()
    # deferred: the same strategy, with a one-line repr instead of one exponential in depth
    inner = st.deferred(lambda: params_values(max_depth - 1))
    return st.one_of(
        _leaves(),
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_texts(), inner, max_size=3),
        st.sets(_hashables(), max_size=3),
        st.frozensets(_hashables(), max_size=3),
        st.builds(Envelope, inner) | st.builds(Parcel, inner),
        st.builds(Point, inner, inner) | st.builds(TwinPoint, inner, inner),
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

# The outcome strategies of probe ops live beside the probes, and the neighbours of
# generated values (they look alike, must get another cache key) beside the equivalence
# that decides which values may share one; imported last (they build on params_values)
# and re-exported here, the one public home of the kit's strategies.
from ._neighbours import must_differ, neighbours, value_neighbour_pairs  # noqa: E402
from ._outcomes import (  # noqa: E402
    FAILURE_CLASSES,
    FALSY_RESULTS,
    failure_classes,
    op_failures,
    op_results,
)

# Scripted probe ops and tasks (the operation and engine checks draw from these).
from ._scripted import Plan, plans  # noqa: E402
from ._tasks import TaskScript, task_parameters, tasks  # noqa: E402

__all__ += ["Plan", "TaskScript", "plans", "task_parameters", "tasks"]

# Probe tools built from every op shape (executor.op_shapes), on top of the outcomes.
from ._shapes import OP_SHAPES, op_names, op_shapes, probe_ops, probe_tools  # noqa: E402
