"""Flawed tool registry: ``get_tool`` answers from a lookup cache ``unregister_tool`` keeps.

The mistake: resolved tools are cached (the real registry builds tools lazily, so the
cache saves work), ``register_tool`` refreshes the entry, but ``unregister_tool`` only
deletes from the table: ``get_tool`` of an unregistered name still returns the old tool
while ``has_tool`` says ``False``. ``provider.registry`` catches it (``get_tool`` after
``unregister_tool``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"provider.registry"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class CachingRegistry:
    """A table of tools with a read-through cache in front of it."""

    def __init__(self, tools: Mapping[str, Any]) -> None:
        self._table = dict(tools)
        self._resolved: dict[str, Any] = {}

    def has_tool(self, tool_name: str) -> bool:
        """Whether the table serves ``tool_name``."""
        return tool_name in self._table

    def get_tool(self, tool_name: str) -> Any:
        """The tool served under ``tool_name``."""
        if tool_name in self._resolved:
            return self._resolved[tool_name]
        if tool_name not in self._table:
            raise ToolNotFoundError(tool_name, available=list(self._table))
        self._resolved[tool_name] = self._table[tool_name]
        return self._resolved[tool_name]

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve ``tool`` under ``tool_name``."""
        self._table[tool_name] = tool
        self._resolved.pop(tool_name, None)

    def unregister_tool(self, tool_name: str) -> None:
        """Stop serving ``tool_name``."""
        del self._table[tool_name]  # BUG: self._resolved keeps the tool


def factory(tools: Mapping[str, Any]) -> CachingRegistry:
    """A registry serving ``tools``."""
    return CachingRegistry(tools)
