"""Flawed tool provider: names are normalised (``strip().lower()``) "for convenience".

The mistake: ``has_tool("Search ")`` answers ``True`` when only ``"search"`` is served, and
``get_tool("SEARCH")`` hands out the ``"search"`` tool, so a typo silently picks another
tool. ``provider.has_tool.exact`` and ``provider.get_tool.missing`` catch it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ToolNotFoundError

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"provider.has_tool.exact", "provider.get_tool.missing"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _normalise(tool_name: str) -> str:
    return tool_name.strip().lower()  # BUG: distinct names become one


class ForgivingToolProvider:
    """Serves tools by case- and whitespace-insensitive name."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools: dict[str, Any] = {_normalise(n): t for n, t in tools.items()}
        self._original = dict(tools)

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool whose normalised name matches."""
        key = _normalise(tool_name)
        if key not in self._tools:
            raise ToolNotFoundError(tool_name, available=self._original)
        # Prefer the exact entry when the caller spelled it exactly.
        return self._original.get(tool_name, self._tools[key])

    def has_tool(self, tool_name: str) -> bool:
        """Return whether a tool's normalised name matches."""
        return _normalise(tool_name) in self._tools


def factory(tools: Mapping[str, object]) -> ForgivingToolProvider:
    """Return a provider serving ``tools``."""
    return ForgivingToolProvider(tools)
