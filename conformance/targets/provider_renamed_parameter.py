"""Flawed tool provider: the parameter is called ``name``, not ``tool_name``.

The mistake: behaviour is right, but every caller passing ``tool_name=...`` by keyword (as
the contract allows) gets a ``TypeError``. Only ``signature.parameters`` catches it: the
behavioural checks call members positionally, as the seed's callers do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.targets.correct_tool_provider import ToolRegistry

CONTRACT = "tool-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"signature.parameters"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class ShortNamesProvider:
    """A provider whose methods take ``name`` instead of ``tool_name``."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._registry = ToolRegistry(tools)

    def get_tool(self, name: str) -> Any:  # BUG: the contract's parameter is tool_name
        """Return the tool served under ``name``."""
        return self._registry.get_tool(name)

    def has_tool(self, name: str) -> bool:  # BUG: the contract's parameter is tool_name
        """Return whether ``name`` is served."""
        return self._registry.has_tool(name)


def factory(tools: Mapping[str, object]) -> ShortNamesProvider:
    """Return a provider serving ``tools``."""
    return ShortNamesProvider(tools)
