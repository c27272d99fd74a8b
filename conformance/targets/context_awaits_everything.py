"""Flawed async context executor: every op is assumed to be ``async def``.

The mistake: ``return await getattr(tool, op)(**params)`` — a plain sync op returns a value,
and awaiting it raises ``TypeError``. ``context.result`` catches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

CONTRACT = "async-context-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"context.result"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class AsyncOnlyExecutor:
    def __init__(self, tools: Mapping[str, Any]) -> None:
        self.tools = dict(tools)
        self.active = False

    async def __aenter__(self) -> AsyncOnlyExecutor:
        self.active = True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.active = False

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        if not self.active:
            raise RuntimeError("not inside `async with`")
        if str(operation).count(".") != 1:
            raise ValueError(operation)
        tool_name, op_name = operation.split(".")
        if not tool_name or not op_name.isidentifier() or op_name.startswith("_"):
            raise ValueError(operation)
        if tool_name not in self.tools or not callable(
            getattr(self.tools[tool_name], op_name, None)
        ):
            raise KeyError(operation)
        return await getattr(self.tools[tool_name], op_name)(**params)  # BUG: sync ops too


def factory(tools: Mapping[str, Any]) -> AsyncOnlyExecutor:
    return AsyncOnlyExecutor(tools)
