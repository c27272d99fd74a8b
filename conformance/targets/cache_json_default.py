"""Flawed cache: keys from ``json.dumps(..., default=...)`` with a hand-written ``default``.

The mistake: the ``default`` hook handles the types its author thought of (datetime,
date, time, Decimal, UUID, bytes, sets, Enum) and raises ``TypeError`` for the rest, so a
call whose params hold a pydantic model or a dataclass cannot be cached at all.
``cache.key.total`` catches it (it generates every type of the params value domain); the
other key checks that generate such values see the ``TypeError`` too:
``cache.key.deterministic``, ``cache.key.distinct``, ``cache.key.user_isolation`` and
``cache.key.stable_across_processes`` (no key at all is neither equal nor distinct).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any, Dict, cast

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "cache.key.total",
        "cache.key.deterministic",
        "cache.key.distinct",
        "cache.key.user_isolation",
        "cache.key.stable_across_processes",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_HANDLED = (dt.date, dt.time, Decimal, uuid.UUID, bytes, set, frozenset, enum.Enum)


def _default(value: object) -> Any:
    if isinstance(value, _HANDLED):
        return canonical(cast("object", value))  # tagged, so Decimal('1') != '1'
    # BUG: pydantic models and dataclasses were never thought of
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class JsonKeyCache(LruCache):
    """An LRU cache keyed by JSON, with a ``default`` hook that misses some types."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return the SHA-256 of the JSON encoding of the call."""
        payload = json.dumps(
            [operation_type, user_id, task_id, list(args), kwargs],
            sort_keys=True,
            default=_default,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def factory() -> JsonKeyCache:
    """Return a fresh, empty cache."""
    return JsonKeyCache(max_size=64)
