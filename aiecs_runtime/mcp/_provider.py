"""`MCPToolProvider` and `MCPTool`: an MCP server's tools as the ops of one tool object."""

from __future__ import annotations

import contextlib
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from aiecs_contracts import OperationFailedError, ParameterValidationError, ToolNotFoundError

from .._registry import ToolRegistry

try:
    import anyio
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
    """An `IToolRegistry` serving one `MCPTool` per connected MCP server, and local tools.

    Servers and local tools share one map with `ToolRegistry`'s rules: ``tools`` given here
    and `register_tool` serve Python objects next to the servers, the latest registration
    of a name wins, and `unregister_tool` stops serving a server's name too (its connection
    stays open until `aclose`). Use it as an async context manager: leaving the context
    closes every connection (the MCP client's streams must be closed by the task that
    opened them) and stops serving the servers; local tools stay.
    """

    def __init__(self, tools: Mapping[str, Any] | None = None) -> None:
        self._registry = ToolRegistry(tools)
        self._servers: dict[str, MCPTool] = {}
        self._stack = contextlib.AsyncExitStack()

    def __repr__(self) -> str:
        return f"MCPToolProvider(servers={sorted(self._servers)!r}, tools={self.list_tools()!r})"

    async def __aenter__(self) -> MCPToolProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection and stop serving the servers (local tools stay)."""
        servers, self._servers = self._servers, {}
        for name, tool in servers.items():
            with contextlib.suppress(ToolNotFoundError):
                # Only if the name still serves that server (not replaced by register_tool).
                if self._registry.has_tool(name) and self._registry.get_tool(name) is tool:
                    self._registry.unregister_tool(name)
        await self._stack.aclose()

    async def connect_stdio(
        self,
        name: str,
        command: str,
        args: Sequence[str] = (),
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        timeout: float = 30.0,
    ) -> MCPTool:
        """Start ``command args`` as an MCP server on stdio and serve it as tool ``name``.

        ``env`` None gives the server the SDK's default environment (``PATH``, ``HOME`` and
        a few more, not this process's whole environment); ``cwd`` None, this directory.
        A server that has not answered the handshake and its tool list within ``timeout``
        seconds raises `TimeoutError`.
        """
        self._check_new(name)
        server = StdioServerParameters(
            command=command, args=list(args), env=None if env is None else dict(env), cwd=cwd
        )
        read, write = await self._stack.enter_async_context(stdio_client(server))
        return await self._serve(name, read, write, timeout)

    async def connect_http(self, name: str, url: str, *, timeout: float = 30.0) -> MCPTool:
        """Connect to a streamable-HTTP MCP server at ``url`` and serve it as tool ``name``.

        A server that has not answered the handshake and its tool list within ``timeout``
        seconds raises `TimeoutError`.
        """
        self._check_new(name)
        read, write, _ = await self._stack.enter_async_context(streamable_http_client(url))
        return await self._serve(name, read, write, timeout)

    def _check_new(self, name: str) -> None:
        if not name.isidentifier() or self._registry.has_tool(name):
            raise ValueError(
                f"MCP server name {name!r}: expected a new identifier (it is the <tool> of "
                f"'<tool>.<op>' specs); served: {self.list_tools()}"
            )

    async def _serve(self, name: str, read: Any, write: Any, timeout: float) -> MCPTool:
        session = await self._stack.enter_async_context(ClientSession(read, write))
        # Inside the session's task (a cancel scope around enter_async_context would be
        # left by another task): a server that never answers fails instead of hanging.
        try:
            with anyio.fail_after(timeout):
                await session.initialize()
                listed = await session.list_tools()
        except TimeoutError:
            raise TimeoutError(
                f"MCP server {name!r} did not answer initialize and list_tools within {timeout:g} s"
            ) from None
        self._check_new(name)  # again: a tool may have been registered while we connected
        tool = MCPTool(name, session, listed.tools)
        self._servers[name] = tool
        self._registry.register_tool(name, tool)
        return tool

    def has_tool(self, tool_name: str) -> bool:
        """Whether a server or local tool is served under exactly ``tool_name``; never raises."""
        return self._registry.has_tool(tool_name)

    def get_tool(self, tool_name: str) -> Any:
        """The `MCPTool` or local tool served under ``tool_name``; `ToolNotFoundError` otherwise."""
        return self._registry.get_tool(tool_name)

    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve local ``tool`` under ``tool_name`` (a non-empty str), replacing any tool there."""
        self._registry.register_tool(tool_name, tool)

    def unregister_tool(self, tool_name: str) -> None:
        """Stop serving ``tool_name`` (a server or local tool); `ToolNotFoundError` if unserved."""
        self._registry.unregister_tool(tool_name)

    def list_tools(self) -> list[str]:
        """The served names (servers and local tools), sorted."""
        return self._registry.list_tools()
