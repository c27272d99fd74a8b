"""Flawed cache: a canonical, type-tagged key that forgets to sort the kwargs.

The mistake: ``f(a=1, b=2)`` and ``f(b=2, a=1)`` are the same call, but the key encodes
kwargs in insertion order, so they miss each other's entries. Values inside are encoded
canonically (sets sorted), so keys are still stable across processes: only
``cache.key.deterministic`` catches it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.deterministic"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class InsertionOrderKeyCache(LruCache):
    """An LRU cache whose keys depend on the order kwargs were written in."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return the SHA-256 of the call, kwargs in the order given."""
        # BUG: a list of pairs keeps insertion order; canonical() would have sorted them
        pairs = [[name, canonical(value)] for name, value in kwargs.items()]
        payload = json.dumps([operation_type, user_id, task_id, canonical(tuple(args)), pairs])
        return hashlib.sha256(payload.encode()).hexdigest()


def factory() -> InsertionOrderKeyCache:
    """Return a fresh, empty cache."""
    return InsertionOrderKeyCache(max_size=64)
