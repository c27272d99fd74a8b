"""`RedisCache` and `AsyncRedisCache`: a cache every worker shares, without pickle.

Keys are the same ``cache_key()`` that ``MemoryCache`` uses, so two processes (or two
machines) asking for the same call find the same entry; the Redis key is that key under a
namespace (``"<namespace>:<key>"``). Values are tagged JSON (see ``_wire``): whoever can
write to Redis can make a read miss, never make a reader run code. An outage degrades to
misses (see ``_cache_health``); no call of these classes raises because Redis is down.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any, Dict, cast

import redis
import redis.asyncio as aredis
from redis.backoff import NoBackoff
from redis.retry import Retry

from ._cache_health import CacheCore, CacheStats
from ._keys import cache_key

__all__ = ["DEFAULT_REDIS_URL", "AsyncRedisCache", "RedisCache", "redis_url_from_env"]

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_url_from_env() -> str:
    """``AIECS_REDIS_URL``, or the local default ``redis://127.0.0.1:6379/0``."""
    return os.environ.get("AIECS_REDIS_URL") or DEFAULT_REDIS_URL


def _client_options(socket_timeout: float) -> dict[str, Any]:
    # One attempt per call: the outage logic above decides when to try again, so a
    # library-level retry with backoff would only make a dead server slower to notice.
    return {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": 0,
    }


class _RedisCacheBase:
    """What the sync and async Redis caches share: namespace, stats and the key."""

    _core: CacheCore

    def __repr__(self) -> str:
        return f"{type(self).__name__}(namespace={self.namespace!r}, ttl={self._core.ttl!r})"

    @property
    def namespace(self) -> str:
        """The prefix of every Redis key this cache writes."""
        return self._core.namespace

    @property
    def stats(self) -> CacheStats:
        """Hits, misses, errors and dropped writes so far."""
        return self._core.stats()

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return the canonical key of this call (the same one MemoryCache uses)."""
        return cache_key(operation_type, user_id, task_id, args, kwargs)


class RedisCache(_RedisCacheBase):
    """An ``ICacheProvider`` on Redis: shared by processes, TTL per entry, JSON values.

    ``RedisCache("redis://host:6379/0", namespace="myapp", ttl=300)``, or pass
    ``client=redis.Redis(...)``. Thread-safe (redis-py pools its connections).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: redis.Redis | None = None,
        namespace: str = "aiecs",
        ttl: float | None = None,
        retry_after: float = 1.0,
        socket_timeout: float = 0.5,
    ) -> None:
        if client is not None and url is not None:
            raise TypeError("pass either url or client, not both")
        self._core = CacheCore(namespace, ttl, retry_after)
        self._owns_client = client is None
        self._client: redis.Redis = client or redis.Redis.from_url(  # pyright: ignore[reportUnknownMemberType]
            url or redis_url_from_env(), **_client_options(socket_timeout)
        )

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the stored value, or None on a miss, a foreign entry or an outage."""
        core = self._core
        if not core.available():
            core.skipped(write=False)
            return None
        try:
            raw = self._client.get(core.redis_key(cache_key))
        except redis.RedisError as exc:
            core.failed(exc, write=False)
            return None
        core.succeeded()
        return core.decode(cache_key, raw)

    def add_to_cache(self, cache_key: str, value: Any, *, ttl: float | None = None) -> None:
        """Store ``value`` (for ``ttl`` seconds, else the cache's TTL); never raises."""
        core = self._core
        data = core.encode(value)
        if data is None:
            return
        if not core.available():
            core.skipped(write=True)
            return
        try:
            self._client.set(core.redis_key(cache_key), data, px=core.px(ttl))
        except redis.RedisError as exc:
            core.failed(exc, write=True)
            return
        core.succeeded()
        core.wrote()

    def clear(self) -> None:
        """Delete every entry of this namespace (other namespaces are untouched)."""
        batch: list[bytes] = []
        keys = cast(
            Iterator[bytes],
            self._client.scan_iter(match=self._core.match_pattern(), count=500),  # pyright: ignore[reportUnknownMemberType]
        )
        for key in keys:
            batch.append(key)
            if len(batch) >= 500:
                self._client.unlink(*batch)
                batch.clear()
        if batch:
            self._client.unlink(*batch)

    def close(self) -> None:
        """Close the connection pool (only if this cache created the client)."""
        if self._owns_client:
            self._client.close()


class AsyncRedisCache(_RedisCacheBase):
    """``RedisCache`` for ``asyncio`` code (redis.asyncio): awaitable get/add/clear.

    Not an ``ICacheProvider`` (whose methods are synchronous); meant for code that runs
    inside an event loop, such as an async operation executor. Use it from one loop.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: aredis.Redis | None = None,
        namespace: str = "aiecs",
        ttl: float | None = None,
        retry_after: float = 1.0,
        socket_timeout: float = 0.5,
    ) -> None:
        if client is not None and url is not None:
            raise TypeError("pass either url or client, not both")
        self._core = CacheCore(namespace, ttl, retry_after)
        self._owns_client = client is None
        self._client: aredis.Redis = client or aredis.Redis.from_url(  # pyright: ignore[reportUnknownMemberType]
            url or redis_url_from_env(), **_client_options(socket_timeout)
        )

    async def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the stored value, or None on a miss, a foreign entry or an outage."""
        core = self._core
        if not core.available():
            core.skipped(write=False)
            return None
        try:
            raw = await self._client.get(core.redis_key(cache_key))
        except redis.RedisError as exc:
            core.failed(exc, write=False)
            return None
        core.succeeded()
        return core.decode(cache_key, raw)

    async def add_to_cache(self, cache_key: str, value: Any, *, ttl: float | None = None) -> None:
        """Store ``value`` (for ``ttl`` seconds, else the cache's TTL); never raises."""
        core = self._core
        data = core.encode(value)
        if data is None:
            return
        if not core.available():
            core.skipped(write=True)
            return
        try:
            await self._client.set(core.redis_key(cache_key), data, px=core.px(ttl))
        except redis.RedisError as exc:
            core.failed(exc, write=True)
            return
        core.succeeded()
        core.wrote()

    async def clear(self) -> None:
        """Delete every entry of this namespace (other namespaces are untouched)."""
        batch: list[bytes] = []
        keys = cast(
            AsyncIterator[bytes],
            self._client.scan_iter(match=self._core.match_pattern(), count=500),  # pyright: ignore[reportUnknownMemberType]
        )
        async for key in keys:
            batch.append(key)
            if len(batch) >= 500:
                await self._client.unlink(*batch)
                batch.clear()
        if batch:
            await self._client.unlink(*batch)

    async def aclose(self) -> None:
        """Close the connection pool (only if this cache created the client)."""
        if self._owns_client:
            await self._client.aclose()
