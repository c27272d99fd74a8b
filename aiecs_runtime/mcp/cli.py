"""The ``aiecs-mcp`` command: ``serve MODULE:ATTR`` serves a `ToolRegistry` over MCP.

    aiecs-mcp serve myapp.tools:registry                      # stdio (what MCP clients spawn)
    aiecs-mcp serve myapp.tools:make_registry --transport streamable-http --port 8000

``ATTR`` is a `ToolRegistry`, or a callable taking no arguments that returns one (a
factory function, or a `ToolRegistry` subclass). Anything else, a module that does not
import, or an attribute that is missing is refused with one line on stderr, exit 2.
Diagnostics go to stderr only: on stdio, stdout carries the protocol.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import os
import sys
from collections.abc import Sequence
from typing import Any

import anyio

from .._registry import ToolRegistry
from .._tool_executor import ToolExecutor
from ._serve import build_server, serve_http, serve_stdio, served_names

__all__ = ["UsageError", "load_registry", "main"]


class UsageError(Exception):
    """Raised when the ``MODULE:ATTR`` given cannot be served (the CLI exits 2)."""


def load_registry(spec: str) -> ToolRegistry:
    """The `ToolRegistry` named by ``MODULE:ATTR`` (ATTR may be a zero-argument factory)."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise UsageError(f"{spec!r}: expected MODULE:ATTR, e.g. myapp.tools:registry")
    # A console script does not put the working directory on sys.path (python -m does);
    # the user means a module of the project they are in.
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise UsageError(f"cannot import {module_name!r}: {type(exc).__name__}: {exc}") from exc
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError(f"{module_name!r} has no attribute {attr!r}") from None
    if isinstance(obj, ToolRegistry):
        return obj
    expected = "expected a ToolRegistry or a zero-argument callable returning one"
    if not callable(obj):
        raise UsageError(f"{spec} is a {type(obj).__name__}; {expected}")
    try:
        inspect.signature(obj).bind()
    except TypeError:
        raise UsageError(f"{spec} needs arguments; {expected}") from None
    except ValueError:  # no signature to read (a builtin): try the call
        pass
    try:
        made = obj()
    except Exception as exc:
        raise UsageError(f"{spec}() raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(made, ToolRegistry):
        raise UsageError(f"{spec}() returned a {type(made).__name__}; {expected}")
    return made


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aiecs-mcp", description="Serve a ToolRegistry's public ops as MCP tools."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve MODULE:ATTR (a ToolRegistry, or a zero-argument factory of one)",
        description="Each public op of each tool is served as the MCP tool <tool>_<op>.",
    )
    serve.add_argument("target", metavar="MODULE:ATTR")
    serve.add_argument("--transport", choices=("stdio", "streamable-http"), default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="streamable-http only")
    serve.add_argument("--port", type=int, default=8000, help="streamable-http only")
    serve.add_argument("--name", default="aiecs", help="the server name told to clients")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code (2: bad usage or an unservable target)."""
    args = _parser().parse_args(argv)
    try:
        registry = load_registry(args.target)
        names = served_names(registry)
    except (UsageError, ValueError) as exc:
        print(f"aiecs-mcp: error: {exc}", file=sys.stderr)
        return 2
    if names.skipped:
        print(
            f"aiecs-mcp: not served (MCP tool names take A-Z a-z 0-9 _ - only): "
            f"{', '.join(map(repr, names.skipped))}",
            file=sys.stderr,
        )
    executor = ToolExecutor()
    server = build_server(registry, executor=executor, name=args.name)
    where = "stdio"
    if args.transport == "streamable-http":
        where = f"http://{args.host}:{args.port}/mcp"
    print(f"aiecs-mcp: serving {len(names.ops)} tools on {where}", file=sys.stderr)
    try:
        if args.transport == "stdio":
            anyio.run(serve_stdio, server)
        else:
            anyio.run(functools.partial(serve_http, server, host=args.host, port=args.port))
    except KeyboardInterrupt:
        pass
    finally:
        executor.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
