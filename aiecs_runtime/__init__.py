"""The reference runtime: production-grade implementations of every execution contract."""

from ._keys import cache_key, canonical_bytes

__all__ = [
    "cache_key",
    "canonical_bytes",
]

# -- optional back ends (extras "redis", "celery"): imported on first use ----------------
from typing import TYPE_CHECKING, Any

from ._optional import lazy_attribute

if TYPE_CHECKING:
    from ._cache_health import CacheStats
    from ._redis_cache import AsyncRedisCache, RedisCache

__all__ += ["AsyncRedisCache", "CacheStats", "RedisCache"]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, name)
