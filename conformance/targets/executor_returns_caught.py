"""Flawed tool executor: a failing op's exception is *returned*, "so the agent can see it".

The mistake: ``except Exception as e: return e`` -- the caller cannot tell a failure from
an op that returns an exception object as its value, and nothing upstream ever raises.
``executor.errors.propagate`` catches it, and ``executor.errors.typed`` (should); inside a
running loop ``execute`` returns asyncio's own ``RuntimeError`` for an async op the same
way (``executor.sync.no_coroutine_leak``).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.errors.propagate",
        "executor.sync.no_coroutine_leak",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"executor.errors.typed"})


def pick(tool: Any, name: str) -> Any:
    """The public callable ``name`` of ``tool``."""
    if type(name) is not str or not name.isidentifier() or name.startswith("_"):
        raise OperationNotFoundError(f"bad operation name {name!r}")
    attr = getattr(tool, name, None)
    if attr is None or not callable(attr):
        raise OperationNotFoundError(f"{type(tool).__name__} has no operation {name!r}")
    return attr


class ReportingExecutor:
    """Hands failures back as values."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op; a failure is returned."""
        fn = pick(tool, operation_name)
        try:
            result = fn(**params)
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
            return result
        except Exception as e:
            return e  # BUG: the caller receives the failure as a result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await the op; a failure is returned."""
        fn = pick(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(fn):
                return await fn(**params)
            result = await asyncio.to_thread(fn, **params)
            return (await result) if inspect.isawaitable(result) else result
        except Exception as e:
            return e  # BUG


def factory() -> ReportingExecutor:
    """A fresh executor."""
    return ReportingExecutor()
