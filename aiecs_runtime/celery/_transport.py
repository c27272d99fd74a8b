"""The caller side: send operations to the workers and await their envelopes.

Per event loop, ops issued in the same loop iteration leave together: one thread hop and
one producer connection per batch, not per op (publishing may wait on a reconnect, so it
never runs on the loop). With ``chunk_size > 1`` they also travel together, up to
``chunk_size`` ops per message, run concurrently on the worker, each answered as soon as
it finishes. Answers arrive pushed on this process's reply channel (`Replies`); a
collector per loop also reads the result records with one MGET per poll, slowly while
the push works and quickly when it does not, so an answer is never lost, only late.
A worker that dies leaves its unfinished ops unanswered: each fails with E002 when its
caller's timeout passes.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid
import weakref
from collections.abc import Sequence
from typing import Any, cast

from aiecs_contracts import OperationFailedError, OperationTimeoutError

from .._propagation import trace_headers
from .._wire import UnencodableValueError, dumps
from ._app import CHUNK_TASK_NAME, TASK_NAME, CeleryApp, ResultMeta
from ._envelope import open_envelope
from ._replies import Replies

__all__ = ["Transport", "close_replies"]

_MIN_POLL = 0.001
_MAX_POLL = 0.05
_BACKSTOP_POLL = 0.25  # while answers are pushed, records are read only as a backstop


class _Collector:
    """Resolves the futures of one event loop: pushed answers first, records as a backstop."""

    def __init__(self, app: CeleryApp, replies: Replies, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.replies = replies
        self.loop = loop
        self.pending: dict[str, asyncio.Future[ResultMeta]] = {}
        self.task: asyncio.Task[None] | None = None
        self.delivered: list[str] = []
        self._wake = asyncio.Event()

    def watch(self, task_id: str) -> asyncio.Future[ResultMeta]:
        fut: asyncio.Future[ResultMeta] = self.loop.create_future()
        self.pending[task_id] = fut
        self.replies.expect(task_id, self.loop, self.deliver)
        if self.replies.failed:
            self._wake.set()
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run(), name="aiecs-celery-collector")
        return fut

    def drop(self, task_id: str) -> None:
        self.pending.pop(task_id, None)
        self.replies.drop(task_id)

    def fail(self, task_ids: Sequence[str], error: BaseException) -> None:
        for task_id in task_ids:
            fut = self.pending.pop(task_id, None)
            self.replies.drop(task_id)
            if fut is not None and not fut.done():
                fut.set_exception(error)

    def deliver(self, pairs: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Resolve futures from pushed envelopes (runs on this collector's loop)."""
        for task_id, envelope in pairs:
            fut = self.pending.pop(task_id, None)
            if fut is not None and not fut.done():
                fut.set_result({"status": "SUCCESS", "result": envelope})
                self.delivered.append(task_id)
        if not self.pending:
            self._wake.set()  # the collector ends now instead of at its next backstop poll

    async def _run(self) -> None:
        delay = _MIN_POLL
        while self.pending:
            pushed = not self.replies.failed
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), _BACKSTOP_POLL if pushed else delay)
                delay = _MIN_POLL
            except TimeoutError:
                pass
            if not self.pending:
                break
            ids, done = list(self.pending), self.delivered
            self.delivered = []
            try:
                metas = await asyncio.to_thread(self.app.fetch, ids, done)
            except Exception as exc:  # Redis unreachable: every waiter fails, none hangs
                self.fail(
                    list(self.pending),
                    OperationFailedError(f"cannot read results from Redis: {exc}"),
                )
                return
            found = False
            for task_id, meta in zip(ids, metas, strict=True):
                waiter = self.pending.pop(task_id, None) if meta is not None else None
                if waiter is not None and not waiter.done():
                    self.replies.drop(task_id)
                    self.delivered.append(task_id)
                    waiter.set_result(cast(ResultMeta, meta))
                    found = True
            delay = _MIN_POLL if found else min(delay * 2, _MAX_POLL)
        # No await between the emptiness check above and returning: a watch() arriving
        # now must find this task done and start a new collector.
        if self.delivered:
            done, self.delivered = self.delivered, []
            self.loop.run_in_executor(None, self.app.forget_quietly, done)


