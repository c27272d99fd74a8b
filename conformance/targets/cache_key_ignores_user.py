"""Flawed cache: the key leaves out ``user_id`` ("results only depend on the arguments").

The mistake: one user's cached result is served to another user who makes the same call:
a data leak across tenants. ``cache.key.user_isolation`` catches it, and so does
``cache.key.distinct`` (inputs differing only in ``user_id`` share a key).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"cache.key.user_isolation", "cache.key.distinct"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class SharedAcrossUsersCache(LruCache):
    """An LRU cache that shares results between users."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return a canonical key of the call, without the user."""
        # BUG: user_id is left out to "raise the hit rate"
        payload = json.dumps(
            [operation_type, task_id, canonical(tuple(args)), canonical(dict(kwargs))],
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def factory() -> SharedAcrossUsersCache:
    """Return a fresh, empty cache."""
    return SharedAcrossUsersCache(max_size=64)
