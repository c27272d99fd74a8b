"""Flawed tool executor: errors are wrapped inside ``except`` without ``from``.

The mistake: ``raise OperationFailedError(f"... {e}")`` inside the handler leaves the op's
exception only as ``__context__`` (the accident of raising while handling), not as
``__cause__``: code that walks ``__cause__`` to find the real error finds nothing, and
``raise ... from None`` elsewhere would drop it. ``executor.errors.propagate`` catches
it, and ``executor.errors.typed`` (should).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Coroutine
from typing import Any, cast

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.errors.propagate"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"executor.errors.typed"})


def _find(tool: object, name: object) -> Any:
    ok = isinstance(name, str) and name.isidentifier() and not name.startswith("_")
    fn = getattr(tool, str(name), None) if ok else None
    if fn is None or not callable(fn):
        raise OperationNotFoundError(f"no public operation {name!r} on {type(tool).__name__}")
    return fn


def _in_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Executor:
    """Wraps every failure in OperationFailedError."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op."""
        fn = _find(tool, operation_name)
        try:
            res: Any = fn(**params)
            if inspect.isawaitable(res):
                if _in_loop():
                    if inspect.iscoroutine(res):
                        res.close()
                    raise RuntimeError("async op called with execute() inside a loop")
                res = asyncio.run(cast("Coroutine[Any, Any, Any]", res))
            return res
        except RuntimeError:
            raise
        except Exception as e:
            raise OperationFailedError(f"{operation_name} failed: {e}")  # noqa: B904 - BUG

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await the op."""
        fn = _find(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(fn):
                res: Any = fn(**params)
            else:
                res = await asyncio.to_thread(fn, **params)
            if inspect.isawaitable(res):
                res = await res
            return res
        except Exception as e:
            raise OperationFailedError(f"{operation_name} failed: {e}")  # noqa: B904 - BUG


def factory() -> Executor:
    """A fresh executor."""
    return Executor()
