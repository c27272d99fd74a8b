"""Flawed tool registry: copy-on-write updates without a lock.

The mistake: readers take no lock because the dict is replaced, never mutated -- good --
but two writers can both copy the old dict, and the second ``self._tools = new`` throws
the first one's change away. Single-threaded it is exactly right; only
``provider.registry.threads`` (a should) catches it: the target is "conforming".
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"provider.registry.threads"})


class SnapshotRegistry:
    """Readers see an immutable snapshot; writers publish a new one."""

    def __init__(self, tools: Mapping[str, Any]) -> None:
        self._tools: Mapping[str, Any] = MappingProxyType(dict(tools))

    def has_tool(self, tool_name: str) -> bool:
        """Whether ``tool_name`` is served."""
        return tool_name in self._tools

    def get_tool(self, tool_name: str) -> Any:
        """The tool served under ``tool_name``."""
        try:
            return self._tools[tool_name]
        except (KeyError, TypeError):
            raise ToolNotFoundError(str(tool_name)) from None

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Publish a snapshot with ``tool`` added."""
        new = dict(self._tools)  # BUG: read-copy-write is not atomic
        new[tool_name] = tool
        self._tools = MappingProxyType(new)

    def unregister_tool(self, tool_name: str) -> None:
        """Publish a snapshot without ``tool_name``."""
        new = dict(self._tools)
        if new.pop(tool_name, None) is None:
            raise ToolNotFoundError(tool_name)
        self._tools = MappingProxyType(new)


def factory(tools: Mapping[str, Any]) -> SnapshotRegistry:
    """A registry serving ``tools``."""
    return SnapshotRegistry(tools)
