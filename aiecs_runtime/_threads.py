"""The thread pool sync ops run in, which a timed-out op cannot exhaust.

A thread cannot be stopped from outside, so an op that outlives its timeout keeps its
thread until it returns. With one fixed pool, enough such ops would leave no thread for
anyone else: every later call would queue behind them and time out too. So a timeout
retires the pool: later calls get a fresh one, the retired pool is shut down without
waiting, and its threads end as their ops return. A stuck op holds one thread, never the
executor's capacity.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["Threads"]


class Threads:
    """A lazily created, replaceable `ThreadPoolExecutor` (thread-safe)."""

    __slots__ = ("_lock", "_pool", "max_workers", "retired")

    def __init__(self, max_workers: int | None) -> None:
        self.max_workers = max_workers
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.retired = 0
        """How many pools were given up because an op in them timed out."""

    def __repr__(self) -> str:
        return f"Threads(max_workers={self.max_workers!r}, retired={self.retired})"

    def pool(self) -> ThreadPoolExecutor:
        """The current pool (created on first use)."""
        pool = self._pool
        if pool is None:
            with self._lock:
                pool = self._pool
                if pool is None:
                    pool = ThreadPoolExecutor(
                        max_workers=self.max_workers, thread_name_prefix="aiecs-tool"
                    )
                    self._pool = pool
        return pool

    def retire(self, pool: ThreadPoolExecutor) -> None:
        """Stop handing out ``pool`` (an op in it timed out); its threads end on their own."""
        with self._lock:
            if self._pool is not pool:
                return  # another timeout retired it already
            self._pool = None
            self.retired += 1
        pool.shutdown(wait=False)

    def close(self) -> None:
        """Shut the current pool down, waiting for its running ops; safe to call twice."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
