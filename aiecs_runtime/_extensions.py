"""The seed's extension interfaces over `ToolExecutor` and `ExecutionEngine`.

- `RetryingToolExecutor`: the seed's ``execute_with_retry(tool, op, max_retries=3,
  **params)``, where ``max_retries`` counts every attempt; only the op's own failures are
  retried (a refused name raises at once), with a short exponential backoff; exhaustion
  raises `RetryExhaustedError` whose ``__cause__`` is the op's last failure.
- `MeteredToolExecutor`: `IToolExecutorV2` (``execute`` and ``execute_with_metrics``, which
  returns the op's result) with the seed's ``get_performance_metrics()`` report, thread-safe.
- `ContextExecutor`: ``async with ContextExecutor(tools) as e: await e.execute_in_context``;
  refuses calls outside the context, and leaves no pool thread behind.

Each states the interface version it implements (`INTERFACE_VERSION`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ExecutionError, OperationFailedError, RetryExhaustedError

from ._engine import ExecutionEngine
from ._lifecycle import AsyncResource
from ._op_stats import OpStats
from ._tool_executor import ToolExecutor

__all__ = [
    "INTERFACE_VERSION",
    "ContextExecutor",
    "MeteredToolExecutor",
    "RetryingToolExecutor",
]

INTERFACE_VERSION = "1.3.0"
"""The seed's interface version these extensions implement (v1.3.0: execution interface)."""


class _Versioned:
    version: str = INTERFACE_VERSION

    def get_version(self) -> str:
        """Return the interface version implemented, ``"1.3.0"``."""
        return self.version


class RetryingToolExecutor(_Versioned):
    """Retries an op's own failures: ``max_retries`` attempts in all, spaced exponentially."""

    def __init__(
        self,
        executor: ToolExecutor | None = None,
        *,
        initial_wait: float = 0.002,
        max_wait: float = 0.1,
    ) -> None:
        if not 0.001 <= initial_wait <= max_wait:
            raise ValueError(
                f"RetryingToolExecutor(initial_wait={initial_wait!r}, max_wait={max_wait!r}): "
                f"expected 0.001 <= initial_wait <= max_wait seconds"
            )
        self._executor = executor if executor is not None else ToolExecutor()
        self._initial = initial_wait
        self._max = max_wait

    def __repr__(self) -> str:
        return f"RetryingToolExecutor({self._executor!r})"

    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        """Run the op up to ``max_retries`` times; raise `RetryExhaustedError` after that."""
        count: object = max_retries  # callers outside the type checker pass anything
        if type(count) is not int or max_retries < 1:
            raise ValueError(
                f"max_retries={max_retries!r}: expected an int >= 1 (the number of attempts)"
            )
        wait = self._initial
        for attempt in range(1, max_retries + 1):
            try:
                return await self._executor.execute_async(tool, operation_name, **params)
            except OperationFailedError as error:
                if type(error) is not OperationFailedError:
                    raise  # timeouts and other executor verdicts are not the op's failure
                failure = error.__cause__ if error.__cause__ is not None else error
                if attempt == max_retries:
                    raise RetryExhaustedError(
                        f"{operation_name!r} failed {max_retries} times; last failure: "
                        f"{type(failure).__name__}: {failure}",
                        attempts=max_retries,
                    ) from failure
            except ExecutionError:
                raise  # a refused name or params: retrying cannot help
            await asyncio.sleep(wait)
            wait = min(self._max, wait * 2)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def aclose(self) -> None:
        """Release the wrapped executor's thread pool."""
        await self._executor.aclose()


class MeteredToolExecutor(_Versioned):
    """`IToolExecutorV2` with the seed's per-op report; failures under ``"<op>_error"``."""

    def __init__(self, executor: ToolExecutor | None = None) -> None:
        self._executor = executor if executor is not None else ToolExecutor()
        self._stats = OpStats()  # the executor's own table: one per metered executor

    def __repr__(self) -> str:
        return f"MeteredToolExecutor({self._executor!r})"

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op synchronously (not metered: metrics are what V2 adds)."""
        return self._executor.execute(tool, operation_name, **params)

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op and return its result; record its duration under its name."""
        call = self._executor.execute_async(tool, operation_name, **params)
        return await self._stats.timed(operation_name, call)

    def get_performance_metrics(self) -> dict[str, dict[str, float | int]]:
        """Return ``{op: {"avg_time", "min_time", "max_time", "count"}}`` (a snapshot)."""
        return self._stats.report()

    async def aclose(self) -> None:
        """Release the wrapped executor's thread pool."""
        await self._executor.aclose()


class ContextExecutor(_Versioned, AsyncResource):
    """An `ExecutionEngine` used as ``async with``: ops run only while the context is open."""

    def __init__(self, tools: Mapping[str, Any]) -> None:
        self._engine = ExecutionEngine(tools)
        self._open = False

    def __repr__(self) -> str:
        return f"ContextExecutor({'open' if self._open else 'closed'}, {self._engine!r})"

    async def _enter(self) -> None:
        if self._open:
            raise RuntimeError("ContextExecutor is already entered; use one `async with` at a time")
        await self._engine.__aenter__()
        self._open = True

    async def aclose(self) -> None:
        """Close the context: later calls are refused, the engine's pools released."""
        self._open = False
        await self._engine.aclose()

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        """Run ``"tool.op"`` with ``params``; raise `RuntimeError` outside the context."""
        if not self._open:
            raise RuntimeError(
                f"execute_in_context({operation!r}) outside `async with ContextExecutor(...)`: "
                f"enter the context first"
            )
        return await self._engine.execute_in_context(operation, **params)
