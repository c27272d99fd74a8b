"""Flawed cache: the textbook dict-plus-list LRU, with no lock ("the GIL protects us").

The mistake: each ``dict``/``list`` call is atomic under the GIL, but the sequences are
not. ``get_from_cache`` checks ``key in data`` and then moves the key to the back of the
order list; another thread can evict the key in between, and ``list.remove`` raises
``ValueError`` (or ``del data[oldest]`` raises ``KeyError`` when two threads evict the
same entry). Single-threaded everything is right, so only ``cache.threads`` catches it.
"""

from __future__ import annotations

from typing import Any

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.threads"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_MISSING = object()


class UnlockedLruCache:
    """An LRU cache that is only safe from one thread."""

    def __init__(self, max_size: int = 1024) -> None:
        self.max_size = max_size
        self._data: dict[str, Any] = {}
        self._order: list[str] = []  # least recently used first

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the canonical key of the call (the correct target's encoding)."""
        from conformance.targets.correct_cache import LruCache

        return LruCache.generate_cache_key(
            LruCache(), operation_type, user_id, task_id, args, kwargs
        )

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the stored value and mark it recently used, or ``None`` on a miss."""
        if cache_key not in self._data:
            return None
        self._touch(cache_key)  # BUG: the key may be evicted between the check and here
        return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value``; evict the least recently used entry when over the bound."""
        if cache_key in self._data:
            self._touch(cache_key)
        else:
            self._order.append(cache_key)
        self._data[cache_key] = value
        if len(self._data) > self.max_size:
            self._evict()

    def _touch(self, cache_key: str) -> None:
        self._order.remove(cache_key)
        self._order.append(cache_key)

    def _evict(self) -> None:
        oldest = self._order.pop(0)
        del self._data[oldest]

    def clear(self) -> None:
        """Drop every entry."""
        self._data.clear()
        self._order.clear()

    def __len__(self) -> int:
        return len(self._data)


def factory() -> UnlockedLruCache:
    """Return a fresh, empty cache."""
    return UnlockedLruCache(max_size=16)
