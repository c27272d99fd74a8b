"""Flawed tool registry: ``has_tool`` reads a name index that ``unregister_tool`` forgets.

The mistake: a ``frozenset`` of names kept for fast membership tests is rebuilt on
``register_tool`` but not on ``unregister_tool``, so an unregistered tool is still
"there" for ``has_tool``. Only ``provider.registry`` catches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.targets.correct_tool_provider import ToolRegistry

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"provider.registry"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class IndexedToolRegistry(ToolRegistry):
    """A registry answering ``has_tool`` from a precomputed name index."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        super().__init__(tools)
        self._names = frozenset(self._tools)

    def has_tool(self, tool_name: str) -> bool:
        """Return whether ``tool_name`` is in the name index."""
        return tool_name in self._names

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve ``tool`` and refresh the index."""
        super().register_tool(tool_name, tool)
        self._names = frozenset(self._tools)

    # BUG: unregister_tool is inherited unchanged, so the index keeps the removed name


def factory(tools: Mapping[str, object]) -> IndexedToolRegistry:
    """Return a registry serving ``tools``."""
    return IndexedToolRegistry(tools)
