"""Flawed engine: ``batch_execute_operations`` loops and lets the first exception out.

The mistake: a plain ``for`` loop over ``await self.execute_operation(...)`` with no
``try``: one failing op raises out of the batch and every other result is lost. Only
``engine.operation.batch`` catches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Dict, List

from conformance.targets.correct_execution_interface import ExecutionEngine

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.operation.batch"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class LoopBatchEngine(ExecutionEngine):
    """An engine whose operation batches stop at the first failure."""

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation in turn and return the results."""
        results: list[Any] = []
        for item in operations:
            # BUG: no try/except, so a failing op raises out of the whole batch
            results.append(await self.execute_operation(item["operation"], item["params"]))
        return results


def factory(
    tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
) -> LoopBatchEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return LoopBatchEngine(tools, tasks)
