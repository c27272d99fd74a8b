"""Flawed cache: ``generate_cache_key`` returns ``digest()`` bytes instead of ``hexdigest()``.

The mistake: a one-letter slip that works while everything stays in one process (bytes
are valid dict keys), but breaks every caller that formats, logs or sends the key to
Redis as a ``str``. ``cache.key.type`` catches it; the ``-> bytes`` annotation also fails
``signature.annotations`` (should).
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any, Dict

from conformance.targets.correct_cache import canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.type"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"signature.annotations"})

_MISSING = object()


class BytesKeyCache:
    """An unbounded thread-safe cache keyed by raw SHA-256 digests."""

    def __init__(self) -> None:
        self._data: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> bytes:
        """Return the SHA-256 of the canonical encoding of the call."""
        payload = json.dumps(
            [operation_type, user_id, task_id, canonical(tuple(args)), canonical(dict(kwargs))],
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).digest()  # BUG: bytes, not hexdigest() str

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the value stored under ``cache_key``, or ``None`` on a miss."""
        with self._lock:
            value = self._data.get(cache_key, _MISSING)
            return None if value is _MISSING else value

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` under ``cache_key``."""
        with self._lock:
            self._data[cache_key] = value


def factory() -> BytesKeyCache:
    """Return a fresh, empty cache."""
    return BytesKeyCache()
