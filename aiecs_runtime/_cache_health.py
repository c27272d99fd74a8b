"""What RedisCache and AsyncRedisCache share: statistics, outage handling, the value codec.

A cache must never fail the operation it serves. When Redis is unreachable the cache
answers misses and drops writes, counts them, logs one warning per outage (not one per
call), and stops calling Redis for ``retry_after`` seconds so a dead server costs no
connect timeout per operation; the first call after that pause tries again, and the
first success logs the recovery.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from ._wire import UnencodableValueError, WireDecodeError, dumps, loads

__all__ = ["CacheCore", "CacheStats"]

logger = logging.getLogger("aiecs_runtime.redis")

# Every stored value starts with this, so foreign data in the key space (a pickle, another
# program's JSON) is recognised as such and never handed to the decoder as ours.
_MAGIC = b"aiecs.v1:"


@dataclass(frozen=True)
class CacheStats:
    """Counters of a Redis-backed cache since it was created."""

    hits: int
    misses: int
    writes: int
    errors: int
    """Calls that failed because Redis was unreachable or answered an error."""
    skipped_writes: int
    """Writes dropped: the value could not be encoded, or Redis was down."""
    corrupt: int
    """Stored entries that were not valid values of ours (treated as misses)."""
    available: bool
    """False while the cache is in its post-outage pause."""


class CacheCore:
    """Namespace, TTL, codec and outage state of one Redis-backed cache (thread-safe)."""

    def __init__(self, namespace: str, ttl: float | None, retry_after: float) -> None:
        if not namespace:
            raise ValueError("namespace must be a non-empty string, such as 'aiecs'")
        if ttl is not None and ttl <= 0:
            raise ValueError(f"ttl must be a positive number of seconds or None, got {ttl!r}")
        self.namespace = namespace
        self.prefix = f"{namespace}:"
        self.ttl = ttl
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down = False
        self._unencodable_logged: set[str] = set()
        self.hits = self.misses = self.writes = self.errors = 0
        self.skipped_writes = self.corrupt = 0

    # -- keys and values --------------------------------------------------------------

    def redis_key(self, cache_key: str) -> str:
        """The Redis key for ``cache_key`` inside this namespace."""
        return self.prefix + cache_key

    def match_pattern(self) -> str:
        """A SCAN pattern matching exactly this namespace's keys."""
        escaped = "".join("\\" + c if c in "*?[]\\" else c for c in self.namespace)
        return escaped + ":*"

    def px(self, ttl: float | None) -> int | None:
        """The TTL in milliseconds for SET ... PX, or None for no expiry."""
        ttl = self.ttl if ttl is None else ttl
        return None if ttl is None else max(1, int(ttl * 1000))

    def encode(self, value: Any) -> bytes | None:
        """Encode ``value``, or return None (counted, logged once per type) if it cannot be."""
        try:
            return _MAGIC + dumps(value)
        except Exception as exc:  # "never raises": whatever the value, the write is skipped
            type_name = exc.type_name if isinstance(exc, UnencodableValueError) else "other"
            with self._lock:
                self.skipped_writes += 1
                first = type_name not in self._unencodable_logged
                self._unencodable_logged.add(type_name)
            if first:
                logger.warning("not caching a value: %s (logged once per type)", exc)
            return None

    def decode(self, cache_key: str, raw: object) -> Any:
        """Rebuild a stored value, counting the hit or miss; foreign data is a miss."""
        if raw is None:
            with self._lock:
                self.misses += 1
            return None
        try:
            if not isinstance(raw, bytes) or not raw.startswith(_MAGIC):
                raise WireDecodeError("the entry was not written by an aiecs cache")
            value = loads(raw[len(_MAGIC) :])
        except Exception as exc:  # a read never raises: hostile entries are counted misses
            with self._lock:
                self.corrupt += 1
                self.misses += 1
            logger.warning("ignoring cache entry %r: %s", self.redis_key(cache_key), exc)
            return None
        with self._lock:
            self.hits += 1
        return value

    # -- outages ----------------------------------------------------------------------

    def available(self) -> bool:
        """Whether to call Redis now (False during the pause after a failure)."""
        return not self._down or time.monotonic() >= self._down_until

    def skipped(self, *, write: bool) -> None:
        """Count a call answered without Redis because it is down."""
        with self._lock:
            if write:
                self.skipped_writes += 1
            else:
                self.misses += 1

    def failed(self, exc: BaseException, *, write: bool) -> None:
        """Record a failed Redis call and start (or extend) the pause."""
        with self._lock:
            self.errors += 1
            if write:
                self.skipped_writes += 1
            else:
                self.misses += 1
            first = not self._down
            self._down = True
            self._down_until = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "Redis cache %r unavailable (%s: %s); serving misses, retrying every %.1fs",
                self.namespace,
                type(exc).__name__,
                exc,
                self.retry_after,
            )

    def succeeded(self) -> None:
        """Record a successful Redis call, ending an outage if there was one."""
        if self._down:
            with self._lock:
                was_down, self._down = self._down, False
            if was_down:
                logger.warning("Redis cache %r available again", self.namespace)

    def wrote(self) -> None:
        """Count a stored value."""
        with self._lock:
            self.writes += 1

    def stats(self) -> CacheStats:
        """A snapshot of the counters."""
        with self._lock:
            return CacheStats(
                hits=self.hits,
                misses=self.misses,
                writes=self.writes,
                errors=self.errors,
                skipped_writes=self.skipped_writes,
                corrupt=self.corrupt,
                available=self.available(),
            )
