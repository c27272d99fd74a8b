"""Flawed cache: the LRU evicts *before* inserting, and only when already over the bound.

The mistake: ``if len(data) > max_size: evict()`` runs before the new key goes in, so the
cache settles at ``max_size + 1`` entries. Only ``cache.bounded`` catches it.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.bounded"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class OffByOneCache(LruCache):
    """An LRU cache that holds one entry too many."""

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Make room, then store ``value`` under ``cache_key``."""
        with self._lock:
            if len(self._data) > self.max_size:  # BUG: checked before the insert, with >
                self._data.popitem(last=False)
            self._data[cache_key] = value
            self._data.move_to_end(cache_key)


def factory() -> OffByOneCache:
    """Return a fresh, empty cache with a small bound."""
    return OffByOneCache(max_size=8)
