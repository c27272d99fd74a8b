"""Flawed engine: ``batch_execute_tasks`` returns results in completion order.

The mistake: results are collected with ``asyncio.as_completed`` "to free memory early",
so the fast task's result lands in the slow task's slot. Only ``engine.task.batch``
catches it. (The same idiom also leaves tasks running when the batch is cancelled; no
engine check covers that.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, Dict, List

from conformance.targets.correct_execution_interface import ExecutionEngine

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.task.batch"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class AsCompletedEngine(ExecutionEngine):
    """An engine whose task batches come back as they finish."""

    async def _captured(self, item: Dict[str, Any]) -> Any:
        try:
            return await self._run_task_item(item)
        except Exception as exc:
            return exc

    async def batch_execute_tasks(self, tasks: List[Dict[str, Any]]) -> List[Any]:
        """Run every task concurrently; a failure's slot holds its exception."""
        results: list[Any] = []
        for next_done in asyncio.as_completed([self._captured(item) for item in tasks]):
            results.append(await next_done)  # BUG: completion order, not input order
        return results


def factory(
    tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
) -> AsCompletedEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return AsCompletedEngine(tools, tasks)
