"""Run by hand: python -m tests.integration.measure_distributed

Celery vs local OperationExecutor on 1,000 trivial parallel ops, and RedisCache vs
MemoryCache get+put per second, each pair measured in the same run on a private
redis-server.
"""

from __future__ import annotations

import asyncio
import os
import time

from tests.integration._servers import RedisServer


class Trivial:
    def add(self, a: int, b: int) -> int:
        return a + b


def main() -> None:
    with RedisServer() as server:
        os.environ["AIECS_REDIS_URL"] = server.url
        from aiecs_runtime import MemoryCache, OperationExecutor, RedisCache, ToolRegistry
        from aiecs_runtime.celery._local import local_executor, stop_local_workers

        tools = {"t": Trivial()}
        ops = [{"operation": "t.add", "params": {"a": i, "b": 1}} for i in range(1000)]
        local = OperationExecutor(ToolRegistry(tools))
        remote = local_executor(tools, server.url, timeout=60.0)

        async def timed(ex: object) -> float:
            started = time.perf_counter()
            steps = await ex.execute_parallel_operations(ops)  # type: ignore[attr-defined]
            assert all(s.completed for s in steps)
            return time.perf_counter() - started

        asyncio.run(timed(remote))  # warm up
        t_local = min(asyncio.run(timed(local)) for _ in range(3))
        t_celery = min(asyncio.run(timed(remote)) for _ in range(3))
        print(
            f"1000 ops: local {t_local * 1000:.1f} ms ({1000 / t_local:,.0f} ops/s), "
            f"celery {t_celery * 1000:.1f} ms ({1000 / t_celery:,.0f} ops/s), "
            f"ratio celery/local time = {t_celery / t_local:.1f}x"
        )

        value = {"rows": [1, 2, 3], "q": "select", "n": 10}
        keys = [f"k{i}" for i in range(200)]

        def rate(cache: object, rounds: int) -> float:
            started = time.perf_counter()
            for _ in range(rounds):
                for k in keys:
                    cache.add_to_cache(k, value)  # type: ignore[attr-defined]
                    cache.get_from_cache(k)  # type: ignore[attr-defined]
            return rounds * len(keys) / (time.perf_counter() - started)

        mem = rate(MemoryCache(max_size=1024), 50)
        red = rate(RedisCache(namespace="measure", ttl=60), 10)
        print(
            f"cache get+put pairs/s: MemoryCache {mem:,.0f}, RedisCache {red:,.0f}, "
            f"ratio Redis/Memory = {red / mem:.4f}"
        )
        stop_local_workers()


if __name__ == "__main__":
    main()
