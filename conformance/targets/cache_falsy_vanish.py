"""Flawed cache: ``get_from_cache`` tests the value's truth, so falsy values vanish.

The mistake: ``if value: return value`` treats a stored ``0``, ``""``, ``[]`` or ``False``
as a miss. Callers recompute (or worse, report "not found") for every falsy result.
Only ``cache.roundtrip`` catches it (it stores ``0``, ``""``, ``[]`` and ``False``
explicitly).
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.roundtrip"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class TruthyCache(LruCache):
    """An LRU cache that cannot return falsy values."""

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the stored value, or ``None`` on a miss (and, wrongly, for falsy values)."""
        with self._lock:
            value = self._data.get(cache_key)
            if value:  # BUG: 0, "", [], False and {} look like misses
                self._data.move_to_end(cache_key)
                return value
            return None


def factory() -> TruthyCache:
    """Return a fresh, empty cache."""
    return TruthyCache(max_size=64)
