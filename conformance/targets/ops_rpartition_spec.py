"""Flawed operation executor: the spec is split with ``rpartition(".")`` and not validated.

The mistake: ``tool, _, op = spec.rpartition(".")`` then ``getattr(tool, op)``: nothing
refuses ``"t._x"`` or ``"t.__class__"``, so a spec from a plan (or an LLM) runs private
methods. Only ``operations.spec.invalid`` catches it (malformed specs that name no tool
still raise, from the tool lookup).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiecs_contracts import OperationNotFoundError, ToolNotFoundError
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.spec.invalid"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class LooseSpecExecutor(OperationExecutor):
    """An executor that trusts whatever follows the last dot."""

    def _resolve(self, operation_spec: str) -> Any:
        tool_name, _, op_name = str(operation_spec).rpartition(".")  # BUG: no validation
        if tool_name not in self._tools:
            raise ToolNotFoundError(tool_name, available=self._tools)
        method = getattr(self._tools[tool_name], op_name, None)
        if method is None or not callable(method):
            raise OperationNotFoundError(op_name, tool=tool_name)
        return method


def factory(tools: Mapping[str, object]) -> LooseSpecExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return LooseSpecExecutor(tools)
