"""`TieredCache`: a small in-process cache in front of a shared Redis cache.

Reads try the front first and fill it from the back on a back hit; writes go to both.
The front's TTL bounds how long a process may serve a value another process has since
replaced in Redis, so keep it short where that matters.
"""

from __future__ import annotations

import logging
from typing import Any, Dict

from aiecs_contracts import ICacheProvider

from ._redis_cache import RedisCache

__all__ = ["TieredCache"]

logger = logging.getLogger("aiecs_runtime.redis")


class TieredCache:
    """An ``ICacheProvider``: ``front`` (default a ``MemoryCache``) over a ``RedisCache``."""

    def __init__(
        self,
        back: RedisCache,
        *,
        front: ICacheProvider | None = None,
        front_size: int = 1024,
        front_ttl: float | None = 30.0,
    ) -> None:
        if front is None:
            from ._memory_cache import MemoryCache

            front = MemoryCache(max_size=front_size, ttl=front_ttl)
        self.front: ICacheProvider = front
        self.back = back

    def __repr__(self) -> str:
        return f"TieredCache(front={self.front!r}, back={self.back!r})"

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return the canonical key of this call (both tiers use the same one)."""
        return self.back.generate_cache_key(operation_type, user_id, task_id, args, kwargs)

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the front's value, else the back's (copied into the front), else None.

        Never raises: a tier that fails answers a miss (the Redis tier counts it).
        """
        try:
            value = self.front.get_from_cache(cache_key)
        except Exception:
            logger.warning("front tier read failed; asking the back tier", exc_info=True)
            value = None
        if value is not None:
            return value
        value = self.back.get_from_cache(cache_key)
        if value is not None:
            self._add_front(cache_key, value)
        return value

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` in both tiers; never raises."""
        self.back.add_to_cache(cache_key, value)
        self._add_front(cache_key, value)

    def _add_front(self, cache_key: str, value: Any) -> None:
        try:
            self.front.add_to_cache(cache_key, value)
        except Exception:
            logger.warning("front tier write failed; the back tier holds the value", exc_info=True)

    def clear(self) -> None:
        """Empty both tiers (the front only if it has ``clear()``)."""
        clear = getattr(self.front, "clear", None)
        if callable(clear):
            clear()
        self.back.clear()