class _Outbox:
    """Ops of one loop waiting to be published at the end of this loop iteration."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.ops: list[_Op] = []
        self.headers: dict[str, dict[str, str]] = {}
        """The trace context of the ops sent traced, by op id (most runs: none)."""
        self.scheduled = False
        self.revoke: list[str] = []


_Op = tuple[str, str, str, float, float]
"""``(op_id, operation, params_json, timeout, deadline)`` of an op waiting to be sent."""


class _Expired(Exception):
    """Set on a waiter whose timeout passed (one timer per batch, not one per op)."""


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
        chunk_size: int = 1,
    ) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if type(chunk_size) is not int or chunk_size < 1:
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        self.app = app
        self.queue = queue
        self.timeout = timeout
        self.time_limit = time_limit
        self.toolset = toolset
        self.chunk_size = chunk_size
        self.replies = _replies_of(app)
        # Op ids: a random prefix per transport and a counter (uuid4 per op costs more
        # than everything else the caller does for an op).
        self._prefix = f"{uuid.uuid4().hex}-"
        self._counter = itertools.count()
        self._last: tuple[asyncio.AbstractEventLoop, tuple[_Collector, _Outbox]] | None = None
        self._per_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[_Collector, _Outbox]
        ] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _loop_state(self) -> tuple[_Collector, _Outbox]:
        loop = asyncio.get_running_loop()
        last = self._last
        if last is not None and last[0] is loop:
            return last[1]
        with self._lock:
            state = self._per_loop.get(loop)
            if state is None:
                collector = _Collector(self.app, self.replies, loop)
                state = self._per_loop[loop] = (collector, _Outbox(loop))
            self._last = (loop, state)
            return state

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
        collector, outbox = self._loop_state()
        op_id = f"{self._prefix}{next(self._counter)}"
        fut = collector.watch(op_id)
        # The deadline travels with the message: a worker that takes it later answers E002
        # without running an op whose caller has already given up.
        outbox.ops.append((op_id, operation, params_json, timeout, time.time() + timeout))
        # Taken now, in the caller's context: the send happens later, in a pool thread.
        headers = trace_headers()
        if headers is not None:
            outbox.headers[op_id] = headers
        if not outbox.scheduled:
            outbox.scheduled = True
            outbox.loop.call_soon(self._flush, collector, outbox)
        try:
            meta = await fut
        except _Expired:
            collector.drop(op_id)
            self._revoke(outbox, op_id)
            raise OperationTimeoutError(
                f"{operation} did not finish within {timeout}s on the Celery workers (a worker "
                f"died or is overloaded, or the op is slow); pass a larger timeout= or check "
                f"the workers on queue {self.queue!r}",
                timeout=timeout,
            ) from None
        except asyncio.CancelledError:
            collector.drop(op_id)
            self._revoke(outbox, op_id)
            raise
        return _result(meta, operation)

    def _messages(self, ops: list[_Op]) -> list[tuple[str, str, list[Any]]]:
        reply = self.replies.channel if self.replies.alive else None
        if self.chunk_size == 1:
            return [
                (
                    TASK_NAME,
                    op_id,
                    [self.toolset, operation, params, self.time_limit, deadline, reply],
                )
                for op_id, operation, params, _, deadline in ops
            ]
        messages: list[tuple[str, str, list[Any]]] = []
        for start in range(0, len(ops), self.chunk_size):
            part = ops[start : start + self.chunk_size]
            items = [[op_id, operation, params] for op_id, operation, params, _, _ in part]
            deadline = max(d for *_, d in part)
            args = [self.toolset, items, self.time_limit, deadline, reply]
            messages.append((CHUNK_TASK_NAME, str(uuid.uuid4()), args))
        return messages

    def _flush(self, collector: _Collector, outbox: _Outbox) -> None:
        ops, outbox.ops, outbox.scheduled = outbox.ops, [], False
        headers, outbox.headers = outbox.headers, {}
        revoke, outbox.revoke = outbox.revoke, []
        if revoke:
            outbox.loop.run_in_executor(None, self._revoke_now, revoke)
        if not ops:
            return
        # One timer per timeout value in the batch (all ops of a batch were issued in
        # this loop iteration, so their deadlines differ by microseconds at most).
        by_timeout: dict[float, list[str]] = {}
        for op in ops:
            by_timeout.setdefault(op[3], []).append(op[0])
        for timeout, ids in by_timeout.items():
            outbox.loop.call_later(timeout, collector.fail, ids, _Expired())
        sent = outbox.loop.run_in_executor(None, self._send, ops, headers)

        def check(done: asyncio.Future[None]) -> None:
            error = done.exception()
            if error is not None:
                failure = OperationFailedError(f"cannot send ops to the Celery broker: {error}")
                collector.fail([op[0] for op in ops], failure)

        sent.add_done_callback(check)

    def _send(self, ops: list[_Op], headers: dict[str, dict[str, str]]) -> None:
        # Off the loop: (re)subscribing to the reply channel may wait on a connection.
        # Until it works, messages go without a reply channel and answers are polled.
        if not self.replies.alive:
            self.replies.start()
        messages = self._messages(ops)
        if headers and self.chunk_size > 1:
            # A chunk carries the context of its first traced op (one message, one parent).
            by_op = headers
            headers = {}
            for _, task_id, args in messages:
                for op_id, *_ in args[1]:
                    if op_id in by_op:
                        headers[task_id] = by_op[op_id]
                        break
        self.app.send_many(messages, queue=self.queue, headers=headers)

    def _revoke(self, outbox: _Outbox, task_id: str) -> None:
        # Batched like sends: a thousand ops timing out together cost one broadcast.
        outbox.revoke.append(task_id)
        if not outbox.scheduled:
            outbox.scheduled = True
            outbox.loop.call_soon(self._flush, self._loop_state()[0], outbox)

    def _revoke_now(self, task_ids: list[str]) -> None:
        try:
            self.app.revoke(task_ids)
            self.app.forget(task_ids)
        except Exception:  # best effort: the message's deadline also stops it
            pass


_replies_lock = threading.Lock()
_replies: dict[int, Replies] = {}


def _replies_of(app: CeleryApp) -> Replies:
    # One channel and listener per app in this process, shared by its executors.
    with _replies_lock:
        found = _replies.get(id(app))
        if found is None or found.app is not app:
            found = _replies[id(app)] = Replies(app)
        return found


def close_replies(app: CeleryApp) -> None:
    """Stop the reply listener of ``app`` (when the app itself is closed)."""
    with _replies_lock:
        found = _replies.get(id(app))
        if found is not None and found.app is app:
            del _replies[id(app)]
            found.close()


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
