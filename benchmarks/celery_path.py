"""Rows for the Celery path measured against raw Celery on the same broker and workers.

``celery.per_task``: ``execute_parallel_operations`` of 1,000 trivial ops (one task
each) against a raw Celery ``group`` of 1,000 ``bench.noop`` calls. ``celery.sequence``:
``execute_operations_sequence`` of 100 ops against 100 raw ``.delay().get()``.
``celery.chunked``: the same 1,000 ops with ``chunk_size=100`` (10 messages) against the
raw group. Setting: one redis-server on loopback, two worker processes (threads pool, 8
threads each) serving both (`_celery_env`). Each side gets a fresh client per round
(Celery app or executor built untimed, its connections made inside the timed run, as a
new process would), JSON, the same Redis result backend.

The raw group's results are collected with ``backend.get_many(ids, interval=0.001)``
(one MGET per millisecond until all are in), not ``GroupResult.get()``: its
``join_native`` drains the result consumer with a 0.5 s interval, a stall that would
flatter us. Rounds alternate (ours, raw, ours, raw, ...); the ratio is the median per
op time of ours over raw's. CPU per op (client process plus both workers, from
``/proc``) is reported as its own ratio for ``celery.per_task`` (goal <= 1.0).
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._celery_env import WORKER_THREADS, WORKERS, CeleryEnv, environment, wait_until
from ._celery_worker import NOOP
from ._harness import Bench, Measurement, Settings, require
from ._plot import line_chart_svg
from ._tools import event_loop

__all__ = ["BENCHES", "PLOT_PATH"]

PER_TASK_OPS = 1_000
SEQUENCE_OPS = 100
CHUNK = 100
SMOKE_OPS = 20
PLOT_PATH = Path(__file__).resolve().parent.parent / "docs" / "assets" / "celery-batch.svg"
PLOT_SIZES = (1, 4, 16, 64, 250, 1000)

Run = Callable[[CeleryEnv], tuple[float, float]]
"""One timed run: returns (wall seconds, CPU seconds of client + workers)."""


def _raw_app(env: CeleryEnv) -> Any:
    from celery import Celery

    app: Any = Celery(f"bench-raw-{uuid.uuid4().hex[:6]}", broker=env.url, backend=env.url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_default_queue=env.queue,
    )
    return app


def _ops(count: int) -> list[dict[str, Any]]:
    return [{"operation": "t.op", "params": {"x": i, "y": "a"}} for i in range(count)]


def _cpu(env: CeleryEnv) -> float:
    return time.process_time() + env.worker_cpu()


def _ours_parallel(count: int, chunk_size: int) -> Run:
    ops = _ops(count)

    def run(env: CeleryEnv) -> tuple[float, float]:
        executor_cls = require("aiecs_runtime", "CeleryOperationExecutor")
        ex = executor_cls(env.url, queue=env.queue, timeout=120.0, chunk_size=chunk_size)
        try:
            with event_loop() as loop:
                cpu = _cpu(env)
                start = time.perf_counter()
                steps = loop.run_until_complete(ex.execute_parallel_operations(ops))
                wall = time.perf_counter() - start
                cpu = _cpu(env) - cpu
        finally:
            ex.close()
        _all_completed(steps, ex)
        return wall, cpu

    return run


def _ours_sequence(count: int) -> Run:
    ops = _ops(count)

    def run(env: CeleryEnv) -> tuple[float, float]:
        executor_cls = require("aiecs_runtime", "CeleryOperationExecutor")
        ex = executor_cls(env.url, queue=env.queue, timeout=120.0)
        try:
            with event_loop() as loop:
                cpu = _cpu(env)
                start = time.perf_counter()
                steps = loop.run_until_complete(ex.execute_operations_sequence(ops, "u", "t"))
                wall = time.perf_counter() - start
                cpu = _cpu(env) - cpu
        finally:
            ex.close()
        _all_completed(steps, ex)
        return wall, cpu

    return run


def _all_completed(steps: list[Any], ex: Any) -> None:
    failed = [s for s in steps if not s.completed]
    if failed:
        raise AssertionError(f"{len(failed)} ops failed through {ex!r}: {failed[0]!r}")


def _raw_group(count: int) -> Run:
    def run(env: CeleryEnv) -> tuple[float, float]:
        import celery

        group: Any = celery.group
        app = _raw_app(env)
        try:
            cpu = _cpu(env)
            start = time.perf_counter()
            result: Any = group(app.signature(NOOP) for _ in range(count)).apply_async()
            members: list[Any] = result.results
            ids = [str(r.id) for r in members]
            got = sum(1 for _ in app.backend.get_many(ids, interval=0.001, timeout=120))
            wall = time.perf_counter() - start
            cpu = _cpu(env) - cpu
        finally:
            app.close()
        if got != count:
            raise AssertionError(f"raw Celery answered {got} of {count} tasks")
        return wall, cpu

    return run


def _raw_sequence(count: int) -> Run:
    def run(env: CeleryEnv) -> tuple[float, float]:
        app = _raw_app(env)
        try:
            task: Any = app.signature(NOOP)
            cpu = _cpu(env)
            start = time.perf_counter()
            for _ in range(count):
                task.delay().get(timeout=60)
            wall = time.perf_counter() - start
            cpu = _cpu(env) - cpu
        finally:
            app.close()
        return wall, cpu

    return run


def _ready(env: CeleryEnv) -> None:
    # Both sides answer before anything is timed (the workers take seconds to start).
    wait_until(lambda: _ours_parallel(2, 1)(env), env)
    wait_until(lambda: _raw_group(2)(env), env)


def _interleaved(candidate: Run, baseline: Run, count: int, settings: Settings) -> Measurement:
    env = environment()
    _ready(env)
    candidate(env)  # warm-up round of each (imports, first connections of the workers)
    baseline(env)
    rounds = 1 if settings.smoke else settings.repeats
    walls_c: list[float] = []
    walls_b: list[float] = []
    cpus_c: list[float] = []
    cpus_b: list[float] = []
    for _ in range(rounds):
        wall, cpu = candidate(env)
        walls_c.append(wall)
        cpus_c.append(cpu)
        wall, cpu = baseline(env)
        walls_b.append(wall)
        cpus_b.append(cpu)
    med = statistics.median
    pairs = sorted(c / b for c, b in zip(walls_c, walls_b, strict=True))
    cpu_ratio = med(cpus_c) / med(cpus_b) if med(cpus_b) > 0 else None
    return Measurement(
        ratio=med(walls_c) / med(walls_b),
        detail={
            "ops": count,
            "candidate_ns_per_op": round(med(walls_c) * 1e9 / count, 1),
            "baseline_ns_per_op": round(med(walls_b) * 1e9 / count, 1),
            "candidate_ops_per_s": round(count / med(walls_c)),
            "baseline_ops_per_s": round(count / med(walls_b)),
            "candidate_cpu_us_per_op": round(med(cpus_c) * 1e6 / count, 1),
            "baseline_cpu_us_per_op": round(med(cpus_b) * 1e6 / count, 1),
            "cpu_ratio": None if cpu_ratio is None else round(cpu_ratio, 3),
            "cpu_measured": "client process (time.process_time) + both workers (/proc)",
            "repeats": rounds,
            "pair_ratio_min": round(pairs[0], 3),
            "pair_ratio_median": round(med(pairs), 3),
            "pair_ratio_max": round(pairs[-1], 3),
            "order": "interleaved rounds: ours, raw Celery, ours, raw Celery, ...",
            "setting": f"{WORKERS} aiecs-worker processes x {WORKER_THREADS} threads, one "
            f"redis-server on loopback (broker and result backend), fresh client per round",
        },
    )


def _per_task(settings: Settings) -> Measurement:
    count = SMOKE_OPS if settings.smoke else PER_TASK_OPS
    m = _interleaved(_ours_parallel(count, 1), _raw_group(count), count, settings)
    cpu = m.detail["cpu_ratio"]
    m.detail["cpu_goal"] = 1.0
    m.detail["cpu_goal_met"] = cpu is not None and cpu <= 1.0
    m.detail["baseline_collect"] = "backend.get_many(ids, interval=0.001), not GroupResult.get()"
    return m


def _sequence(settings: Settings) -> Measurement:
    count = SMOKE_OPS if settings.smoke else SEQUENCE_OPS
    return _interleaved(_ours_sequence(count), _raw_sequence(count), count, settings)


def _chunked(settings: Settings) -> Measurement:
    count = SMOKE_OPS if settings.smoke else PER_TASK_OPS
    chunk = max(1, count // 10)
    m = _interleaved(_ours_parallel(count, chunk), _raw_group(count), count, settings)
    m.detail["chunk_size"] = chunk
    m.detail["baseline_collect"] = "backend.get_many(ids, interval=0.001), not GroupResult.get()"
    if not settings.smoke:
        m.detail["batch_sizes"] = _plot(environment(), count)
        m.detail["plot"] = str(PLOT_PATH.relative_to(PLOT_PATH.parents[2]))
    return m


def _plot(env: CeleryEnv, count: int, rounds: int = 3) -> dict[str, int]:
    """Ops/s of ``count`` ops against the batch size, median of ``rounds``; writes the SVG."""
    rates: dict[str, int] = {}
    for size in PLOT_SIZES:
        walls = [_ours_parallel(count, size)(env)[0] for _ in range(rounds)]
        rates[str(size)] = round(count / statistics.median(walls))
    raw = round(count / statistics.median(_raw_group(count)(env)[0] for _ in range(rounds)))
    PLOT_PATH.parent.mkdir(parents=True, exist_ok=True)
    PLOT_PATH.write_text(
        line_chart_svg(
            [(int(k), v) for k, v in rates.items()],
            title=f"CeleryOperationExecutor: {count} trivial ops, {WORKERS} workers",
            x_label="ops per message (chunk_size)",
            y_label="ops/s",
            reference=(raw, f"raw Celery group, one task per call: {raw} ops/s"),
        )
    )
    rates["raw_celery_group"] = raw
    return rates


BENCHES = [
    Bench(
        id="celery.per_task",
        measured="execute_parallel_operations of 1,000 trivial ops via CeleryOperationExecutor "
        "(one task per op), 2 worker processes, redis on loopback",
        baseline="raw Celery group of 1,000 no-op tasks, same broker, backend and workers",
        goal=0.9,
        run=_per_task,
    ),
    Bench(
        id="celery.sequence",
        measured="execute_operations_sequence of 100 trivial ops via CeleryOperationExecutor",
        baseline="100 raw Celery .delay().get() of a no-op task, same broker and workers",
        goal=1.2,
        run=_sequence,
    ),
    Bench(
        id="celery.chunked",
        measured="the same 1,000 ops with chunk_size=100 (10 messages, ops run concurrently "
        "on the worker, answered one by one)",
        baseline="raw Celery group of 1,000 no-op tasks (as celery.per_task)",
        goal=0.05,
        run=_chunked,
    ),
]
