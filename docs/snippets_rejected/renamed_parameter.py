"""Rejected by pyright only: a renamed parameter, which breaks callers passing it by keyword.

mypy accepts this class; `explain` and the kit's `signature.parameters` check catch it.
"""

from typing import Any

from aiecs_contracts import IToolProvider


class Renamed:
    def get_tool(self, name: str) -> Any:
        return None

    def has_tool(self, tool_name: str) -> bool:
        return False


_: type[IToolProvider] = Renamed  # rejected by pyright; mypy misses it
