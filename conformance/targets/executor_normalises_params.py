"""Flawed tool executor: it "normalises" params in place before the call.

The mistake: to make calls reproducible (and log lines stable), list params are sorted and
dict params have their ``None`` values dropped -- in place, on the caller's own objects.
The op receives what the caller meant only by luck, and the caller's data is changed
behind its back. ``executor.inputs.unchanged`` catches it (every check watches the
params, so the checks whose drawn params hold unsorted lists report it there).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from typing import Any, cast

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.inputs.unchanged"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def normalise(value: object) -> None:
    """Sort lists and drop ``None`` entries of dicts, recursively, in place."""
    if isinstance(value, list):
        items = cast("list[object]", value)
        for item in items:
            normalise(item)
        with contextlib.suppress(TypeError):
            items.sort(key=repr)  # BUG: the caller's list
    elif isinstance(value, dict):
        table = cast("dict[object, object]", value)
        for key in [k for k, v in table.items() if v is None]:
            del table[key]  # BUG: the caller's dict
        for item in table.values():
            normalise(item)


class TidyExecutor:
    """Normalises params, then runs the op."""

    def _get(self, tool: Any, name: str) -> Any:
        if not name.isidentifier() or name.startswith("_"):
            raise OperationNotFoundError(name)
        fn = getattr(tool, name, None)
        if not callable(fn):
            raise OperationNotFoundError(name)
        return fn

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op."""
        fn = self._get(tool, operation_name)
        for value in params.values():
            normalise(value)
        try:
            out = fn(**params)
            if inspect.iscoroutine(out):
                out = asyncio.run(out)
            return out
        except Exception as exc:
            raise OperationFailedError(repr(exc)) from exc

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await the op."""
        fn = self._get(tool, operation_name)
        for value in params.values():
            normalise(value)
        try:
            if inspect.iscoroutinefunction(fn):
                return await fn(**params)
            out = await asyncio.to_thread(fn, **params)
            return await out if inspect.isawaitable(out) else out
        except Exception as exc:
            raise OperationFailedError(repr(exc)) from exc


def factory() -> TidyExecutor:
    """A fresh executor."""
    return TidyExecutor()
