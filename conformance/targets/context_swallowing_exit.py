"""Flawed async context executor: ``__aexit__`` logs the body's error and returns ``True``.

The mistake: "the context must always close cleanly", so ``__aexit__`` logs any exception
and returns ``True`` — which tells Python to suppress it; the caller's code continues as if
the block had succeeded. ``context.exceptions`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Mapping
from types import TracebackType
from typing import Any

CONTRACT = "async-context-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"context.exceptions"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

log = logging.getLogger(__name__)


class QuietExecutor:
    def __init__(self, tools: Mapping[str, Any]) -> None:
        self.tools = dict(tools)
        self.entered = False

    async def __aenter__(self) -> QuietExecutor:
        self.entered = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> bool:
        self.entered = False
        if exc_val is not None:
            log.warning("error inside executor context: %r", exc_val)
        return True  # BUG: suppresses the body's exception

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        if not self.entered:
            raise RuntimeError("enter the executor with `async with` first")
        tool_name, dot, op_name = str(operation).partition(".")
        if not dot or not tool_name or not op_name.isidentifier() or op_name.startswith("_"):
            raise ValueError(f"bad operation {operation!r}")
        tool = self.tools[tool_name]
        method = getattr(tool, op_name, None)
        if not callable(method):
            raise AttributeError(op_name)
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        return await asyncio.to_thread(method, **params)


def factory(tools: Mapping[str, Any]) -> QuietExecutor:
    return QuietExecutor(tools)
