"""The shared setting of the ``celery.*`` rows: one redis-server, two worker processes.

The workers are ``aiecs-worker`` processes (threads pool) that also serve a raw Celery
no-op task, ``bench.noop``, so our executor and raw Celery are measured on the same
broker, result backend and worker processes. Started on first use by any row, stopped at
exit (or by `stop`). CPU time of the workers is read from ``/proc`` (Linux).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ._harness import Unavailable
from ._redis import redis_server

__all__ = ["WORKERS", "WORKER_THREADS", "CeleryEnv", "environment", "stop"]

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WORKER_THREADS = 8


@dataclass
class CeleryEnv:
    """A running redis-server and worker processes consuming ``queue``."""

    url: str
    queue: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list[subprocess.Popen[bytes]])
    logs: list[IO[bytes]] = field(default_factory=list[IO[bytes]])
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def worker_cpu(self) -> float:
        """Seconds of CPU (user + system) the worker processes have used so far."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for proc in self.procs:
            try:
                fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError as exc:
                raise Unavailable(f"cannot read worker CPU time from /proc: {exc}") from None
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def check_alive(self) -> None:
        for proc, log in zip(self.procs, self.logs, strict=True):
            if proc.poll() is not None:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-800:]
                raise Unavailable(f"a benchmark worker exited with {proc.returncode}: {tail}")


_env: CeleryEnv | None = None


def environment() -> CeleryEnv:
    """The shared setting, started on first call (redis-server, then the workers)."""
    global _env
    if _env is not None:
        _env.check_alive()
        return _env
    stack = contextlib.ExitStack()
    url = stack.enter_context(redis_server())
    env = CeleryEnv(url=url, queue=f"aiecs-bench-{uuid.uuid4().hex[:8]}", stack=stack)
    environ = {**os.environ, "AIECS_REDIS_URL": url, "PYTHONPATH": str(ROOT)}
    for _ in range(WORKERS):
        log = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - closed by the stack
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._celery_worker", "--queue", env.queue,
             "--concurrency", str(WORKER_THREADS), "--tools", "benchmarks._tools:TOOLS"],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        stack.callback(_terminate, proc)
        env.procs.append(proc)
        env.logs.append(log)
    _env = env
    atexit.register(stop)
    return env


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop() -> None:
    """Stop the workers and the redis-server (idempotent)."""
    global _env
    env, _env = _env, None
    if env is not None:
        env.stack.close()


def wait_until(check: Any, env: CeleryEnv, within: float = 60.0) -> None:
    """Call ``check()`` until it returns without raising (the workers are starting)."""
    deadline = time.monotonic() + within
    while True:
        env.check_alive()
        try:
            check()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
