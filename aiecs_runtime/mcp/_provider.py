"""`MCPToolProvider` and `MCPTool`: an MCP server's tools as the ops of one tool object."""

from __future__ import annotations

import contextlib
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiecs_contracts import OperationFailedError, ParameterValidationError, ToolNotFoundError

try:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.types import CallToolResult, TextContent, Tool
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"aiecs_runtime.mcp needs the 'mcp' extra: pip install 'aiecs-contracts[mcp]' ({exc})"
    ) from exc

__all__ = ["MCPTool", "MCPToolProvider"]

Op = Callable[..., Awaitable[Any]]


def _check_json(tool: str, params: Mapping[str, Any]) -> None:
    """Refuse params JSON cannot carry exactly, naming the first bad one (before sending)."""
    for name, value in params.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ParameterValidationError(
                f"{tool}: param {name!r} = {value!r:.80} is not JSON ({exc}); MCP tools take "
                f"JSON values only (str, int, finite float, bool, None, lists, dicts)",
                errors=((name, "not JSON"),),
            ) from None


def _signature(tool: Tool) -> inspect.Signature:
    """Keyword-only parameters from the input schema: required ones have no default."""
    schema = tool.inputSchema or {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required: set[str] = {str(n) for n in schema.get("required") or ()}
    params = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if name in required else None,
        )
        for name in properties
        if name.isidentifier()
    ]
    if schema.get("additionalProperties", True) is not False:
        params.append(inspect.Parameter("params", inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(params)


def _text(result: CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


def _value(result: CallToolResult) -> Any:
    """What the tool returned: its structured content (unwrapped), else its text."""
    structured = result.structuredContent
    if isinstance(structured, dict):
        return structured["result"] if set(structured) == {"result"} else structured
    text = _text(result)
    try:
        return json.loads(text)
    except ValueError:
        return text


class MCPTool:
    """One MCP server as a tool: each of its tools is an ``async def`` op of this object."""

    def __init__(self, name: str, session: ClientSession, tools: Sequence[Tool]) -> None:
        self.name = name
        self.session = session
        reachable = [t for t in tools if t.name.isidentifier() and not t.name.startswith("_")]
        self.operations: tuple[str, ...] = tuple(t.name for t in reachable)
        self.unreachable: tuple[str, ...] = tuple(t.name for t in tools if t not in reachable)
        """Server tools no spec can name (not a public identifier), listed for the user."""
        for tool in reachable:
            setattr(self, tool.name, self._op(tool))

    def __repr__(self) -> str:
        return f"MCPTool({self.name!r}, operations={list(self.operations)!r})"

    def _op(self, tool: Tool) -> Op:
        label = f"{self.name}.{tool.name}"
        session = self.session

        async def call(**params: Any) -> Any:
            _check_json(label, params)
            result = await session.call_tool(tool.name, dict(params))
            if result.isError:
                raise OperationFailedError(
                    f"MCP tool {label} failed: {_text(result) or 'no message'}"
                )
            return _value(result)

        call.__name__ = tool.name
        call.__qualname__ = f"MCPTool.{tool.name}"
        call.__doc__ = tool.description
        call.__signature__ = _signature(tool)  # type: ignore[attr-defined]
        return call


class MCPToolProvider:
    """An `IToolProvider` serving one `MCPTool` per connected MCP server.

    Use it as an async context manager: leaving the context closes every connection (the
    MCP client's streams must be closed by the task that opened them).
    """

    def __init__(self) -> None:
        self._tools: dict[str, MCPTool] = {}
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> MCPToolProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection; the provider serves nothing afterwards."""
        self._tools.clear()
        await self._stack.aclose()

    async def connect_stdio(
        self,
        name: str,
        command: str,
        args: Sequence[str] = (),
        *,
        env: Mapping[str, str] | None = None,
    ) -> MCPTool:
        """Start ``command args`` as an MCP server on stdio and serve it as tool ``name``."""
        server = StdioServerParameters(
            command=command, args=list(args), env=None if env is None else dict(env)
        )
        read, write = await self._stack.enter_async_context(stdio_client(server))
        return await self._serve(name, read, write)

    async def connect_http(self, name: str, url: str) -> MCPTool:
        """Connect to a streamable-HTTP MCP server at ``url`` and serve it as tool ``name``."""
        read, write, _ = await self._stack.enter_async_context(streamable_http_client(url))
        return await self._serve(name, read, write)

    async def _serve(self, name: str, read: Any, write: Any) -> MCPTool:
        if not name.isidentifier() or name in self._tools:
            raise ValueError(
                f"MCP server name {name!r}: expected a new identifier (it is the <tool> of "
                f"'<tool>.<op>' specs); served: {sorted(self._tools)}"
            )
        session = await self._stack.enter_async_context(ClientSession(read, write))
        await session.initialize()
        listed = await session.list_tools()
        tool = MCPTool(name, session, listed.tools)
        self._tools[name] = tool
        return tool

    def has_tool(self, tool_name: str) -> bool:
        """Whether a server is served under exactly ``tool_name``."""
        return type(tool_name) is str and tool_name in self._tools

    def get_tool(self, tool_name: str) -> MCPTool:
        """The `MCPTool` of server ``tool_name``; `ToolNotFoundError` otherwise."""
        if type(tool_name) is str and tool_name in self._tools:
            return self._tools[tool_name]
        raise ToolNotFoundError(str(tool_name), available=self._tools)
