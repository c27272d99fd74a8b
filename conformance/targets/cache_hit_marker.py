"""Flawed cache: a hit marks the stored dict with ``"_cached": True`` before returning it.

Meant as a debugging aid ("was this served from the cache?"), it writes into the very
object the caller stored (and got back): the caller's value changes after the add, and
a second read no longer equals what was stored. ``cache.inputs.unchanged`` sees the
stored value change right after the first ``get_from_cache``; ``cache.roundtrip`` sees
the extra key in what the cache returns.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.inputs.unchanged", "cache.roundtrip"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class MarkingCache(LruCache):
    """An LRU cache that tags dict results it serves."""

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the stored value; dicts are marked as served from the cache."""
        value = super().get_from_cache(cache_key)
        if isinstance(value, dict):
            value["_cached"] = True  # BUG: writes into the stored (and the caller's) dict
        return value  # pyright: ignore[reportUnknownVariableType]


def factory() -> MarkingCache:
    """Return a fresh, empty cache."""
    return MarkingCache(max_size=64)
