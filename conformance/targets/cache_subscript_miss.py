"""Flawed cache: ``get_from_cache`` indexes the dict, so a miss raises ``KeyError``.

The mistake: ``return self._data[key]`` instead of a lookup with a default; every caller
written against the contract (``if (hit := cache.get_from_cache(k)) is None: ...``) crashes
on the first miss. ``cache.miss`` catches it; so does every check that reads a key that
is not (or no longer) there: ``cache.overwrite`` (its state machine reads keys before
adding them), ``cache.threads`` (readers race ahead of writers) and ``cache.clear`` (a
cleared key must miss with ``None``).
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"cache.miss", "cache.overwrite", "cache.threads", "cache.clear"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class SubscriptCache(LruCache):
    """An LRU cache that raises on a miss."""

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the value stored under ``cache_key``."""
        with self._lock:
            value = self._data[cache_key]  # BUG: KeyError instead of None on a miss
            self._data.move_to_end(cache_key)
            return value


def factory() -> SubscriptCache:
    """Return a fresh, empty cache."""
    return SubscriptCache(max_size=64)
