"""A duck-typed tool registry: `IToolProvider` plus dynamic registration (`IToolRegistry`)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import IToolRegistry, ToolNotFoundError, conforms


class DictToolRegistry:
    """Serves tools from a dict guarded by a lock; lookups never copy the tool."""

    def __init__(self, tools: Mapping[str, Any] | None = None) -> None:
        self._tools: dict[str, Any] = dict(tools or {})
        self._lock = threading.Lock()

    def get_tool(self, tool_name: str) -> Any:
        with self._lock:
            try:
                return self._tools[tool_name]
            except KeyError:
                raise ToolNotFoundError(tool_name, available=self._tools) from None

    def has_tool(self, tool_name: str) -> bool:
        with self._lock:
            return tool_name in self._tools

    def register_tool(self, tool_name: str, tool: Any) -> None:
        with self._lock:
            self._tools[tool_name] = tool

    def unregister_tool(self, tool_name: str) -> None:
        with self._lock:
            self._tools.pop(tool_name, None)


if __name__ == "__main__":
    registry = DictToolRegistry({"search": object()})
    print(conforms(registry, IToolRegistry))
    print(registry.has_tool("search"), registry.has_tool("Search"))
    try:
        registry.get_tool("serach")
    except LookupError as exc:
        print(f"{type(exc).__name__}: {exc}")
