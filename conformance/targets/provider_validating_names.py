"""Flawed tool provider: ``has_tool`` validates its argument and raises on "bad" names.

The mistake: input validation in a predicate ("guard against abuse"). ``has_tool`` on a
name longer than 1024 characters raises ``ValueError`` instead of answering ``False``, so a
caller probing user input crashes. Only ``provider.total`` catches it (it tries huge
strings; every other check uses short names).
"""

from __future__ import annotations

from collections.abc import Mapping

from conformance.targets.correct_tool_provider import ToolRegistry

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"provider.total"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

MAX_NAME_LENGTH = 1024


class ValidatingToolRegistry(ToolRegistry):
    """A registry that refuses to answer for over-long names."""

    def has_tool(self, tool_name: str) -> bool:
        """Return whether ``tool_name`` is served; raise on an invalid name."""
        if len(tool_name) > MAX_NAME_LENGTH:  # BUG: a predicate must answer, not raise
            raise ValueError(f"tool name longer than {MAX_NAME_LENGTH} characters")
        return super().has_tool(tool_name)


def factory(tools: Mapping[str, object]) -> ValidatingToolRegistry:
    """Return a registry serving ``tools``."""
    return ValidatingToolRegistry(tools)
