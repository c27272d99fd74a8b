"""`MemoryCache`: a bounded, thread-safe LRU cache with optional TTL and hit/miss counts.

Why an ``OrderedDict`` core and not ``cachetools``: measured here, ``cachetools.LRUCache``
plus a lock runs gets at 0.67x and ``TTLCache`` at 0.21x the speed of an ``OrderedDict``
plus a lock (their ``__getitem__``/``__setitem__`` go through several Python-level layers).
The benchmark goal is 1.5x faster than ``LRUCache`` + lock with TTL on, which cachetools
cannot meet by construction, so the core is a dozen lines over ``OrderedDict`` (C-level
``move_to_end``/``popitem``), one lock, and one clock read (``time.monotonic`` unless
injected) per access when a TTL is set.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ._keys import cache_key

__all__ = ["MemoryCache"]


class MemoryCache:
    """An `ICacheProvider` in process memory: LRU-bounded, optional TTL, thread-safe."""

    __slots__ = ("_clock", "_data", "_lock", "hits", "max_size", "misses", "ttl")

    def __init__(
        self,
        *,
        max_size: int = 1024,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` returns seconds (monotonic); inject one to test expiry without waiting."""
        if max_size < 1:
            raise ValueError(f"MemoryCache(max_size={max_size!r}): expected an int >= 1")
        if ttl is not None and not ttl > 0:
            raise ValueError(f"MemoryCache(ttl={ttl!r}): expected seconds > 0 or None")
        self.max_size = max_size
        self.ttl = ttl
        self.hits = 0
        self.misses = 0
        self._clock = clock
        # key -> (value, expires_at); expires_at is inf without a TTL.
        self._data: OrderedDict[str, tuple[Any, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryCache(max_size={self.max_size}, ttl={self.ttl}, len={len(self._data)})"

    def __len__(self) -> int:
        return len(self._data)

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the stable canonical key of one call (see `aiecs_runtime.cache_key`)."""
        return cache_key(operation_type, user_id, task_id, args, kwargs)

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the value stored under ``cache_key``, or ``None`` on a miss or expiry."""
        with self._lock:
            entry = self._data.get(cache_key)
            if entry is None:
                self.misses += 1
                return None
            if self.ttl is not None and entry[1] <= self._clock():
                del self._data[cache_key]
                self.misses += 1
                return None
            self._data.move_to_end(cache_key)
            self.hits += 1
            return entry[0]

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` under ``cache_key``, evicting the least recently used if full."""
        expires = self._clock() + self.ttl if self.ttl is not None else float("inf")
        data = self._data
        with self._lock:
            data[cache_key] = (value, expires)
            data.move_to_end(cache_key)
            if len(data) > self.max_size:
                data.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry (statistics are kept)."""
        with self._lock:
            self._data.clear()

    def stats(self) -> dict[str, int | float]:
        """Return ``{"hits", "misses", "hit_rate", "size", "max_size"}``."""
        with self._lock:
            total = self.hits + self.misses
            return {
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": self.hits / total if total else 0.0,
                "size": len(self._data),
                "max_size": self.max_size,
            }
