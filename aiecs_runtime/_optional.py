"""Names of the optional back ends, imported on first use so the extras stay optional.

``import aiecs_runtime`` works without redis or celery installed; touching
``aiecs_runtime.RedisCache`` then raises an ``ImportError`` that names the extra to install.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["LAZY_NAMES", "lazy_attribute"]

# public name -> (module, extra, distribution that must be importable)
_LAZY: dict[str, tuple[str, str, str]] = {
    "RedisCache": ("aiecs_runtime._redis_cache", "redis", "redis"),
    "AsyncRedisCache": ("aiecs_runtime._redis_cache", "redis", "redis"),
    "CacheStats": ("aiecs_runtime._cache_health", "redis", "redis"),
    "TieredCache": ("aiecs_runtime._tiered_cache", "redis", "redis"),
    "CeleryOperationExecutor": ("aiecs_runtime.celery", "celery", "celery"),
    "PrometheusObserver": ("aiecs_runtime._prometheus", "prometheus", "prometheus_client"),
    "OpenTelemetryObserver": ("aiecs_runtime._otel", "otel", "opentelemetry.trace"),
}
LAZY_NAMES: tuple[str, ...] = tuple(sorted(_LAZY))


def lazy_attribute(package: str, name: str) -> Any:
    """Import and return ``name`` of an optional back end, or raise AttributeError."""
    try:
        module_name, extra, dist = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
    try:
        importlib.import_module(dist)
    except ImportError as exc:
        raise ImportError(
            f"{name} needs the {extra!r} extra: pip install 'aiecs-contracts[{extra}]' ({exc})"
        ) from exc
    return getattr(importlib.import_module(module_name), name)
