"""`ToolRegistry`: a thread-safe name -> tool map with decorator registration and plugins."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from aiecs_contracts import ToolNotFoundError

from ._plugins import points, report_failure

__all__ = ["TOOLS_GROUP", "ToolRegistry"]

TOOLS_GROUP = "aiecs.tools"
"""Entry-point group under which other packages publish tools."""

_log = logging.getLogger("aiecs_runtime.registry")
_T = TypeVar("_T")


def _is_name(value: object) -> bool:
    return isinstance(value, str) and bool(value)


class ToolRegistry:
    """Serves tools by name (`IToolProvider`) and lets them come and go (`IToolRegistry`).

    Reads take no lock (a dict lookup is atomic); writes copy-on-write under a lock, so
    readers in other threads always see a complete map.
    """

    def __init__(self, tools: Mapping[str, Any] | None = None) -> None:
        self._tools: dict[str, Any] = dict(tools or {})
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ToolRegistry({sorted(self._tools)!r})"

    def __len__(self) -> int:
        return len(self._tools)

    def __contains__(self, name: object) -> bool:
        return self.has_tool(name)  # type: ignore[arg-type]

    def has_tool(self, tool_name: str) -> bool:
        """Return whether a tool is served under exactly ``tool_name``; never raises."""
        try:
            return tool_name in self._tools
        except TypeError:  # unhashable
            return False

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool served under ``tool_name`` (the object itself, not a copy)."""
        try:
            return self._tools[tool_name]
        except (KeyError, TypeError):
            raise ToolNotFoundError(str(tool_name), available=self._tools) from None

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve ``tool`` under ``tool_name``, replacing any tool of that name."""
        if not _is_name(tool_name):
            raise ValueError(f"tool name {tool_name!r}: expected a non-empty str")
        with self._lock:
            tools = dict(self._tools)
            tools[tool_name] = tool
            self._tools = tools

    def unregister_tool(self, tool_name: str) -> None:
        """Stop serving ``tool_name``; raises `ToolNotFoundError` if it was not served."""
        with self._lock:
            if tool_name not in self._tools:
                raise ToolNotFoundError(str(tool_name), available=self._tools)
            tools = dict(self._tools)
            del tools[tool_name]
            self._tools = tools

    def list_tools(self) -> list[str]:
        """Return the served names, sorted."""
        return sorted(self._tools)

    def tool(self, tool_name: str) -> Callable[[_T], _T]:
        """Decorator: register a tool object, or an instance of a decorated class."""

        def register(obj: _T) -> _T:
            self.register_tool(tool_name, obj() if isinstance(obj, type) else obj)
            return obj

        return register

    def discover(self, group: str = TOOLS_GROUP, *, replace: bool = False) -> list[str]:
        """Register the tools published under entry-point ``group``; return the names added.

        A class is instantiated with no arguments. A name already served (registered by
        hand, or by an earlier `discover`) is kept unless ``replace``, so discovery is
        idempotent and explicit registration wins. A plugin that fails to load is logged at
        WARNING, naming the entry point and the group, and skipped.
        """
        found: list[str] = []
        for point in points(group):
            if not replace and self.has_tool(point.name):
                _log.debug("kept the tool already registered as %r", point.name)
                continue
            try:
                obj = point.load()
                tool = obj() if isinstance(obj, type) else obj
                self.register_tool(point.name, tool)
            except Exception as error:
                report_failure(_log, point, error, traceback=True)
                continue
            found.append(point.name)
        return found
