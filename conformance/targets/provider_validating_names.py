"""Flawed tool provider: ``has_tool`` validates its argument and raises on "bad" names.

The mistake: input validation in a predicate. ``has_tool("")`` or a 10 kB name raises
``ValueError`` instead of answering ``False``, so a caller probing user input crashes.
Only ``provider.total`` catches it (served names are short and non-empty).
"""

from __future__ import annotations

from collections.abc import Mapping

from conformance.targets.correct_tool_provider import ToolRegistry

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"provider.total"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

MAX_NAME_LENGTH = 256


class ValidatingToolRegistry(ToolRegistry):
    """A registry that refuses to answer for empty or over-long names."""

    def has_tool(self, tool_name: str) -> bool:
        """Return whether ``tool_name`` is served; raise on an invalid name."""
        # BUG: a predicate must answer, not raise
        if not tool_name:
            raise ValueError("tool name must not be empty")
        if len(tool_name) > MAX_NAME_LENGTH:
            raise ValueError(f"tool name longer than {MAX_NAME_LENGTH} characters")
        return super().has_tool(tool_name)


def factory(tools: Mapping[str, object]) -> ValidatingToolRegistry:
    """Return a registry serving ``tools``."""
    return ValidatingToolRegistry(tools)
