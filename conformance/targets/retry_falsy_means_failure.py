"""Flawed retrying executor: a falsy result is taken for a failure and retried.

The mistake: "retry until the op gives us something" — ``if result: return result`` — so an
op that legitimately returns ``0``, ``""``, ``[]`` or ``None`` is called again and again and
the call ends in an error. ``retry.succeeds`` catches it.
"""

from __future__ import annotations

import asyncio
from typing import Any

CONTRACT = "retrying-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"retry.succeeds"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class EmptyResult(Exception):
    """The op returned nothing useful."""


class EagerRetrier:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        if operation_name.startswith("_") or not operation_name.isidentifier():
            raise ValueError(f"bad operation name {operation_name!r}")
        op = getattr(tool, operation_name)
        error: Exception = EmptyResult(operation_name)
        for n in range(1, max_retries + 1):
            try:
                out = op(**params)
                if asyncio.iscoroutine(out):
                    out = await out
                if out:  # BUG: 0, "", [], None are results too
                    return out
                error = EmptyResult(f"{operation_name} returned {out!r}")
            except Exception as exc:
                error = exc
            if n < max_retries:
                await asyncio.sleep(0.005 * n)
        raise error


def factory() -> EagerRetrier:
    return EagerRetrier()
