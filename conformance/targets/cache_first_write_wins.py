"""Flawed cache: ``add_to_cache`` keeps the first value ("never recompute what we have").

The mistake: ``setdefault`` instead of assignment, so a refreshed result never replaces a
stale one. Only ``cache.overwrite`` catches it.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.overwrite"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class FirstWriteWinsCache(LruCache):
    """An LRU cache whose entries can never be refreshed."""

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` unless ``cache_key`` already holds one."""
        with self._lock:
            self._data.setdefault(cache_key, value)  # BUG: a second add is ignored
            self._data.move_to_end(cache_key)
            while len(self._data) > self.max_size:
                self._data.popitem(last=False)


def factory() -> FirstWriteWinsCache:
    """Return a fresh, empty cache."""
    return FirstWriteWinsCache(max_size=64)
