"""Harness factories for the conformance kit: how anyone verifies the runtime.

    aiecs-conformance check aiecs_runtime.factories:cache_provider --contract cache-provider

and likewise ``tool_provider`` (tool-provider), ``tool_executor`` (tool-executor),
``operation_executor`` (operation-executor), ``execution_interface`` (execution-interface),
and for the seed's extensions ``retrying_executor`` (retrying-executor),
``tool_executor_v2`` (tool-executor-v2), ``async_context_executor``
(async-context-executor), ``versioned`` (versioned) and ``interface_monitor``
(interface-monitor); with the extras, ``redis_cache_provider`` (cache-provider),
``celery_operation_executor`` (operation-executor) and ``mcp_tool_provider``
(tool-provider).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._engine import ExecutionEngine
from ._extensions import ContextExecutor, MeteredToolExecutor, RetryingToolExecutor
from ._memory_cache import MemoryCache
from ._monitoring import InterfaceMonitor
from ._operation_executor import OperationExecutor
from ._registry import ToolRegistry
from ._tool_executor import ToolExecutor

__all__ = [
    "async_context_executor",
    "cache_provider",
    "celery_operation_executor",
    "execution_interface",
    "interface_monitor",
    "mcp_tool_provider",
    "operation_executor",
    "redis_cache_provider",
    "retrying_executor",
    "tool_executor",
    "tool_executor_v2",
    "tool_provider",
    "versioned",
]


def tool_provider(tools: Mapping[str, Any]) -> ToolRegistry:
    """Return a `ToolRegistry` serving exactly ``tools``."""
    return ToolRegistry(tools)


def tool_executor() -> ToolExecutor:
    """Return a `ToolExecutor` with a `MemoryCache`, so the kit checks caching too."""
    return ToolExecutor(cache=MemoryCache(max_size=256))


def cache_provider() -> MemoryCache:
    """Return a fresh, empty `MemoryCache` with a TTL."""
    return MemoryCache(max_size=1024, ttl=300.0)


def operation_executor(tools: Mapping[str, Any]) -> OperationExecutor:
    """Return an `OperationExecutor` resolving ``"name.op"`` against ``tools``."""
    return OperationExecutor(ToolRegistry(tools), ToolExecutor())


def execution_interface(
    tools: Mapping[str, Any], tasks: Mapping[str, Callable[..., Any]]
) -> ExecutionEngine:
    """Return an `ExecutionEngine` over ``tools`` and ``tasks``."""
    return ExecutionEngine(ToolRegistry(tools), tasks)


# -- the seed's extension interfaces ----------------------------------------------------


def retrying_executor() -> RetryingToolExecutor:
    """Return a `RetryingToolExecutor`: ``max_retries`` attempts, 2 ms backoff doubling."""
    return RetryingToolExecutor()


def tool_executor_v2() -> MeteredToolExecutor:
    """Return a `MeteredToolExecutor` (``execute_with_metrics``, the seed's metrics report)."""
    return MeteredToolExecutor()


def async_context_executor(tools: Mapping[str, Any]) -> ContextExecutor:
    """Return a `ContextExecutor` over ``tools``, for ``async with``."""
    return ContextExecutor(tools)


def versioned() -> MeteredToolExecutor:
    """Return an implementation stating its interface version (``"1.3.0"``)."""
    return MeteredToolExecutor()


def interface_monitor() -> InterfaceMonitor:
    """Return a fresh, empty `InterfaceMonitor`."""
    return InterfaceMonitor()


# -- distributed back ends (extras "redis", "celery"): servers from AIECS_REDIS_URL ------


def redis_cache_provider() -> Any:
    """Return a `RedisCache` on ``AIECS_REDIS_URL`` in a fresh namespace (entries expire)."""
    import uuid

    from ._redis_cache import RedisCache

    return RedisCache(namespace=f"aiecs-kit-{uuid.uuid4().hex}", ttl=600.0)


def celery_operation_executor(tools: Mapping[str, Any]) -> Any:
    """Return a `CeleryOperationExecutor` whose in-process worker serves ``tools``."""
    from ._redis_cache import redis_url_from_env
    from .celery._local import local_executor

    return local_executor(tools, redis_url_from_env())


# -- MCP (extra "mcp") ------------------------------------------------------------------


def mcp_tool_provider(tools: Mapping[str, Any]) -> Any:
    """Return an `MCPToolProvider` serving exactly ``tools`` (as local tools).

    The harness hands Python objects and asks for them back by identity, which no tool
    fetched from a server can be; a connected server is served through the same map
    (``tests/integration/test_mcp_kit.py`` asks the kit's questions of one).
    """
    from .mcp import MCPToolProvider

    return MCPToolProvider(tools)
