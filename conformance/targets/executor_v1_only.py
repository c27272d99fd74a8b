"""Flawed tool executor: a version-1 executor (sync ``execute`` only) passed off as a full one.

The mistake: ``execute_async`` was never written ("we only call it synchronously"), so
any async caller fails with ``AttributeError``. ``signature.members`` catches it; the checks
that need ``execute_async`` cannot run and are reported as skipped, not passed.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"signature.members"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class SyncOnlyToolExecutor:
    """An executor with only the synchronous half of the contract."""

    def __init__(self) -> None:
        self._inner = ToolExecutor()

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the operation synchronously."""
        return self._inner.execute(tool, operation_name, **params)

    # BUG: no `async def execute_async(self, tool, operation_name, **params)`


def factory() -> SyncOnlyToolExecutor:
    """Return a fresh executor."""
    return SyncOnlyToolExecutor()
