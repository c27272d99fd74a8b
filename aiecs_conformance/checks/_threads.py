"""Hammering a target from 8 threads for a time budget, with a short GIL switch interval.

A fixed op count finishes in a few milliseconds on a fast machine, so only a handful of
thread switches happen and a narrow race shows by luck. Running for a wall-clock budget
(and a minimum number of calls, so a loaded machine still makes enough of them) makes a
racy implementation fail on every run.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .._context import CheckFailure, Context, first_line

__all__ = ["THREADS", "Hammered", "hammer"]

THREADS = 8

Step = Callable[[random.Random, int], str | None]
"""One call from worker ``n``: returns a problem description, or ``None`` when all is well."""

_CHECK_EVERY = 64  # calls between two looks at the clock and the stop flag


@dataclass(frozen=True)
class Hammered:
    """What one run of `hammer` saw: the calls made, the time taken, the first problem."""

    calls: int
    seconds: float
    problem: str | None


def hammer(
    ctx: Context,
    step: Step,
    *,
    seconds: float,
    min_calls: int,
    max_seconds: float,
    salt: int = 0,
) -> Hammered:
    """Run ``step`` in 8 threads until ``seconds`` and ``min_calls`` are both reached.

    Stops early at the first problem (a returned description or a raised exception), and
    at ``max_seconds`` whatever the count. Raises `CheckFailure` when a worker hangs.
    """
    stop = threading.Event()
    counts = [0] * THREADS
    problems: list[str] = []
    start = threading.Barrier(THREADS + 1)

    def worker(n: int) -> None:
        rng = random.Random(ctx.seed * 7919 + salt * 101 + n)
        done = 0
        try:
            start.wait(timeout=ctx.timeout)
            while not stop.is_set():
                for _ in range(_CHECK_EVERY):
                    problem = step(rng, n)
                    done += 1
                    if problem is not None:
                        problems.append(problem)
                        stop.set()
                        return
                counts[n] = done
        except threading.BrokenBarrierError:
            return
        except Exception as exc:
            problems.append(f"thread {n} raised {first_line(exc)}")
            stop.set()
        finally:
            counts[n] = done

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    pool = [
        threading.Thread(target=worker, args=(n,), name=f"aiecs-hammer-{n}", daemon=True)
        for n in range(THREADS)
    ]
    began = time.perf_counter()
    try:
        for t in pool:
            t.start()
        try:
            start.wait(timeout=ctx.timeout)
        except threading.BrokenBarrierError:
            problems.append(f"{THREADS} threads did not all start within {ctx.timeout:g} s")
        began = time.perf_counter()
        while not stop.is_set():
            elapsed = time.perf_counter() - began
            if elapsed >= max_seconds or (elapsed >= seconds and sum(counts) >= min_calls):
                break
            stop.wait(0.01)
        stop.set()
        limit = time.perf_counter() + ctx.timeout * 2
        for t in pool:
            t.join(max(0.0, limit - time.perf_counter()))
    finally:
        stop.set()
        sys.setswitchinterval(interval)
    took = time.perf_counter() - began
    if any(t.is_alive() for t in pool):
        raise CheckFailure(
            f"{THREADS} threads did not stop within {ctx.timeout * 2:g} s of being told to "
            f"(a call into the target hangs under threads, a deadlock?)"
        )
    return Hammered(sum(counts), took, problems[0] if problems else None)
