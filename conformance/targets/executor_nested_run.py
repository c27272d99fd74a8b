"""Flawed tool executor: ``execute`` is ``asyncio.run(self.execute_async(...))``.

The mistake: one code path for both methods looks tidy, but ``asyncio.run`` refuses to
start inside a running event loop, so ``execute`` -- even of a plain sync op -- fails when
called from async code (a FastAPI handler calling a sync helper, a notebook).
``executor.sync.result`` catches it: sync ops are also executed from inside a loop; a
failing op called that way raises asyncio's ``RuntimeError`` instead of the op's
exception, so ``executor.errors.propagate`` fails too.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.errors.propagate",
        "executor.sync.result",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class OnePathExecutor:
    """Every call goes through the async path."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``execute_async`` to completion."""
        return asyncio.run(self.execute_async(tool, operation_name, **params))  # BUG

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await an async op, run a sync one in a thread."""
        if not operation_name.isidentifier() or operation_name.startswith("_"):
            raise OperationNotFoundError(f"refusing operation {operation_name!r}")
        try:
            target = getattr(tool, operation_name)
        except AttributeError:
            raise OperationNotFoundError(operation_name) from None
        if not callable(target):
            raise OperationNotFoundError(operation_name)
        try:
            if inspect.iscoroutinefunction(target):
                return await target(**params)
            value = await asyncio.to_thread(target, **params)
            if inspect.isawaitable(value):
                value = await value
            return value
        except Exception as exc:
            raise OperationFailedError(f"{operation_name}: {exc}") from exc


def factory() -> OnePathExecutor:
    """A fresh executor."""
    return OnePathExecutor()
