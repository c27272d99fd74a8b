"""Flawed cache: datetimes and times enter the key as their wall-clock text, zone dropped.

``value.replace(tzinfo=None).isoformat()`` was meant to "normalise" times, but it merges
``12:00`` naive, ``12:00+02:00`` and ``12:00-05:00``: three different instants (and a naive
vs an aware value, which the contract names) share a key. ``cache.key.distinct`` catches
it, through its confusable pairs and its one-leaf variation of aware ``time`` and
``datetime`` values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.distinct"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _wall(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.time)):
        return [type(value).__name__, value.replace(tzinfo=None).isoformat()]  # BUG: zone lost
    if isinstance(value, dict):
        mapping: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {k: _wall(v) for k, v in mapping.items()}
    if type(value) in (list, tuple):
        items: list[Any] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        return [_wall(v) for v in items]
    return value


class WallClockCache(LruCache):
    """An LRU cache whose keys ignore time zones."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return a digest of the call with times reduced to their wall clock."""
        doc = canonical([operation_type, user_id, task_id, _wall(list(args)), _wall(kwargs)])
        return hashlib.sha256(repr(doc).encode("utf-8", "surrogatepass")).hexdigest()


def factory() -> WallClockCache:
    """Return a fresh, empty cache."""
    return WallClockCache(max_size=64)
