"""Rejected by mypy and pyright: a coroutine where the contract promises a bool."""

from typing import Any

from aiecs_contracts import IToolProvider


class AsyncHasTool:
    def get_tool(self, tool_name: str) -> Any:
        return None

    async def has_tool(self, tool_name: str) -> bool:
        return False


_: type[IToolProvider] = AsyncHasTool  # rejected
