"""Ask the type checkers, not just the tests: `type[P] = Cls` and Protocol-typed parameters."""

from __future__ import annotations

from typing import Any

from aiecs_contracts import ICacheProvider, IToolProvider


class DictTools:
    """Written without any import of aiecs_contracts: the contract is structural."""

    def __init__(self, **tools: Any) -> None:
        self._tools = tools

    def get_tool(self, tool_name: str) -> Any:
        return self._tools[tool_name]

    def has_tool(self, tool_name: str) -> bool:
        return tool_name in self._tools


# --8<-- [start:idiom]
# The idiom: one line per implementation, checked by mypy and pyright on every run.
# It fails the type check (not a test, not production) the day DictTools drifts.
_: type[IToolProvider] = DictTools
# --8<-- [end:idiom]


def describe(provider: IToolProvider, name: str) -> str:
    """Depend on the contract, never on a concrete class."""
    return f"{name}: {'served' if provider.has_tool(name) else 'missing'}"


def warm(cache: ICacheProvider, key: str) -> None:
    if cache.get_from_cache(key) is None:
        cache.add_to_cache(key, "warm")


print(describe(DictTools(search=object()), "search"))
print(describe(DictTools(), "search"))
