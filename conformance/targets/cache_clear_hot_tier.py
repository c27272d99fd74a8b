"""Flawed cache: a two-tier cache whose ``clear()`` empties only the hot tier.

The mistake: reads fall through from a small hot LRU to a backing store (think process
memory in front of Redis); ``clear()`` resets the hot tier and forgets the store, so every
"cleared" key is still served from it. Only ``cache.clear`` catches it.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.clear"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_MISSING = object()


class TwoTierCache(LruCache):
    """A hot LRU in front of an unbounded backing store."""

    def __init__(self, max_size: int = 1024) -> None:
        super().__init__(max_size)
        self._store: dict[str, Any] = {}

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the value from the hot tier, else from the store (promoting it)."""
        with self._lock:
            value = self._data.get(cache_key, _MISSING)
            if value is not _MISSING:
                self._data.move_to_end(cache_key)
                return value
            value = self._store.get(cache_key, _MISSING)
            if value is _MISSING:
                return None
            self._promote(cache_key, value)
            return value

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Write through to the store and the hot tier."""
        with self._lock:
            self._store[cache_key] = value
            self._promote(cache_key, value)

    def _promote(self, cache_key: str, value: Any) -> None:
        self._data[cache_key] = value
        self._data.move_to_end(cache_key)
        while len(self._data) > self.max_size:
            self._data.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry of the hot tier."""
        with self._lock:
            self._data.clear()  # BUG: the backing store still answers for every key


def factory() -> TwoTierCache:
    """Return a fresh, empty cache."""
    return TwoTierCache(max_size=64)
