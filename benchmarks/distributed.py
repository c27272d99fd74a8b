"""Rows for the distributed back ends: ``RedisCache`` and the Celery executor.

Each starts its own ``redis-server`` on a free loopback port and stops it afterwards, or
reports itself unavailable. Report only: a network round trip is not comparable to a
dict lookup, but the ratio says what moving a cache or a run off the machine costs.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ._harness import (
    Bench,
    Measurement,
    Settings,
    Unavailable,
    compare_times,
    on_loop,
    require,
)
from ._redis import redis_server
from ._tools import TOOLS, event_loop, operation_executor

__all__ = ["BENCHES"]

ROOT = Path(__file__).resolve().parent.parent
CELERY_OPS = 1_000
SMOKE_OPS = 20
WORKER_THREADS = 8
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


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    log: IO[bytes]

    def exited(self) -> str | None:
        """Why the worker is gone (its exit code and last log lines), or None if it runs."""
        if self.proc.poll() is None:
            return None
        self.log.seek(0)
        tail = self.log.read().decode(errors="replace")[-500:]
        return f"aiecs-worker exited with {self.proc.returncode}: {tail}"


@contextmanager
def _worker(url: str, queue: str) -> Generator[_Worker, None, None]:
    """A separate ``aiecs-worker`` process (threads pool) serving `TOOLS` on ``queue``."""
    env = {**os.environ, "AIECS_REDIS_URL": url, "PYTHONPATH": str(ROOT)}
    # its log goes to a file: a pipe nobody reads would block the worker once full
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "aiecs_runtime.celery.worker", "--queue", queue,
             "--concurrency", str(WORKER_THREADS), "--tools", "benchmarks._tools:TOOLS"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield _Worker(proc, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _until_served(executor: Any, worker: _Worker) -> None:
    deadline = time.monotonic() + 60
    while True:
        gone = worker.exited()
        if gone is not None:
            raise Unavailable(gone)
        try:
            got = await asyncio.wait_for(executor.execute_operation("t.op", {"x": 1, "y": "a"}), 5)
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)  # the worker is still starting
            continue
        if got != "a":
            raise AssertionError(f"the Celery worker returned {got!r}, expected 'a'")
        return


def _celery(settings: Settings) -> Measurement:
    celery_executor = require("aiecs_runtime", "CeleryOperationExecutor")
    count = SMOKE_OPS if settings.smoke else CELERY_OPS
    ops = [{"operation": "t.op", "params": {"x": i, "y": "a"}} for i in range(count)]
    local = operation_executor(dict(TOOLS))
    queue = f"aiecs-bench-{uuid.uuid4().hex[:8]}"

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

    with redis_server() as url, _worker(url, queue) as worker:
        remote = celery_executor(url, queue=queue, timeout=60.0, tools=["t"])
        try:
            with event_loop() as loop:
                loop.run_until_complete(_until_served(remote, worker))
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
        f"separate process: python -m aiecs_runtime.celery.worker --concurrency "
        f"{WORKER_THREADS} (threads pool), broker and backend a private redis-server"
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
]
