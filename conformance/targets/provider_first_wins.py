"""Flawed tool registry: ``register_tool`` keeps the first tool registered under a name.

The mistake: ``setdefault`` "so plugins cannot hijack a tool name" -- but the contract says
the latest registration wins, and re-registering a served name (a reloaded plugin, a
replaced client) silently keeps serving the old object. ``provider.registry`` catches it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"provider.registry"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class StickyRegistry:
    """A registry where a name, once taken, keeps its tool until unregistered."""

    def __init__(self, tools: Mapping[str, Any]) -> None:
        self._lock = threading.RLock()
        self._by_name: dict[str, Any] = {**tools}

    def has_tool(self, tool_name: str) -> bool:
        """Whether ``tool_name`` is served."""
        with self._lock:
            return tool_name in self._by_name

    def get_tool(self, tool_name: str) -> Any:
        """The tool served under ``tool_name``."""
        with self._lock:
            if tool_name in self._by_name:
                return self._by_name[tool_name]
        raise ToolNotFoundError(tool_name)

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve ``tool`` under ``tool_name`` unless the name is taken."""
        with self._lock:
            self._by_name.setdefault(tool_name, tool)  # BUG: the latest must win

    def unregister_tool(self, tool_name: str) -> None:
        """Stop serving ``tool_name`` (unknown names are ignored)."""
        with self._lock:
            self._by_name.pop(tool_name, None)


def factory(tools: Mapping[str, Any]) -> StickyRegistry:
    """A registry serving ``tools``."""
    return StickyRegistry(tools)
