"""Common IToolProvider mistakes, as `explain` reports them."""

from typing import Any

from aiecs_contracts import IToolProvider, explain


class RenamedParameter:
    def get_tool(self, name: str) -> Any:  # callers pass tool_name=...
        return None

    def has_tool(self, tool_name: str) -> bool:
        return False


class AsyncLookup:
    async def get_tool(self, tool_name: str) -> Any:  # callers do not await it
        return None

    async def has_tool(self, tool_name: str) -> bool:
        return False


for cls in (RenamedParameter, AsyncLookup):
    print(f"{cls.__name__}:")
    for problem in explain(cls, IToolProvider):
        print(f"  {problem}")
