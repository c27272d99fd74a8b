"""Flawed engine: the engine adds its own keys to the task's ``context``.

The mistake: "tasks need tracing info", so the engine passes
``{"engine": ..., "attempt": 1, **context}``. A task that checks, forwards or hashes its
context now sees something the caller never passed (and a caller's own ``"engine"`` key
silently wins or loses). ``engine.task.result`` catches it, and ``engine.task.batch`` too
(a batch runs the same path, so its slots hold results for a context nobody passed).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, Dict

from aiecs_contracts import TaskNotFoundError
from conformance.targets.correct_execution_interface import ExecutionEngine

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.task.result", "engine.task.batch"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class TracingEngine(ExecutionEngine):
    """An engine that decorates every task context with tracing fields."""

    async def execute_task(
        self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]
    ) -> Any:
        """Call the task with the caller's context plus the engine's tracing fields."""
        task = self._tasks.get(task_name)
        if task is None:
            raise TaskNotFoundError(task_name, available=self._tasks)
        traced = {"engine": type(self).__name__, "attempt": 1, **context}  # BUG: not as passed
        result = task(input_data, traced)
        if inspect.isawaitable(result):
            result = await result
        return result


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> TracingEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return TracingEngine(tools, tasks)
