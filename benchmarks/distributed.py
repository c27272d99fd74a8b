"""Rows for the distributed back ends: ``RedisCache`` and the Celery executor.

Each starts its own ``redis-server`` on a free loopback port and stops it afterwards, or
reports itself unavailable. Report only: a network round trip is not comparable to a
dict lookup, but the ratio says what moving a cache or a run off the machine costs.
"""

from __future__ import annotations

import time
from typing import Any

from ._harness import Bench, Measurement, Settings, compare_times, require
from ._redis import redis_server

__all__ = ["BENCHES"]

VALUE = {"rows": [1, 2, 3], "total": 3, "source": "bench"}


def _get_put_loop(cache: Any, count: int) -> Any:
    keys = [f"{i:032x}" for i in range(count)]

    def timed(n: int) -> int:
        get, put, value = cache.get_from_cache, cache.add_to_cache, VALUE
        start = time.perf_counter_ns()
        for _ in range(n):
            for k in keys:
                put(k, value)
                get(k)
        return time.perf_counter_ns() - start

    return timed


def _redis_cache(settings: Settings) -> Measurement:
    redis_cache = require("aiecs_runtime", "RedisCache")
    memory_cache = require("aiecs_runtime", "MemoryCache")
    count = 100
    with redis_server() as url:
        ours = redis_cache(url, namespace="bench", ttl=300)
        try:
            ours.add_to_cache("probe", VALUE)
            if ours.get_from_cache("probe") != VALUE:
                raise AssertionError("RedisCache did not return the value it was given")
            m = compare_times(
                _get_put_loop(ours, count),
                _get_put_loop(memory_cache(max_size=10 * count, ttl=300.0), count),
                settings,
                ops_per_iteration=count,
            )
            m.detail["stats"] = repr(ours.stats)
        finally:
            ours.close()
    m.detail["op"] = f"one put then one get of the same key ({count} keys), value {VALUE!r}"
    m.detail["server"] = "redis-server on loopback, started for this row, no persistence"
    return m


def _celery(settings: Settings) -> Measurement:
    require("aiecs_runtime", "CeleryExecutor")
    raise NotImplementedError("celery.1k: written once the Celery back end lands")


BENCHES = [
    Bench(
        id="redis_cache.get_put",
        measured="RedisCache put + get (a real redis-server on loopback)",
        baseline="MemoryCache put + get",
        goal=None,
        run=_redis_cache,
    ),
    Bench(
        id="celery.1k",
        measured="1,000 trivial ops through the Celery executor (real worker, real Redis)",
        baseline="the local OperationExecutor, same ops",
        goal=None,
        run=_celery,
    ),
]
