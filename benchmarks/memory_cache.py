"""Rows for ``MemoryCache`` against what users write instead: ``cachetools.LRUCache`` + a lock.

Both sides sit behind the same two ``ICacheProvider`` methods, so each op is one method
call on an object, as in an executor; only what happens inside differs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache

from ._harness import Bench, Measurement, Settings, compare_times, require

__all__ = ["BENCHES", "LockedLRU"]

SIZE = 1_000
TTL = 300.0


class LockedLRU:
    """The baseline: an ``ICacheProvider``-shaped ``LRUCache`` guarded by a ``Lock``."""

    def __init__(self, maxsize: int) -> None:
        self._lock = threading.Lock()
        self._data: LRUCache[str, Any] = LRUCache(maxsize=maxsize)

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the cached value or ``None``."""
        with self._lock:
            return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value``, evicting the least recently used entry when full."""
        with self._lock:
            self._data[cache_key] = value


def _keys(count: int) -> list[str]:
    # shaped like cache_key() output: 32 hex digits
    return [f"{i:032x}" for i in range(count)]


def _memory_cache() -> Any:
    memory_cache = require("aiecs_runtime", "MemoryCache")
    return memory_cache(max_size=SIZE, ttl=TTL)


def _mutable(key: str) -> Any:
    # A typical mutable result: a small list holding a dict.
    return [key, 1, {"rows": [1, 2]}]


def _same(key: str) -> Any:
    return key


def _get_loop(cache: Any, make: Callable[[str], Any] = _same) -> Any:
    keys = _keys(SIZE)
    for k in keys:
        cache.add_to_cache(k, make(k))
    if any(cache.get_from_cache(k) != make(k) for k in keys):
        raise AssertionError(f"{type(cache).__name__} lost entries below its size of {SIZE}")

    def timed(n: int) -> int:
        get = cache.get_from_cache
        start = time.perf_counter_ns()
        for _ in range(n):
            for k in keys:
                get(k)
        return time.perf_counter_ns() - start

    return timed


def _put_loop(cache: Any) -> Any:
    # twice the size, cycled: each put is a key evicted ~SIZE puts ago, so each evicts
    keys = _keys(2 * SIZE)
    for k in keys:
        cache.add_to_cache(k, k)

    def timed(n: int) -> int:
        put = cache.add_to_cache
        start = time.perf_counter_ns()
        for _ in range(n):
            for k in keys:
                put(k, k)
        return time.perf_counter_ns() - start

    return timed


def _get_hit(settings: Settings) -> Measurement:
    ours = _memory_cache()
    m = compare_times(_get_loop(ours), _get_loop(LockedLRU(SIZE)), settings, ops_per_iteration=SIZE)
    m.detail["setup"] = f"{SIZE} entries, every get a hit; MemoryCache(max_size={SIZE}, ttl={TTL})"
    return m


def _get_hit_mutable(settings: Settings) -> Measurement:
    # The cost of the copy rule (issue 13): a hit on a mutable value is rebuilt per get,
    # so no caller holds another's object; the baseline hands out the one stored object.
    ours = _memory_cache()
    m = compare_times(
        _get_loop(ours, _mutable),
        _get_loop(LockedLRU(SIZE), _mutable),
        settings,
        ops_per_iteration=SIZE,
    )
    m.detail["setup"] = (
        f"{SIZE} entries of [key, 1, {{'rows': [1, 2]}}], every get a hit; "
        f"MemoryCache(max_size={SIZE}, ttl={TTL}) serves a fresh copy, the baseline the stored list"
    )
    return m


def _put_evict(settings: Settings) -> Measurement:
    ours = _memory_cache()
    m = compare_times(
        _put_loop(ours), _put_loop(LockedLRU(SIZE)), settings, ops_per_iteration=2 * SIZE
    )
    if len(ours) > SIZE:
        raise AssertionError(f"MemoryCache holds {len(ours)} entries, above max_size={SIZE}")
    m.detail["setup"] = (
        f"full cache of {SIZE}; {2 * SIZE} distinct keys cycled, so every put evicts; "
        f"MemoryCache(max_size={SIZE}, ttl={TTL})"
    )
    return m


BENCHES = [
    Bench(
        id="memory_cache.get_hit",
        measured="MemoryCache (TTL on) get-hit, 1,000 entries",
        baseline="cachetools.LRUCache + threading.Lock",
        goal=0.67,
        run=_get_hit,
    ),
    Bench(
        id="memory_cache.get_hit_mutable",
        measured="MemoryCache (TTL on) get-hit of a mutable value, rebuilt per hit",
        baseline="cachetools.LRUCache + threading.Lock, serving the stored object",
        goal=None,
        run=_get_hit_mutable,
    ),
    Bench(
        id="memory_cache.put_evict",
        measured="MemoryCache (TTL on) put with eviction",
        baseline="cachetools.LRUCache + threading.Lock",
        goal=0.67,
        run=_put_evict,
    ),
]
