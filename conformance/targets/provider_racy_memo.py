"""Flawed tool provider: a one-entry "last lookup" memo on the hot path, without a lock.

The mistake: ``get_tool`` remembers the last name and tool in two attributes and answers
from them when the name matches. It stores the name, then looks the tool up; meanwhile
another thread can see the new name with the old tool, and get the wrong tool.
Single-threaded it is correct, so only ``provider.threads`` (a should) catches it: the
target is "conforming", not "full".
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"provider.threads"})

_NOTHING = object()
logger = logging.getLogger(__name__)


class MemoisingToolProvider:
    """A provider that short-cuts repeated lookups of the same name."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools: dict[str, Any] = dict(tools)
        self._last_name: object = _NOTHING
        self._last_tool: Any = None

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool served under ``tool_name``."""
        if tool_name == self._last_name:
            return self._last_tool  # BUG: may pair this name with another lookup's tool
        self._last_name = tool_name
        self._last_tool = self._lookup(tool_name)
        return self._last_tool

    def _lookup(self, tool_name: str) -> Any:
        try:
            tool = self._tools[tool_name]
        except KeyError:
            raise ToolNotFoundError(tool_name, available=self._tools) from None
        # List the tool's operations for the debug log: slow enough that the stale
        # (name, tool) pair above is visible to other threads for most of each lookup.
        members = inspect.getmembers(tool, callable)
        operations = [name for name, _ in members if not name.startswith("_")]
        logger.debug("resolved tool %r with operations %s", tool_name, operations)
        return tool

    def has_tool(self, tool_name: str) -> bool:
        """Return whether ``tool_name`` is served."""
        return tool_name in self._tools


def factory(tools: Mapping[str, object]) -> MemoisingToolProvider:
    """Return a provider serving ``tools``."""
    return MemoisingToolProvider(tools)
