"""Flawed engine: an unknown task name returns ``None`` ("no such task, nothing to do").

The mistake: ``self._tasks.get(name)`` and an early ``return None``: a misspelt task name
in a workflow silently does nothing and reports success. Only ``engine.task.unknown``
catches it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, Dict

from conformance.targets.correct_execution_interface import ExecutionEngine

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.task.unknown"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class LenientTaskEngine(ExecutionEngine):
    """An engine that ignores tasks it does not know."""

    async def execute_task(
        self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]
    ) -> Any:
        """Call the task as ``task(input_data, context)``; unknown tasks do nothing."""
        task = self._tasks.get(task_name)
        if task is None:
            return None  # BUG: should raise TaskNotFoundError
        result = task(input_data, context)
        if inspect.isawaitable(result):
            result = await result
        return result


def factory(
    tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
) -> LenientTaskEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return LenientTaskEngine(tools, tasks)
