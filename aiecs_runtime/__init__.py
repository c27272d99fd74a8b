"""The reference runtime: production-grade implementations of every execution contract."""

from ._builtin import EchoTool, local_executor
from ._engine import EXECUTORS_GROUP, ExecutionEngine
from ._keys import cache_key, canonical_bytes
from ._logging import LoggingObserver
from ._memory_cache import MemoryCache
from ._monitoring import ExecutionEvent, ExecutionObserver, InterfaceMonitor, MetricsObserver
from ._operation_executor import OperationExecutor, error_code_for
from ._references import resolve_references
from ._registry import TOOLS_GROUP, ToolRegistry
from ._retry import RetryPolicy
from ._scope import call_scope, current_scope
from ._tool_executor import ToolExecutor
from ._tracing import ExecutionTracer, OpenSpan
from ._wire_classes import register_wire_class

__all__ = [
    "EXECUTORS_GROUP",
    "TOOLS_GROUP",
    "EchoTool",
    "ExecutionEngine",
    "ExecutionEvent",
    "ExecutionObserver",
    "ExecutionTracer",
    "InterfaceMonitor",
    "LoggingObserver",
    "MemoryCache",
    "MetricsObserver",
    "OpenSpan",
    "OperationExecutor",
    "RetryPolicy",
    "ToolExecutor",
    "ToolRegistry",
    "cache_key",
    "call_scope",
    "canonical_bytes",
    "current_scope",
    "error_code_for",
    "local_executor",
    "register_wire_class",
    "resolve_references",
]

# -- optional back ends (extras "redis", "celery"): imported on first use ----------------
from typing import TYPE_CHECKING, Any

from ._optional import lazy_attribute

if TYPE_CHECKING:
    from ._cache_health import CacheStats
    from ._otel import OpenTelemetryObserver
    from ._prometheus import PrometheusObserver
    from ._redis_cache import AsyncRedisCache, RedisCache
    from ._tiered_cache import TieredCache
    from .celery import CeleryOperationExecutor

__all__ += [
    "AsyncRedisCache",
    "CacheStats",
    "CeleryOperationExecutor",
    "OpenTelemetryObserver",
    "PrometheusObserver",
    "RedisCache",
    "TieredCache",
]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, name)
