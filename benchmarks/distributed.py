"""Rows for the distributed back ends: ``RedisCache`` and the Celery executor.

``redis_cache.get_put`` starts its own ``redis-server``; the Celery rows share one
redis-server and two worker processes (`_celery_env`). ``redis_cache.get_put`` and
``celery.1k`` are report only: a network round trip is not comparable to a dict lookup,
but the ratio says what moving a cache or a run off the machine costs. The ``celery.*``
rows of `celery_path` measure the Celery path against raw Celery itself.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ._celery_env import WORKER_THREADS, WORKERS, environment, wait_until
from ._harness import (
    Bench,
    Measurement,
    Settings,
    compare_times,
    on_loop,
    require,
)
from ._redis import redis_server
from ._tools import TOOLS, event_loop, operation_executor
from .celery_path import BENCHES as _CELERY_PATH

__all__ = ["BENCHES"]

CELERY_OPS = 1_000
SMOKE_OPS = 20
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


async def _served(executor: Any) -> None:
    got = await asyncio.wait_for(executor.execute_operation("t.op", {"x": 1, "y": "a"}), 5)
    if got != "a":
        raise AssertionError(f"the Celery worker returned {got!r}, expected 'a'")


def _celery(settings: Settings) -> Measurement:
    celery_executor = require("aiecs_runtime", "CeleryOperationExecutor")
    count = SMOKE_OPS if settings.smoke else CELERY_OPS
    ops = [{"operation": "t.op", "params": {"x": i, "y": "a"}} for i in range(count)]
    local = operation_executor(dict(TOOLS))

    def body(executor: Any) -> Any:
        async def timed(n: int) -> int:
            total = 0
            for _ in range(n):
                start = time.perf_counter_ns()
                steps = await executor.execute_parallel_operations(ops)
                total += time.perf_counter_ns() - start
                if not all(s.completed for s in steps):
                    failed = next(s for s in steps if not s.completed)
                    raise AssertionError(f"an op failed through {executor!r}: {failed!r}")
            return total

        return timed

    env = environment()
    remote = celery_executor(env.url, queue=env.queue, timeout=60.0, tools=["t"])
    try:
        with event_loop() as loop:
            wait_until(lambda: loop.run_until_complete(_served(remote)), env)
            m = compare_times(
                on_loop(loop, body(remote)),
                on_loop(loop, body(local)),
                settings,
                disable_gc=False,
            )
    finally:
        remote.close()
    m.detail["ops"] = count
    m.detail["per_op_means"] = f"per execute_parallel_operations call of {count} ops"
    m.detail["worker"] = (
        f"{WORKERS} separate aiecs-worker processes x {WORKER_THREADS} threads (threads "
        f"pool), broker and backend a private redis-server (shared with the celery.* rows)"
    )
    m.detail["executor"] = repr(remote)
    return m


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
    *_CELERY_PATH,
]
