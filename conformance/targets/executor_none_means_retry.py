"""Flawed tool executor: a ``None`` result is taken for a flaky op and retried.

The mistake: "some tools return ``None`` when the backend hiccups", so the executor calls
again up to three times and then gives up with an error. An op whose real answer is
``None`` can never succeed. ``executor.sync.result`` and ``executor.async.result`` catch
it (``None`` is among the drawn results).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.async.result",
        "executor.sync.result",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

ATTEMPTS = 3


def _op(tool: Any, name: object) -> Any:
    if not (isinstance(name, str) and name.isidentifier()) or name.startswith("_"):
        raise OperationNotFoundError(repr(name))
    found = getattr(tool, str(name), None)
    if not callable(found):
        raise OperationNotFoundError(str(name))
    return found


class PatientExecutor:
    """Retries ops that come back empty-handed."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Call until the op returns something."""
        op = _op(tool, operation_name)
        for _ in range(ATTEMPTS):
            try:
                value = op(**params)
                if inspect.iscoroutine(value):
                    value = asyncio.run(value)
            except Exception as exc:
                raise OperationFailedError(str(exc)) from exc
            if value is not None:  # BUG: None is a legitimate result
                return value
        raise OperationFailedError(f"{operation_name} returned nothing {ATTEMPTS} times")

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await until the op returns something."""
        op = _op(tool, operation_name)
        for _ in range(ATTEMPTS):
            try:
                if inspect.iscoroutinefunction(op):
                    value = await op(**params)
                else:
                    value = await asyncio.to_thread(op, **params)
                    if inspect.isawaitable(value):
                        value = await value
            except Exception as exc:
                raise OperationFailedError(str(exc)) from exc
            if value is not None:
                return value
        raise OperationFailedError(f"{operation_name} returned nothing {ATTEMPTS} times")


def factory() -> PatientExecutor:
    """A fresh executor."""
    return PatientExecutor()
