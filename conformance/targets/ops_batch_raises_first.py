"""Flawed operation executor: a batch is ``asyncio.gather`` without ``return_exceptions``.

The mistake: the first failing op's exception escapes ``batch_execute_operations``, so
the caller loses every other result (and the other ops keep running unobserved).
Only ``operations.batch.shape`` catches it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Dict, List

from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.batch.shape"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class FailFastBatchExecutor(OperationExecutor):
    """An executor whose batch fails as a whole when one op fails."""

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation concurrently and return their results."""
        # BUG: without return_exceptions=True one failure raises out of the whole batch
        return list(await asyncio.gather(*(self._run_item(item) for item in operations)))


def factory(tools: Mapping[str, object]) -> FailFastBatchExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return FailFastBatchExecutor(tools)
