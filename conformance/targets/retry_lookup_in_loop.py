"""Flawed retrying executor: the op is looked up inside the retry loop.

The mistake: ``getattr(tool, name)`` sits in the ``try`` of each attempt, so an unknown op
(``AttributeError``) is treated as a transient failure and retried with backoff before the
caller hears of it. ``retry.refusals`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

CONTRACT = "retrying-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"retry.refusals"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class LoopLookupRetrier:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        if operation_name.startswith("_") or not operation_name.isidentifier():
            raise ValueError(f"{operation_name!r} is not a public operation")
        delay = 0.01
        for attempt in range(1, max_retries + 1):
            try:
                op = getattr(tool, operation_name)  # BUG: a missing op is "retried"
                if inspect.iscoroutinefunction(op):
                    return await op(**params)
                return await asyncio.to_thread(op, **params)
            except Exception:
                if attempt == max_retries:
                    raise
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError


def factory() -> LoopLookupRetrier:
    return LoopLookupRetrier()
