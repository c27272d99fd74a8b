"""Rule (1) of every contract, as one mechanism: the caller's inputs are never changed.

A check hands the values it passes to the target to `Context.watch` *before* the call and
calls `Watch.verify()` after it. `watch` takes deep snapshots; the check computes what it
expects from `Watch.before` (rule 2: never from objects the target could have changed), and
`verify` compares every input with its snapshot. A change raises `InputChanged`, a
`CheckFailure` that names the input, the path inside it and the value before and after, and
that is attributed to the contract's ``*.inputs.unchanged`` id (the runner also fails that
id, so the defect is reported where the contract puts it, whichever check saw it).
"""

from __future__ import annotations

import copy
import dataclasses
import decimal
import math
from collections.abc import Mapping
from typing import Any

from ._context import CheckFailure, short

__all__ = ["InputChanged", "Watch", "first_difference", "inputs_id", "snapshot"]

#: The ``*.inputs.unchanged`` id of each contract that has one (the tool provider has none:
#: its inputs are strings).
_INPUTS_IDS: dict[str, str] = {
    "tool-executor": "executor.inputs.unchanged",
    "cache-provider": "cache.inputs.unchanged",
    "operation-executor": "operations.inputs.unchanged",
    "execution-interface": "engine.inputs.unchanged",
}


def inputs_id(contract: str) -> str | None:
    """The id that owns rule (1) for ``contract``, or ``None`` where it has none."""
    return _INPUTS_IDS.get(contract)


class InputChanged(CheckFailure):
    """The target changed a value the caller passed (rule 1 of every contract)."""


def snapshot(value: object) -> object:
    """A deep copy of ``value`` taken before it is handed to the target."""
    return copy.deepcopy(value)


# A path into a value: ("[]", key) for a mapping key or sequence index, (".", name) for a
# dataclass field; rendered as Python subscripts for messages.
_Path = tuple[tuple[str, Any], ...]


def _render(path: _Path) -> str:
    return "".join(f"[{key!r}]" if kind == "[]" else f".{key}" for kind, key in path)


def first_difference(before: object, after: object, path: _Path = ()) -> tuple[_Path, str] | None:
    """Where ``after`` first differs from ``before``, and how; ``None`` when they agree.

    Stricter than ``==``: a value that became another type (a list turned into a tuple,
    ``1`` into ``True``) counts as changed; ``NaN`` values compare by ``repr``.
    """
    if type(before) is not type(after):
        return path, f"became {type(after).__name__} {short(after, 80)}"
    if isinstance(before, Mapping):
        b: Mapping[Any, Any] = before  # pyright: ignore[reportUnknownVariableType]
        a: Mapping[Any, Any] = after  # type: ignore[assignment]
        for key in b:
            if key not in a:
                return (*path, ("[]", key)), "was removed"
        for key in a:
            if key not in b:
                return (*path, ("[]", key)), f"was added ({short(a[key], 60)})"
        for key in b:
            found = first_difference(b[key], a[key], (*path, ("[]", key)))
            if found:
                return found
        return None
    if isinstance(before, (list, tuple)):
        bs: list[Any] | tuple[Any, ...] = before  # pyright: ignore[reportUnknownVariableType]
        as_: list[Any] | tuple[Any, ...] = after  # type: ignore[assignment]
        if len(bs) != len(as_):
            return path, f"has {len(as_)} items instead of {len(bs)}"
        for i, (x, y) in enumerate(zip(bs, as_, strict=True)):
            found = first_difference(x, y, (*path, ("[]", i)))
            if found:
                return found
        return None
    if dataclasses.is_dataclass(before) and not isinstance(before, type):
        for f in dataclasses.fields(before):
            found = first_difference(
                getattr(before, f.name, None), getattr(after, f.name, None), (*path, (".", f.name))
            )
            if found:
                return found
        return None
    if _is_nan(before) or _is_nan(after):
        same = repr(before) == repr(after)
    else:
        try:
            same = bool(before == after)
        except Exception:
            same = repr(before) == repr(after)
    return None if same else (path, f"is now {short(after, 80)}")


def _is_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, decimal.Decimal):
        return value.is_nan()
    return False


class Watch:
    """Snapshots of the inputs of one call into the target; `verify` compares after it."""

    def __init__(self, call: str, inputs: Mapping[str, object], check_id: str | None) -> None:
        self.call = call
        self._live = dict(inputs)
        self._check_id = check_id
        self.before: dict[str, Any] = {name: snapshot(v) for name, v in self._live.items()}

    def verify(self) -> None:
        """Raise `InputChanged` if any input now differs from its snapshot."""
        for name, live in self._live.items():
            found = first_difference(self.before[name], live)
            if found is not None:
                where, how = found
                raise InputChanged(
                    f"{self.call} changed its input: {name}{_render(where)} {how} (before the "
                    f"call: {short(_at(self.before[name], where), 80)}); what the caller passes "
                    f"must compare equal to a deep copy taken before the call",
                    f"{name} before the call: {short(self.before[name], 200)}",
                    check_id=self._check_id,
                )


def _at(value: object, where: _Path) -> object:
    # Follow the path back into the snapshot, for the "before" half of the message.
    current: Any = value
    try:
        for kind, key in where:
            current = current[key] if kind == "[]" else getattr(current, key)
    except Exception:
        return value
    return current
