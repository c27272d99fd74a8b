"""Flawed async context executor: specs are split with ``rsplit`` and never screened.

The mistake: ``tool, op = spec.rsplit(".", 1)`` then ``getattr(tools[tool], op)`` — so
``"t._secret"`` and ``"t.__class__"`` reach private members, and ``"t.echo.extra"`` looks
for a tool named ``"t.echo"``. ``context.refusals`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from types import TracebackType
from typing import Any

CONTRACT = "async-context-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"context.refusals"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class SplitExecutor:
    def __init__(self, tools: Mapping[str, Any]) -> None:
        self._tools = tools
        self._inside = False

    async def __aenter__(self) -> SplitExecutor:
        self._inside = True
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> bool:
        self._inside = False
        return False

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        if not self._inside:
            raise RuntimeError("use `async with` first")
        tool_name, op_name = operation.rsplit(".", 1)  # BUG: no check of either half
        method = getattr(self._tools[tool_name], op_name)
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        return await asyncio.to_thread(method, **params)


def factory(tools: Mapping[str, Any]) -> SplitExecutor:
    return SplitExecutor(tools)
