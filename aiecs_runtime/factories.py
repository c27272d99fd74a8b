"""Harness factories for the conformance kit: how anyone verifies the runtime.

    aiecs-conformance check aiecs_runtime.factories:cache_provider --contract cache-provider

and likewise ``tool_provider`` (tool-provider), ``tool_executor`` (tool-executor),
``operation_executor`` (operation-executor) and ``execution_interface`` (execution-interface).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._engine import ExecutionEngine
from ._memory_cache import MemoryCache
from ._operation_executor import OperationExecutor
from ._registry import ToolRegistry
from ._tool_executor import ToolExecutor

__all__ = [
    "cache_provider",
    "celery_operation_executor",
    "execution_interface",
    "operation_executor",
    "redis_cache_provider",
    "tool_executor",
    "tool_provider",
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
