"""Flawed tool executor: a cancelled call "ends quietly" with ``None``.

The mistake: ``except asyncio.CancelledError: return None`` (to keep shutdown logs clean)
turns a cancellation into a result: the caller's ``task.cancel()`` never takes effect,
``asyncio.timeout`` cannot stop it, and the cancelled work looks done.
``executor.cancel`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.cancel"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

log = logging.getLogger(__name__)


def _operation(tool: Any, name: object) -> Any:
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise OperationNotFoundError(f"invalid operation {name!r}")
    op = getattr(tool, str(name), None)
    if not callable(op):
        raise OperationNotFoundError(f"unknown operation {name!r}")
    return op


class QuietExecutor:
    """Does not let cancellations escape."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op."""
        op = _operation(tool, operation_name)
        try:
            result = op(**params)
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
        except Exception as exc:
            raise OperationFailedError(f"{operation_name}: {exc}") from exc
        return result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await the op."""
        op = _operation(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(op):
                return await op(**params)
            result = await asyncio.to_thread(op, **params)
            return await result if inspect.isawaitable(result) else result
        except asyncio.CancelledError:
            log.info("%s cancelled", operation_name)
            return None  # BUG: the cancellation is swallowed
        except Exception as exc:
            raise OperationFailedError(f"{operation_name}: {exc}") from exc


def factory() -> QuietExecutor:
    """A fresh executor."""
    return QuietExecutor()
