"""The items of a run as `OperationExecutor` reads them: specs, params and step names.

Everything here judges data without running any of its code: no ``repr`` of an item, no
method of a spec other than ``str``'s own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any, cast

from aiecs_contracts import InvalidOperationSpecError, ParameterValidationError

from ._ops import exact_name

__all__ = [
    "as_params",
    "being_cancelled",
    "mapping",
    "operations_list",
    "shown",
    "spec_of",
    "step_name",
]


def mapping(value: object) -> Mapping[str, Any] | None:
    if type(value) is dict:  # the common case, without the ABC isinstance
        return cast("dict[str, Any]", value)
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def spec_of(item: object) -> tuple[Any, Any]:
    spec = mapping(item)
    if spec is None or "operation" not in spec:
        # No repr(item): a refusal runs none of the item's code, its message included.
        raise InvalidOperationSpecError(
            f"an operation item is a {type(item).__name__}, not a dict with an 'operation' "
            "key; expected {'operation': 'tool.op', 'params': {...}}",
            spec=None,
        )
    return spec["operation"], spec.get("params") or {}


def step_name(item: object) -> str:
    """The step's name: its op's ``operation`` string, else a name made of its type."""
    spec = mapping(item)
    if spec is None:
        return f"<invalid item: {type(item).__name__}>"
    operation: object = spec.get("operation")
    text = exact_name(operation)
    return f"<invalid operation: {type(operation).__name__}>" if text is None else text


def operations_list(operations: object) -> list[Any]:
    """The ops as a list: any iterable is consumed once, up front (a generator included)."""
    given: Any = operations
    if type(given) is list:
        return given  # pyright: ignore[reportUnknownVariableType]
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        raise InvalidOperationSpecError(
            f"operations must be a list of {{'operation': 'tool.op', 'params': {{...}}}} "
            f"dicts, got a {type(operations).__name__}",
            spec=None,
        )
    return list(given)  # pyright: ignore[reportUnknownArgumentType]


def shown(spec: object) -> str:
    """A spec as a span shows it: the exact str, or a name made of its type."""
    text = exact_name(spec)
    return f"<invalid operation: {type(spec).__name__}>" if text is None else text


def being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def as_params(params: object, spec: str) -> dict[str, Any]:
    given = mapping(params)
    if given is not None and all(type(k) is str for k in given):
        return dict(given)
    raise ParameterValidationError(
        f"params for {spec!r} must be a dict with str keys, got a {type(params).__name__}",
        errors=[("params", "not a dict with str keys")],
    )
