"""Flawed retrying executor: params are "frozen" through JSON before the attempts.

The mistake: to stop an op from mutating params between attempts, the executor sends
each attempt ``json.loads(json.dumps(params, default=str))`` — tuples arrive as lists,
dates and Decimals as strings, bytes as their repr. ``retry.passthrough`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

CONTRACT = "retrying-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"retry.passthrough"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class FrozenParamsRetrier:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        if not operation_name.isidentifier() or operation_name.startswith("_"):
            raise ValueError(operation_name)
        method = getattr(tool, operation_name, None)
        if not callable(method):
            raise AttributeError(operation_name)
        frozen = json.dumps(params, default=str)
        for attempt in range(max_retries):
            fresh = json.loads(frozen)  # BUG: not the params the caller sent
            try:
                result = method(**fresh)
                return await result if inspect.isawaitable(result) else result
            except Exception:
                if attempt + 1 == max_retries:
                    raise
                await asyncio.sleep(0.003)
        return None


def factory() -> FrozenParamsRetrier:
    return FrozenParamsRetrier()
