"""`MemoryCache`: a bounded, thread-safe LRU cache with optional TTL and hit/miss counts.

Why an ``OrderedDict`` core and not ``cachetools``: measured here, ``cachetools.LRUCache``
plus a lock runs gets at 0.67x and ``TTLCache`` at 0.21x the speed of an ``OrderedDict``
plus a lock (their ``__getitem__``/``__setitem__`` go through several Python-level layers).
The benchmark goal is 1.5x faster than ``LRUCache`` + lock with TTL on, which cachetools
cannot meet by construction, so the core is a dozen lines over ``OrderedDict`` (C-level
``move_to_end``/``popitem``), one lock, and one clock read (``time.monotonic`` unless
injected) per access when a TTL is set.

A hit takes no lock. ``dict.get`` and ``move_to_end`` on ``str`` keys are each one C call,
atomic under the GIL, and the counters are ``itertools.count`` (``next()`` is atomic too).
What can interleave, and why it is harmless:

* an entry evicted (or expired, or cleared) between the read and ``move_to_end``: the
  ``KeyError`` is caught and the value read is returned; it was there when read;
* a put replacing the entry after the read: the older value is returned, as if the get
  had run just before the put;
* an expired entry: it is dropped under the lock, and only if it is still the entry that
  was read, so a fresh value put meanwhile is never deleted.

A value served is never another caller's mutable object (see ``_frozen``): immutable values
are stored as they are, others as an encoding rebuilt on every hit. Writes, evictions and
expiry keep the lock, so the size bound holds at all times. Keys
that are not ``str`` (outside the contract) take the fully locked path, since their
``__eq__``/``__hash__`` could run Python code in the middle of a dict operation.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ._frozen import IMMUTABLE_TYPES, Uncacheable, freeze, thaw
from ._keys import cache_key

__all__ = ["MemoryCache"]


class MemoryCache:
    """An `ICacheProvider` in process memory: LRU-bounded, optional TTL, thread-safe."""

    __slots__ = ("_clock", "_data", "_hits", "_lock", "_misses", "max_size", "ttl")

    def __init__(
        self,
        *,
        max_size: int = 1024,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` returns seconds (monotonic); inject one to test expiry without waiting."""
        if max_size < 1:
            raise ValueError(f"MemoryCache(max_size={max_size!r}): expected an int >= 1")
        if ttl is not None and not ttl > 0:
            raise ValueError(f"MemoryCache(ttl={ttl!r}): expected seconds > 0 or None")
        self.max_size = max_size
        self.ttl = ttl
        self._hits = itertools.count()
        self._misses = itertools.count()
        self._clock = clock
        # key -> (stored value, expires_at, how to serve it); expires_at is inf without a TTL.
        self._data: OrderedDict[str, tuple[Any, float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryCache(max_size={self.max_size}, ttl={self.ttl}, len={len(self._data)})"

    def __len__(self) -> int:
        return len(self._data)

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the stable canonical key of one call (see `aiecs_runtime.cache_key`)."""
        return cache_key(operation_type, user_id, task_id, args, kwargs)

    @property
    def hits(self) -> int:
        """How many gets found a live entry."""
        return _value(self._hits)

    @property
    def misses(self) -> int:
        """How many gets found nothing (or an expired entry)."""
        return _value(self._misses)

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the value stored under ``cache_key``, or ``None`` on a miss or expiry."""
        if type(cache_key) is not str:
            return self._get_locked(cache_key)
        data = self._data
        # Lock-free: see the module doc for what can interleave here and why it is safe.
        entry = data.get(cache_key)
        if entry is None:
            next(self._misses)
            return None
        if self.ttl is not None and entry[1] <= self._clock():
            with self._lock:
                if data.get(cache_key) is entry:
                    del data[cache_key]
            next(self._misses)
            return None
        try:  # noqa: SIM105 - contextlib.suppress would cost more than the whole hit
            data.move_to_end(cache_key)
        except KeyError:
            pass  # evicted since the read: the value read is still a correct answer
        next(self._hits)
        return entry[0] if not entry[2] else thaw(entry[0], entry[2])  # SHARED is 0

    def _get_locked(self, cache_key: Any) -> Any | None:
        with self._lock:
            entry = self._data.get(cache_key)
            if entry is None:
                next(self._misses)
                return None
            if self.ttl is not None and entry[1] <= self._clock():
                del self._data[cache_key]
                next(self._misses)
                return None
            self._data.move_to_end(cache_key)
            next(self._hits)
            return thaw(entry[0], entry[2])

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` under ``cache_key``, evicting the least recently used if full.

        Never raises: a value that can be neither shared nor copied is not stored.
        """
        if type(value) in IMMUTABLE_TYPES:  # freeze's fast path, inlined: one set lookup
            stored, how = value, 0
        else:
            try:
                stored, how = freeze(value)
            except Uncacheable:
                return
        expires = self._clock() + self.ttl if self.ttl is not None else float("inf")
        data = self._data
        with self._lock:
            data[cache_key] = (stored, expires, how)
            data.move_to_end(cache_key)
            if len(data) > self.max_size:
                data.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry (statistics are kept)."""
        with self._lock:
            self._data.clear()

    def stats(self) -> dict[str, int | float]:
        """Return ``{"hits", "misses", "hit_rate", "size", "max_size"}``."""
        hits, misses = self.hits, self.misses
        total = hits + misses
        return {
            "hits": hits,
            "misses": misses,
            "hit_rate": hits / total if total else 0.0,
            "size": len(self._data),
            "max_size": self.max_size,
        }


def _value(counter: itertools.count[int]) -> int:
    # A count has no public read; its repr is "count(n)" on every Python version.
    return int(repr(counter)[6:-1])
