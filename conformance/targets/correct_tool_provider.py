"""A correct tool provider: an exact-name, thread-safe registry of tool objects."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class ToolRegistry:
    """Serves tools by their exact name; tools can be registered and unregistered."""

    def __init__(self, tools: Mapping[str, object] = {}) -> None:
        self._tools: dict[str, Any] = dict(tools)
        self._lock = threading.Lock()

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool served under ``tool_name`` itself, or raise ``ToolNotFoundError``."""
        with self._lock:
            try:
                return self._tools[tool_name]
            except (KeyError, TypeError):  # TypeError: an unhashable name is never served
                raise ToolNotFoundError(str(tool_name), available=self._tools) from None

    def has_tool(self, tool_name: str) -> bool:
        """Return whether ``tool_name`` is served, comparing names exactly."""
        with self._lock:
            return tool_name in self._tools

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve ``tool`` under ``tool_name``, replacing any earlier tool of that name."""
        with self._lock:
            self._tools[tool_name] = tool

    def unregister_tool(self, tool_name: str) -> None:
        """Stop serving ``tool_name``; unknown names raise ``ToolNotFoundError``."""
        with self._lock:
            if tool_name not in self._tools:
                raise ToolNotFoundError(tool_name, available=self._tools)
            del self._tools[tool_name]


def factory(tools: Mapping[str, object]) -> ToolRegistry:
    """Return a registry serving exactly ``tools``."""
    return ToolRegistry(tools)
