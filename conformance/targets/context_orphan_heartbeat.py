"""Flawed async context executor: a heartbeat task started on entry is never stopped.

The mistake: ``__aenter__`` starts ``asyncio.create_task(self._heartbeat())`` to keep a
connection alive, and ``__aexit__`` only flips a flag the task checks once a minute — the
task outlives the context. ``context.cleanup`` (should) catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from types import TracebackType
from typing import Any

CONTRACT = "async-context-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"context.cleanup"})


class HeartbeatExecutor:
    def __init__(self, tools: Mapping[str, Any]) -> None:
        self.tools = dict(tools)
        self.open = False
        self.beats = 0
        self._task: asyncio.Task[None] | None = None

    async def _heartbeat(self) -> None:
        while self.open:
            self.beats += 1
            await asyncio.sleep(60)  # only notices `open` once a minute

    async def __aenter__(self) -> HeartbeatExecutor:
        self.open = True
        self._task = asyncio.create_task(self._heartbeat())
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.open = False  # BUG: the task is neither cancelled nor awaited

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        if not self.open:
            raise RuntimeError("executor is closed")
        tool_name, sep, op_name = operation.partition(".")
        if not sep or not tool_name or not op_name.isidentifier() or op_name.startswith("_"):
            raise ValueError(operation)
        method = getattr(self.tools[tool_name], op_name, None) if tool_name in self.tools else None
        if not callable(method):
            raise LookupError(operation)
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        return await asyncio.to_thread(method, **params)


def factory(tools: Mapping[str, Any]) -> HeartbeatExecutor:
    return HeartbeatExecutor(tools)
