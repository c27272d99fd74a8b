"""Rows for the distributed back ends: ``RedisCache`` and the Celery executor.

Each needs a real ``redis-server``; the row starts one on a free loopback port and stops
it afterwards, or reports itself unavailable.
"""

from __future__ import annotations

from ._harness import Bench, Measurement, Settings, require

__all__ = ["BENCHES"]


def _redis_cache(settings: Settings) -> Measurement:
    require("aiecs_runtime", "RedisCache")
    raise NotImplementedError("redis_cache.get_put: written once RedisCache lands")


def _celery(settings: Settings) -> Measurement:
    require("aiecs_runtime", "CeleryExecutor")
    raise NotImplementedError("celery.1k: written once the Celery back end lands")


BENCHES = [
    Bench(
        id="redis_cache.get_put",
        measured="RedisCache get + put (a real redis-server on loopback)",
        baseline="MemoryCache get + put",
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
