"""`MemoryCache`: TTL expiry on an injected clock, LRU order, statistics, bounds."""

from __future__ import annotations

import itertools
import sys
import threading

import pytest

from aiecs_runtime import MemoryCache


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ttl_expiry_on_an_injected_clock() -> None:
    clock = Clock()
    cache = MemoryCache(ttl=10.0, clock=clock)
    cache.add_to_cache("k", "v")
    clock.now += 9.999
    assert cache.get_from_cache("k") == "v"
    clock.now += 0.001  # exactly at expiry: gone
    assert cache.get_from_cache("k") is None
    assert len(cache) == 0  # the expired entry was dropped, not kept around


def test_rewriting_a_key_restarts_its_ttl() -> None:
    clock = Clock()
    cache = MemoryCache(ttl=10.0, clock=clock)
    cache.add_to_cache("k", 1)
    clock.now += 8
    cache.add_to_cache("k", 2)
    clock.now += 8
    assert cache.get_from_cache("k") == 2


def test_without_ttl_entries_never_expire() -> None:
    clock = Clock()
    cache = MemoryCache(clock=clock)
    cache.add_to_cache("k", "v")
    clock.now += 1e9
    assert cache.get_from_cache("k") == "v"


def test_lru_order_reads_refresh_and_the_oldest_is_evicted() -> None:
    cache = MemoryCache(max_size=3)
    for key in "abc":
        cache.add_to_cache(key, key.upper())
    assert cache.get_from_cache("a") == "A"  # a is now the most recent
    cache.add_to_cache("d", "D")  # evicts b, the least recently used
    assert cache.get_from_cache("b") is None
    cache.add_to_cache("c", "C2")  # a write refreshes too
    cache.add_to_cache("e", "E")  # evicts a
    assert [cache.get_from_cache(k) for k in "acde"] == [None, "C2", "D", "E"]
    assert len(cache) == 3 == cache.max_size


def test_stats_count_hits_and_misses_and_survive_clear() -> None:
    clock = Clock()
    cache = MemoryCache(max_size=8, ttl=5.0, clock=clock)
    assert cache.stats() == {"hits": 0, "misses": 0, "hit_rate": 0.0, "size": 0, "max_size": 8}
    cache.add_to_cache("k", 0)
    assert cache.get_from_cache("k") == 0  # a falsy value is a hit
    assert cache.get_from_cache("other") is None
    clock.now += 5
    assert cache.get_from_cache("k") is None  # expired: a miss
    cache.add_to_cache("x", [])
    cache.get_from_cache("x")
    stats = cache.stats()
    assert (stats["hits"], stats["misses"], stats["size"]) == (2, 2, 1)
    assert stats["hit_rate"] == 0.5
    cache.clear()
    assert len(cache) == 0 and cache.get_from_cache("x") is None
    assert cache.stats()["hits"] == 2 and cache.stats()["misses"] == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_size": 0}, r"MemoryCache\(max_size=0\): expected an int >= 1"),
        ({"ttl": 0}, r"MemoryCache\(ttl=0\): expected seconds > 0 or None"),
        ({"ttl": -1.0}, r"MemoryCache\(ttl=-1.0\)"),
    ],
)
def test_bad_settings_are_named(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MemoryCache(**kwargs)  # type: ignore[arg-type]


def test_keys_come_from_cache_key() -> None:
    cache = MemoryCache()
    a = cache.generate_cache_key("t.op", "u", "t", (), {"x": 1, "y": {1, 2}})
    b = cache.generate_cache_key("t.op", "u", "t", (), {"y": {2, 1}, "x": 1})
    c = cache.generate_cache_key("t.op", "u2", "t", (), {"x": 1, "y": {1, 2}})
    assert a == b != c


def test_threads_never_exceed_the_bound_or_mix_values() -> None:
    cache = MemoryCache(max_size=16)
    errors: list[str] = []

    def work(k: int) -> None:
        for i in range(5_000):
            key = f"k{i % 32}"
            cache.add_to_cache(key, (key, k))
            got = cache.get_from_cache(key)
            if got is not None and got[0] != key:
                errors.append(f"{key} -> {got}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(cache) <= 16


class SteppingClock:
    """A clock that moves forward a little on every read, so entries keep expiring."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return next(self._ticks) * 0.001


@pytest.mark.parametrize("ttl", [None, 0.5])
def test_lock_free_hits_under_contention(ttl: float | None) -> None:
    """Hits take no lock: reads racing puts, evictions, expiry and clear stay correct."""
    cache = MemoryCache(max_size=8, ttl=ttl, clock=SteppingClock())
    errors: list[str] = []
    gets = 0
    gets_lock = threading.Lock()
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible

    def work(k: int) -> None:
        nonlocal gets
        mine = 0
        for i in range(10_000):
            key = f"k{(i * (k + 1)) % 24}"
            if i % 3 == 0:
                cache.add_to_cache(key, (key, k, i))
            elif k == 0 and i % 997 == 0:
                cache.clear()
            else:
                mine += 1
                got = cache.get_from_cache(key)
                if got is not None and got[0] != key:
                    errors.append(f"{key} -> {got}")
            if len(cache) > 8:
                errors.append(f"size {len(cache)} above max_size=8")
        with gets_lock:
            gets += mine

    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == []
    stats = cache.stats()
    assert stats["hits"] > 0 and stats["misses"] > 0
    assert stats["hits"] + stats["misses"] == gets  # no count lost to a race


def test_an_expired_entry_replaced_meanwhile_is_kept() -> None:
    clock = Clock()
    cache = MemoryCache(ttl=1.0, clock=clock)
    cache.add_to_cache("k", "old")
    clock.now += 2
    assert cache.get_from_cache("k") is None
    cache.add_to_cache("k", "new")
    assert cache.get_from_cache("k") == "new"


def test_keys_that_are_not_str_take_the_locked_path() -> None:
    cache = MemoryCache(max_size=2, ttl=1.0, clock=Clock())
    cache.add_to_cache(("a", 1), "A")  # type: ignore[arg-type]
    assert cache.get_from_cache(("a", 1)) == "A"  # type: ignore[arg-type]
    assert cache.get_from_cache(("b", 1)) is None  # type: ignore[arg-type]
    assert (cache.hits, cache.misses) == (1, 1)
