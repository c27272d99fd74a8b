"""Flawed async context executor: the context manager is decoration; calls work anywhere.

The mistake: ``__aenter__`` returns ``self`` and ``__aexit__`` does nothing, so
``execute_in_context`` runs before the context is entered and after it is closed.
``context.closed`` (should) catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from types import TracebackType
from typing import Any

CONTRACT = "async-context-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"context.closed"})


class StatelessExecutor:
    def __init__(self, tools: Mapping[str, Any]) -> None:
        self.tools = dict(tools)

    async def __aenter__(self) -> StatelessExecutor:
        return self

    async def __aexit__(
        self, a: type[BaseException] | None, b: BaseException | None, c: TracebackType | None
    ) -> None:
        return None  # BUG: nothing marks the executor closed

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        tool_name, sep, op_name = operation.partition(".")
        if not sep or not tool_name or not op_name.isidentifier() or op_name.startswith("_"):
            raise ValueError(operation)
        if tool_name not in self.tools:
            raise LookupError(tool_name)
        method = getattr(self.tools[tool_name], op_name, None)
        if not callable(method):
            raise LookupError(operation)
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        return await asyncio.to_thread(method, **params)


def factory(tools: Mapping[str, Any]) -> StatelessExecutor:
    return StatelessExecutor(tools)
