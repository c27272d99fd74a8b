"""Flawed tool executor: an op the tool lacks is "soft-failed" with a ``None`` result.

The mistake: names are validated (private and malformed ones raise), but a well-formed
name the tool does not have returns ``None`` instead of raising, so a typo in a plan reads
as "the op ran and found nothing". Only ``executor.unknown_op`` catches it.
"""

from __future__ import annotations

from typing import Any

from aiecs_contracts import OperationNotFoundError
from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.unknown_op"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _returns_none(**params: Any) -> None:
    return None


class SoftFailToolExecutor(ToolExecutor):
    """An executor that answers ``None`` for operations a tool does not have."""

    def _resolve(self, tool: Any, operation_name: str) -> Any:
        try:
            return super()._resolve(tool, operation_name)
        except OperationNotFoundError:
            if operation_name.isidentifier() and not operation_name.startswith("_"):
                return _returns_none  # BUG: a missing op "succeeds" with None
            raise


def factory() -> SoftFailToolExecutor:
    """Return a fresh executor."""
    return SoftFailToolExecutor()
