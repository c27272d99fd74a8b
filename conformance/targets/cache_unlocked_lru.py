"""Flawed cache: an ``OrderedDict`` LRU with no lock ("dict operations are atomic").

The mistake: each ``OrderedDict`` call is atomic under the GIL, but the sequences are not:
``get`` checks ``key in data`` and then calls ``move_to_end(key)``, and another thread's
eviction in between makes ``move_to_end`` raise ``KeyError``. Single-threaded everything is
right, so only ``cache.threads`` catches it.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.threads"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class UnlockedLruCache(LruCache):
    """An LRU cache that is only safe from one thread."""

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the stored value and mark it recently used, or ``None`` on a miss."""
        if cache_key not in self._data:
            return None
        self._data.move_to_end(cache_key)  # BUG: the key may have been evicted meanwhile
        return self._data[cache_key]

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value``; evict the oldest entry when over the bound."""
        self._data[cache_key] = value
        self._data.move_to_end(cache_key)  # BUG: ... or here
        if len(self._data) > self.max_size:
            self._data.popitem(last=False)


def factory() -> UnlockedLruCache:
    """Return a fresh, empty cache with a small bound, so eviction is frequent."""
    return UnlockedLruCache(max_size=4)
