"""The caller side: send one operation to the workers and await its envelope.

Sending runs in a thread (publishing may wait on a reconnect), and results are collected
in bulk: one collector per event loop reads every pending result record with a single
MGET, sleeping with a backoff between reads, so a thousand operations in flight cost one
Redis round trip per poll, not a thousand, and the loop never blocks.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any, cast

from aiecs_contracts import OperationFailedError, OperationTimeoutError

from .._wire import UnencodableValueError, dumps
from ._app import CeleryApp, ResultMeta
from ._envelope import open_envelope

__all__ = ["Transport"]

_MIN_POLL = 0.001
_MAX_POLL = 0.05


class _Collector:
    """Resolves the futures of one event loop from result records in Redis."""

    def __init__(self, app: CeleryApp, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.loop = loop
        self.pending: dict[str, asyncio.Future[ResultMeta]] = {}
        self.task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def watch(self, task_id: str) -> asyncio.Future[ResultMeta]:
        fut: asyncio.Future[ResultMeta] = self.loop.create_future()
        self.pending[task_id] = fut
        self._wake.set()
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run(), name="aiecs-celery-collector")
        return fut

    def drop(self, task_id: str) -> None:
        self.pending.pop(task_id, None)

    async def _run(self) -> None:
        delay = _MIN_POLL
        done: list[str] = []
        while self.pending:
            ids = list(self.pending)
            try:
                metas = await asyncio.to_thread(self.app.fetch, ids, done)
            except Exception as exc:  # Redis unreachable: every waiter fails, none hangs
                for fut in self.pending.values():
                    if not fut.done():
                        fut.set_exception(
                            OperationFailedError(f"cannot read results from Redis: {exc}")
                        )
                self.pending.clear()
                return
            done = []
            for task_id, meta in zip(ids, metas, strict=True):
                if meta is None:
                    continue
                done.append(task_id)
                waiter = self.pending.pop(task_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(meta)
            delay = _MIN_POLL if done else min(delay * 2, _MAX_POLL)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), delay)
                delay = _MIN_POLL
            except TimeoutError:
                pass
        # No await between the emptiness check above and returning: a watch() arriving
        # now must find this task done and start a new collector.
        if done:
            self.loop.run_in_executor(None, self.app.forget_quietly, done)


class Transport:
    """Sends operations as Celery tasks and awaits their results (thread- and loop-safe)."""

    def __init__(
        self,
        app: CeleryApp,
        *,
        queue: str,
        timeout: float,
        time_limit: float | None,
        toolset: str | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self.app = app
        self.queue = queue
        self.timeout = timeout
        self.time_limit = time_limit
        self.toolset = toolset
        self._collectors: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Collector] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def _collector(self) -> _Collector:
        loop = asyncio.get_running_loop()
        with self._lock:
            collector = self._collectors.get(loop)
            if collector is None:
                collector = self._collectors[loop] = _Collector(self.app, loop)
            return collector

    async def run(
        self, operation: str, params: dict[str, Any], *, timeout: float | None = None
    ) -> Any:
        """Run ``operation`` on a worker; raise OperationTimeoutError (E002) past ``timeout``."""
        timeout = self.timeout if timeout is None else timeout
        try:
            params_json = dumps(params).decode("utf-8")
        except UnencodableValueError as exc:
            raise OperationFailedError(
                f"params of {operation} cannot cross the wire: {exc}"
            ) from exc
        time_limit = self.time_limit
        args = [self.toolset, operation, params_json, time_limit]
        # The message expires with the caller's patience: a worker that picks it up later
        # drops it instead of running an op whose caller has already given up.
        task_id = await asyncio.to_thread(self.app.send, args, queue=self.queue, expires=timeout)
        collector = self._collector()
        fut = collector.watch(task_id)
        try:
            meta = await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            collector.drop(task_id)
            self._revoke(task_id)
            raise OperationTimeoutError(
                f"{operation} did not finish within {timeout}s on the Celery workers (a worker "
                f"died or is overloaded, or the op is slow); pass a larger timeout= or check "
                f"the workers on queue {self.queue!r}",
                timeout=timeout,
            ) from None
        except asyncio.CancelledError:
            collector.drop(task_id)
            self._revoke(task_id)
            raise
        return _result(meta, operation)

    def _revoke(self, task_id: str) -> None:
        def revoke() -> None:
            try:
                self.app.revoke([task_id])
                self.app.forget([task_id])
            except Exception:  # best effort: the message also expires on its own
                pass

        threading.Thread(target=revoke, name="aiecs-celery-revoke", daemon=True).start()


def _result(meta: ResultMeta, operation: str) -> Any:
    status = meta.get("status")
    if status == "SUCCESS":
        return open_envelope(meta.get("result"), operation)
    raw: Any = meta.get("result")
    info = cast(dict[str, Any], raw) if isinstance(raw, dict) else {}
    exc_type = str(info.get("exc_type", ""))
    message = str(info.get("exc_message", ""))
    if status == "REVOKED" or exc_type in ("TimeLimitExceeded", "SoftTimeLimitExceeded"):
        raise OperationTimeoutError(f"{operation} was stopped on the worker: {exc_type or status}")
    if exc_type == "WorkerLostError":
        raise OperationTimeoutError(f"{operation}: the worker running it died ({message})")
    raise OperationFailedError(f"{operation} failed on the worker: {exc_type}: {message}")
