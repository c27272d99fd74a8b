"""Flawed tool provider: ``get_tool`` returns ``None`` for an unknown name (``dict.get``).

The mistake: the failure surfaces far away, as ``'NoneType' object has no attribute
'search'`` deep inside an executor, instead of a ``ToolNotFoundError`` naming the tool.
``provider.get_tool.missing`` catches it, and ``provider.registry`` too (``get_tool`` of a
name after ``unregister_tool`` answers ``None``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.targets.correct_tool_provider import ToolRegistry

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"provider.get_tool.missing", "provider.registry"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class LenientToolRegistry(ToolRegistry):
    """A registry that answers ``None`` for tools it does not have."""

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool served under ``tool_name``, or ``None``."""
        with self._lock:
            return self._tools.get(tool_name)  # BUG: None instead of ToolNotFoundError


def factory(tools: Mapping[str, object]) -> LenientToolRegistry:
    """Return a registry serving ``tools``."""
    return LenientToolRegistry(tools)
