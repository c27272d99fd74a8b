"""Flawed retrying executor: attempts follow one another with no pause at all.

The mistake: ``for _ in range(max_retries): try: return ... except: continue`` — a busy loop
that hammers a struggling service. Everything else is right. ``retry.backoff`` (should)
catches it.
"""

from __future__ import annotations

import inspect
from typing import Any

CONTRACT = "retrying-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"retry.backoff"})


class HastyRetrier:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        if operation_name[:1] in ("", "_") or not operation_name.isidentifier():
            raise NameError(operation_name)
        fn = getattr(tool, operation_name, None)
        if not callable(fn):
            raise NameError(operation_name)
        last: Exception | None = None
        for _ in range(max_retries):
            try:
                value = fn(**params)
                if inspect.isawaitable(value):
                    value = await value
                return value
            except Exception as exc:
                last = exc  # BUG: straight to the next attempt
        assert last is not None
        raise last


def factory() -> HastyRetrier:
    return HastyRetrier()
