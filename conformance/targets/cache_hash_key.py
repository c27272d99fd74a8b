"""Flawed cache: the key is ``str(hash(...))`` of an otherwise canonical encoding.

The mistake: ``hash()`` of a ``str`` is salted per process (``PYTHONHASHSEED``), so the
same call gets a different key in every worker and a shared cache (Redis, disk) never
hits. Everything else is right, so only ``cache.key.stable_across_processes`` catches it.
"""

from __future__ import annotations

import json
from typing import Any, Dict

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.stable_across_processes"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class HashKeyCache(LruCache):
    """An LRU cache whose keys are short, and different in every process."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return a short key: the built-in hash of the canonical encoding."""
        payload = json.dumps(
            [operation_type, user_id, task_id, canonical(tuple(args)), canonical(dict(kwargs))],
            sort_keys=True,
        )
        return str(hash(payload))  # BUG: salted per process


def factory() -> HashKeyCache:
    """Return a fresh, empty cache."""
    return HashKeyCache(max_size=64)
