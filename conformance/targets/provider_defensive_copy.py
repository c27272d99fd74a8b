"""Flawed tool provider: ``get_tool`` returns a copy "so callers cannot mutate our tools".

The mistake: tools hold state (connections, caches, counters) and are compared by
identity; a copy per lookup loses that state and breaks ``is`` checks.
``provider.get_tool.identity`` catches it, and ``provider.threads`` (should) sees another
object under threads as well.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"provider.get_tool.identity"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"provider.threads"})


class CopyingToolProvider:
    """A read-only provider that hands out shallow copies of its tools."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools: dict[str, Any] = dict(tools)

    def get_tool(self, tool_name: str) -> Any:
        """Return a copy of the tool served under ``tool_name``."""
        try:
            tool = self._tools[tool_name]
        except KeyError:
            raise ToolNotFoundError(tool_name, available=self._tools) from None
        return copy.copy(tool)  # BUG: a new object on every call

    def has_tool(self, tool_name: str) -> bool:
        """Return whether ``tool_name`` is served."""
        return tool_name in self._tools


def factory(tools: Mapping[str, object]) -> CopyingToolProvider:
    """Return a provider serving ``tools``."""
    return CopyingToolProvider(tools)
