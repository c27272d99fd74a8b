"""Flawed tool executor: it ``getattr``s whatever name it is given.

The mistake: no check that the op is public, so ``execute(tool, "_secret")``,
``"__reduce__"`` or ``"__class__"`` run private code or build objects; with op names coming
from an LLM or a request, that is remote code execution. Only
``executor.private_refused`` catches it.
"""

from __future__ import annotations

from typing import Any

from aiecs_contracts import OperationNotFoundError
from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.private_refused"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def resolve_any(tool: Any, operation_name: str) -> Any:
    """Return ``getattr(tool, operation_name)`` if it is callable."""
    method = getattr(tool, operation_name, None)  # BUG: "_secret" and "__class__" pass
    if method is None or not callable(method):
        raise OperationNotFoundError(operation_name, tool=type(tool).__name__)
    return method


class TrustingToolExecutor(ToolExecutor):
    """An executor that trusts operation names."""

    def _resolve(self, tool: Any, operation_name: str) -> Any:
        return resolve_any(tool, operation_name)


def factory() -> TrustingToolExecutor:
    """Return a fresh executor."""
    return TrustingToolExecutor()
