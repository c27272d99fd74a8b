"""Rejected by pyright only: positional-only parameters where callers may use keywords.

mypy accepts this class (it does not compare positional-only against keyword
parameters of a Protocol); `explain` and the kit's `signature.parameters` check catch it.
"""

from typing import Any

from aiecs_contracts import IToolProvider


class PositionalOnly:
    def get_tool(self, tool_name: str, /) -> Any:
        return None

    def has_tool(self, tool_name: str, /) -> bool:
        return False


_: type[IToolProvider] = PositionalOnly  # rejected by pyright; mypy misses it
