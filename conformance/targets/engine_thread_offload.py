"""Flawed engine: every single operation is offloaded to a thread, ``async def`` ops included.

The mistake: "ops may block, so run them with ``asyncio.to_thread``": for an
``async def`` op that call merely *creates* the coroutine in the worker thread and hands
it back unawaited, so the caller gets a coroutine object instead of the op's result.
Batches go through the operation executor, so only ``engine.operation.result`` catches
it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, Dict

from conformance.targets.correct_execution_interface import ExecutionEngine
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.operation.result"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class _Resolver(OperationExecutor):
    def resolve(self, operation_spec: str) -> Any:
        return self._resolve(operation_spec)


class OffloadingEngine(ExecutionEngine):
    """An engine that runs every single operation in a worker thread."""

    def __init__(
        self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
    ) -> None:
        super().__init__(tools, tasks)
        self._resolver = _Resolver(tools)

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation in a worker thread."""
        method = self._resolver.resolve(operation_spec)
        return await asyncio.to_thread(method, **params)  # BUG: async ops are never awaited


def factory(
    tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
) -> OffloadingEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return OffloadingEngine(tools, tasks)
