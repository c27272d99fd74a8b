"""Flawed engine: single operations are memoised by their spec string alone.

The mistake: ``"search.query"`` is "the same operation", so its first result is replayed
for every later call, whatever the params. Batches go through the executor unmemoised,
so only ``engine.operation.result`` catches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Dict

from conformance.targets.correct_execution_interface import ExecutionEngine

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.operation.result"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class MemoEngine(ExecutionEngine):
    """An engine that replays the first result of each operation spec."""

    def __init__(
        self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
    ) -> None:
        super().__init__(tools, tasks)
        self._memo: dict[str, Any] = {}

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation, or replay its remembered result."""
        if operation_spec in self._memo:  # BUG: the params are not part of the key
            return self._memo[operation_spec]
        result = await super().execute_operation(operation_spec, params)
        self._memo[operation_spec] = result
        return result


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> MemoEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return MemoEngine(tools, tasks)
