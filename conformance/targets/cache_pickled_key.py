"""Flawed cache: the key is the digest of ``pickle.dumps`` of the call.

Pickle handles every type, so ``cache.key.total`` passes; but it writes dicts in
insertion order and sets in iteration order, so the same params built in another order
get another key, and sets of strings (whose order follows ``PYTHONHASHSEED``) get
another key in every process. ``cache.key.deterministic`` (sets of ints that collide in
a small table, inserted in both orders) and ``cache.key.stable_across_processes`` catch it.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"cache.key.deterministic", "cache.key.stable_across_processes"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class PickleKeyCache(LruCache):
    """An LRU cache keyed by pickled calls."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the SHA-256 of the pickled call, kwargs sorted by name."""
        blob = pickle.dumps(
            (operation_type, user_id, task_id, tuple(args), sorted(kwargs.items())), protocol=5
        )  # BUG: sets and nested dicts pickle in iteration order
        return hashlib.sha256(blob).hexdigest()


def factory() -> PickleKeyCache:
    """Return a fresh, empty cache."""
    return PickleKeyCache(max_size=64)
