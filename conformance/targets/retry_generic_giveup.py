"""Flawed retrying executor: after the last attempt it raises its own generic error.

The mistake: ``raise RuntimeError("gave up after 3 attempts")`` without ``from last``, so
the op's real failure (type, message, traceback) is lost to the caller.
``retry.exhausts`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

CONTRACT = "retrying-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"retry.exhausts"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class GiveUpExecutor:
    """Retries every exception of the op with a fixed pause."""

    pause = 0.002

    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        if not operation_name.isidentifier() or operation_name[0] == "_":
            raise PermissionError(operation_name)
        fn = getattr(tool, operation_name, None)
        if fn is None or not callable(fn):
            raise LookupError(operation_name)
        attempts = 0
        while attempts < max_retries:
            attempts += 1
            try:
                if inspect.iscoroutinefunction(fn):
                    return await fn(**params)
                return fn(**params)
            except Exception:
                await asyncio.sleep(self.pause)
        raise RuntimeError(f"{operation_name}: gave up after {attempts} attempts")  # BUG


def factory() -> GiveUpExecutor:
    return GiveUpExecutor()
