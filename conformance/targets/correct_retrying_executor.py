"""A correct retrying executor: ``max_retries`` attempts in all, refusals never retried."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

CONTRACT = "retrying-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class RetryingExecutor:
    """Retries the op's own exceptions with a doubling pause; the last one is re-raised."""

    def __init__(self, first_pause: float = 0.002, longest_pause: float = 0.05) -> None:
        self.first_pause = first_pause
        self.longest_pause = longest_pause

    @staticmethod
    def _operation(tool: Any, operation_name: str) -> Any:
        # Checked once, before the first attempt: a bad name is not a transient failure.
        name: object = operation_name
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"refusing operation name {operation_name!r}: not a public op")
        method = getattr(tool, name, None)
        if not callable(method):
            raise AttributeError(f"{type(tool).__name__} has no operation {name!r}")
        return method

    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        """Call the op until it returns, at most ``max_retries`` times in all."""
        if max_retries < 1:
            raise ValueError(f"max_retries must be >= 1, got {max_retries!r}")
        method = self._operation(tool, operation_name)
        pause = self.first_pause
        for attempt in range(max_retries):
            try:
                if inspect.iscoroutinefunction(method):
                    return await method(**params)
                return await asyncio.to_thread(method, **params)
            except Exception:
                if attempt == max_retries - 1:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.longest_pause)
        raise AssertionError("unreachable")


def factory() -> RetryingExecutor:
    """Return a fresh retrying executor."""
    return RetryingExecutor()
