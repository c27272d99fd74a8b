"""Real ``aiecs-worker`` processes for the Celery integration tests.

A worker serves ``tests.integration.celery_tools:tools`` on a queue of its own; its log
goes to a file (a pipe nobody reads would block it once full) and is shown when it dies.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from aiecs_runtime import CeleryOperationExecutor

__all__ = ["Worker", "served", "worker"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Worker:
    """A running worker process, the queue it consumes and its log."""

    proc: subprocess.Popen[bytes]
    queue: str
    log: IO[bytes]

    def log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


@contextmanager
def worker(redis_url: str, *args: str, concurrency: int = 8) -> Iterator[Worker]:
    """Start ``aiecs-worker`` on a fresh queue; SIGKILL it at the end if still running."""
    queue = f"it-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "AIECS_REDIS_URL": redis_url, "PYTHONPATH": str(ROOT)}
    exe = Path(sys.executable).with_name("aiecs-worker")
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [str(exe), "--tools", "tests.integration.celery_tools:tools", "--queue", queue,
             "-c", str(concurrency), *args],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield Worker(proc, queue, log)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)


async def served(ex: CeleryOperationExecutor, w: Worker, within: float = 60.0) -> None:
    """Wait until the worker answers (it takes a few seconds to start on a loaded box)."""
    deadline = time.monotonic() + within
    while True:
        if w.proc.poll() is not None:
            raise AssertionError(f"aiecs-worker exited with {w.proc.returncode}: {w.log_tail()}")
        try:
            if await asyncio.wait_for(ex.execute_operation("calc.add", {"a": 1, "b": 1}), 5) == 2:
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.1)
