"""Flawed cache: Decimals enter the key as ``int(d)``, "they are ids anyway".

The encoder was written for a service whose Decimals were whole amounts in cents, so
``Decimal("1.5")`` and ``Decimal("1.7")`` (and any two values with the same integer part)
share a key, and ``int()`` of ``NaN`` / ``Infinity`` raises. ``cache.key.distinct`` (its
one-leaf variation changes a single Decimal of a nested input) and ``cache.key.total``
(special Decimals) catch it; the other generated key checks meet the ``ValueError`` too
(``cache.key.deterministic``, ``cache.key.stable_across_processes``).
"""

from __future__ import annotations

import decimal
import hashlib
import json
from typing import Any

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "cache.key.distinct",
        "cache.key.total",
        # the generated inputs of these two meet a Decimal NaN, and int() raises
        "cache.key.deterministic",
        "cache.key.stable_across_processes",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _encode(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return ["decimal", int(value)]  # BUG: drops the fraction; raises on NaN / Infinity
    if isinstance(value, dict):
        mapping: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return ["dict", sorted([k, _encode(v)] for k, v in mapping.items())]
    if type(value) in (list, tuple):
        items: list[Any] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        return ["seq", [_encode(v) for v in items]]
    return canonical(value)


class CentsCache(LruCache):
    """An LRU cache that keys Decimals by their integer part."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the SHA-1 of the JSON form of the call."""
        doc = [operation_type, user_id, task_id, _encode(list(args)), _encode(kwargs)]
        return hashlib.sha1(json.dumps(doc, default=repr).encode()).hexdigest()


def factory() -> CentsCache:
    """Return a fresh, empty cache."""
    return CentsCache(max_size=64)
