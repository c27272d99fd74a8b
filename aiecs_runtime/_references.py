"""References to earlier results in sequence params: ``"$result[0]"``, ``"$result[1].a.0"``.

A string param that starts with ``$result`` must be a well-formed reference to an earlier,
successful step, else the step fails with ``VALIDATION_ERROR`` naming the reference: it is
never passed on as raw text. ``$$result...`` escapes a literal leading ``$``.
Path segments after the index walk dict keys, attributes, and (digits) sequence indexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from aiecs_contracts import ParameterValidationError

__all__ = ["has_references", "holds_references", "resolve_references"]

_PREFIX = "$result"
_REFERENCE = re.compile(r"\$result\[(\d+)\]((?:\.[^.\s]+)*)")


def _bad(reference: str, why: str) -> ParameterValidationError:
    return ParameterValidationError(
        f"bad result reference {reference!r}: {why} (write '$result[<index>]' or "
        f"'$result[<index>].<key>.<index>...'; '$$' escapes a literal '$')",
        errors=[(reference, why)],
    )


def _lookup(reference: str, value: Any, segment: str) -> Any:
    if isinstance(value, dict):
        if segment in value:
            return value[segment]  # pyright: ignore[reportUnknownVariableType]
        if segment.isdigit() and int(segment) in value:
            return value[int(segment)]  # pyright: ignore[reportUnknownVariableType]
        raise _bad(reference, f"no key {segment!r}")
    if segment.isdigit() and isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items: Sequence[Any] = value  # pyright: ignore[reportUnknownVariableType]
        index = int(segment)
        if index < len(items):
            return items[index]
        raise _bad(reference, f"index {index} is out of range (length {len(items)})")
    if not segment.startswith("_") and hasattr(value, segment):
        return getattr(value, segment)
    raise _bad(reference, f"{type(value).__name__} has no key or public attribute {segment!r}")


def _resolve_one(text: str, results: Sequence[Any], ok: Sequence[bool]) -> Any:
    match = _REFERENCE.fullmatch(text)
    if match is None:
        raise _bad(text, "malformed")
    index = int(match.group(1))
    if index >= len(results):
        raise _bad(text, f"step {index} has not run yet ({len(results)} earlier steps)")
    if not ok[index]:
        raise _bad(text, f"step {index} failed, so it has no result")
    value = results[index]
    path = match.group(2)
    if path:
        for segment in path[1:].split("."):
            value = _lookup(text, value, segment)
    return value


def resolve_references(params: Any, results: Sequence[Any], ok: Sequence[bool]) -> Any:
    """Return ``params`` with every reference replaced by the earlier result it names."""
    if isinstance(params, str):
        if params.startswith(_PREFIX):
            return _resolve_one(params, results, ok)
        if params.startswith("$$result"):
            return params[1:]
        return params
    if isinstance(params, dict):
        return {k: resolve_references(v, results, ok) for k, v in params.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(params, list):
        return [resolve_references(v, results, ok) for v in params]  # pyright: ignore[reportUnknownVariableType]
    return params


def has_references(params: Any) -> bool:
    """Return whether ``params`` holds any string starting with ``$`` (cheap pre-check)."""
    if isinstance(params, str):
        return params.startswith("$")
    container: Any = params  # not narrowed by the isinstance checks below
    if isinstance(params, dict):
        values: Iterable[Any] = container.values()
    elif isinstance(params, list):
        values = container
    else:
        return False
    # Loops, not any(generator): no generator frame per container.
    for value in values:
        t: type[Any] = type(value)  # pyright: ignore[reportUnknownVariableType]
        if t is str:
            if value.startswith("$"):
                return True
        elif t is int or t is float or t is bool or value is None:
            continue
        elif has_references(value):
            return True
    return False


def holds_references(operations: Iterable[Any]) -> bool:
    """Return ``False`` only when no op's params can hold a reference (one scan per run)."""
    # No cast() here: it is a real call, and this loop runs once per op of a sequence.
    for item in operations:
        if type(item) is not dict:
            return True  # an unusual item: let the exact per-step check decide
        params = item.get("params")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if type(params) is dict:  # pyright: ignore[reportUnknownArgumentType]
            # has_references, inlined for the usual flat params of plain values.
            for value in params.values():  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
                t: type[Any] = type(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
                if t is str:
                    if value[:1] == "$":
                        return True
                elif (
                    t is not int and t is not float and value is not None and has_references(value)
                ):
                    return True
        elif params is not None and has_references(params):
            return True
    return False
