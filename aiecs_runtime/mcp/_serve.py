"""Tools out: a `ToolRegistry`'s public ops served as the tools of an MCP server.

Each public op of each registered tool is the MCP tool ``<tool>_<op>``. The MCP
specification (2025-11-25) lets tool names use ``A-Z a-z 0-9 _ - .``, 1 to 128 of them,
but the model APIs most MCP clients hand tools to refuse the dot (Claude, OpenAI and
several editors accept ``^[a-zA-Z0-9_-]+$`` only), so ``_`` joins the two names and a tool
whose name has other characters is not served (`served_names` says which). Two pairs that
join to one name are refused, naming both.

Calls go through a `ToolExecutor`: params are validated against the op's signature, private
names are refused, errors are translated; an error is an MCP tool error (``isError``)
carrying the executor's message. A result is sent as JSON text and as structured content
``{"result": value}`` (FastMCP's shape for a plain return value, which `MCPToolProvider`
unwraps).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

from .._ops import public_ops
from .._registry import ToolRegistry
from .._tool_executor import ToolExecutor
from ._schema import NotJSONError, input_schema, json_value

try:
    from mcp import types
    from mcp.server.lowlevel import Server
    from mcp.server.stdio import stdio_server
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import TransportSecuritySettings
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"aiecs_runtime.mcp needs the 'mcp' extra: pip install 'aiecs-contracts[mcp]' ({exc})"
    ) from exc

__all__ = ["ServedNames", "build_server", "serve_http", "serve_stdio", "served_names"]

_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True, kw_only=True)
class ServedNames:
    """Which MCP tool serves which op, and the registered tools no MCP name can carry."""

    ops: dict[str, tuple[str, str]] = field(default_factory=dict[str, tuple[str, str]])
    """MCP tool name -> (registered tool name, op name)."""
    skipped: tuple[str, ...] = ()
    """Registered tool names with characters outside ``A-Z a-z 0-9 _ -``."""


def served_names(registry: ToolRegistry) -> ServedNames:
    """The MCP names of ``registry``'s public ops; `ValueError` if two pairs share one."""
    ops: dict[str, tuple[str, str]] = {}
    skipped: list[str] = []
    for tool_name in registry.list_tools():
        if not _NAME.fullmatch(tool_name):
            skipped.append(tool_name)
            continue
        for op in public_ops(registry.get_tool(tool_name), limit=None):
            name = f"{tool_name}_{op}"
            if name in ops or not _NAME.fullmatch(name):
                other = ops.get(name)
                raise ValueError(
                    f"MCP tool name {name!r}: "
                    + (
                        f"both {other[0]}.{other[1]} and {tool_name}.{op} join to it; rename one"
                        if other
                        else "longer than 128 characters; shorten the tool or op name"
                    )
                )
            ops[name] = (tool_name, op)
    return ServedNames(ops=ops, skipped=tuple(skipped))


def _tool(registry: ToolRegistry, name: str, tool_name: str, op: str) -> types.Tool:
    method = getattr(registry.get_tool(tool_name), op)
    try:
        schema = input_schema(method)
    except (TypeError, ValueError):  # no readable signature (a builtin): any object
        schema = {"type": "object"}
    return types.Tool(name=name, description=inspect.getdoc(method), inputSchema=schema)


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], isError=True
    )


def build_server(
    registry: ToolRegistry, *, executor: ToolExecutor, name: str = "aiecs"
) -> Server[Any, Any]:
    """An MCP server (the SDK's low-level `Server`) serving ``registry``'s public ops.

    The registry is read on every request, so tools registered later are served too.
    """
    server: Server[Any, Any] = Server(name)

    async def list_tools() -> list[types.Tool]:
        names = served_names(registry)
        return [_tool(registry, n, tool, op) for n, (tool, op) in names.ops.items()]

    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        target = served_names(registry).ops.get(name)
        if target is None:
            return _error(f"unknown tool {name!r}; served: {sorted(served_names(registry).ops)}")
        tool_name, op = target
        try:
            result = await executor.run(registry.get_tool(tool_name), op, dict(arguments))
        except Exception as error:  # the executor's translated error (ExecutionError)
            return _error(str(error))
        try:
            value = json_value(result)
        except NotJSONError as error:
            return _error(f"{tool_name}.{op} returned no JSON: {error}")
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=json.dumps(value))],
            structuredContent={"result": value},
        )

    # The SDK's decorators are unannotated, so they are called, not applied with "@".
    server.list_tools()(list_tools)  # type: ignore[no-untyped-call]
    # The executor validates params (against the same annotations the schema came from);
    # the SDK's own jsonschema check would run only once the client had listed the tools.
    server.call_tool(validate_input=False)(call_tool)
    return server


async def serve_stdio(server: Server[Any, Any]) -> None:
    """Serve on this process's stdin and stdout until the client closes them."""
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def _security(host: str) -> TransportSecuritySettings | None:
    # As FastMCP does: on a loopback host, refuse requests naming another Host or Origin
    # (DNS rebinding would let a web page reach the server otherwise).
    if host not in _LOOPBACK:
        return None
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )


async def serve_http(server: Server[Any, Any], *, host: str, port: int) -> None:
    """Serve streamable HTTP at ``http://host:port/mcp`` until interrupted."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.types import Receive, Scope, Send

    manager = StreamableHTTPSessionManager(app=server, security_settings=_security(host))

    class _Endpoint:
        # A class, not a function: Starlette passes an ASGI callable's scope through,
        # where it would wrap a function as a request handler.
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await manager.handle_request(scope, receive, send)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncGenerator[None, None]:
        async with manager.run():
            yield

    app = Starlette(routes=[Route("/mcp", endpoint=_Endpoint())], lifespan=lifespan)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    await uvicorn.Server(config).serve()
