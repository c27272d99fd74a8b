"""Flawed engine: ``register_executor`` stores whatever it is given.

The mistake: no structural check at registration, so ``register_executor("fast", 42)`` or
an object with a sync ``execute_operation`` is accepted and the error surfaces much later,
on the first operation routed to it. Only ``engine.register_executor`` catches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from conformance.targets.correct_execution_interface import ExecutionEngine

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.register_executor"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class TrustingEngine(ExecutionEngine):
    """An engine that accepts any executor."""

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        """Make ``executor_instance`` available under ``executor_type``."""
        self._executors[executor_type] = executor_instance  # BUG: never checked


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> TrustingEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return TrustingEngine(tools, tasks)
