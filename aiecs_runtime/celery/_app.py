"""The untyped Celery surface, wrapped once with precise types so the rest stays checked.

Everything that touches ``celery`` objects lives here: building the app (JSON only, Redis
as broker and result backend), registering the two tasks (one op, a chunk of ops),
sending them, reading and writing results, revoking, and running workers.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, cast

import pydantic_core
import redis

from .._propagation import continued_trace

__all__ = ["CHUNK_TASK_NAME", "READY_STATES", "TASK_NAME", "CeleryApp", "ResultMeta", "is_revoked"]

TASK_NAME = "aiecs.run_operation"
CHUNK_TASK_NAME = "aiecs.run_chunk"
READY_STATES = frozenset({"SUCCESS", "FAILURE", "REVOKED"})

ResultMeta = dict[str, Any]
"""A result record as the Redis backend stores it: ``status``, ``result``, ``traceback``..."""


class CeleryApp:
    """One Celery application configured for aiecs: JSON on the wire, Redis both ways."""

    def __init__(
        self,
        broker_url: str,
        *,
        backend_url: str | None = None,
        name: str = "aiecs",
        result_expires: float = 3600.0,
    ) -> None:
        self.broker_url = broker_url
        self.backend_url = backend_url or broker_url
        self.result_expires = result_expires
        app: Any = _app_class()(
            name, broker=broker_url, backend=self.backend_url, set_as_current=False
        )
        app.conf.update(
            # Never pickle: a message or result from Redis must not be able to run code.
            task_serializer="json",
            result_serializer="json",
            accept_content=["json"],
            result_accept_content=["json"],
            event_serializer="json",
            result_expires=result_expires,
            # At most once: a worker that dies mid-task loses the task (the caller times
            # out with E002) rather than running a non-idempotent op twice.
            task_acks_late=False,
            worker_prefetch_multiplier=4,
            worker_hijack_root_logger=False,
            worker_redirect_stdouts=False,
            broker_connection_retry_on_startup=True,
            worker_cancel_long_running_tasks_on_connection_loss=True,
            task_publish_retry_policy={
                "max_retries": 2,
                "interval_start": 0,
                "interval_step": 0.2,
                "interval_max": 0.5,
            },
        )
        backend: Any = app.backend
        self._app: Any = app
        self._backend: Any = backend
        self._results = redis.Redis.from_url(self.backend_url, socket_timeout=5.0)  # pyright: ignore[reportUnknownMemberType]

    @property
    def raw(self) -> Any:
        """The underlying ``celery.Celery`` object (for ``celery -A``)."""
        return self._app

    # -- worker side ------------------------------------------------------------------

    def register(self, op: TaskBody, chunk: TaskBody) -> None:
        """Register ``op`` and ``chunk``, each ``body(task_id, args, store)``, as the tasks.

        Both store their ops' results themselves (`store`: one record per op, and the
        envelopes published to the caller's reply channel), so Celery's own result
        (another write, another publish) is switched off.
        """
        global _op_body, _chunk_body
        _op_body, _chunk_body = op, chunk
        _stores[id(self._app)] = self.store
        self._app.task(name=TASK_NAME, bind=True, ignore_result=True)(_run_operation)
        self._app.task(name=CHUNK_TASK_NAME, bind=True, ignore_result=True)(_run_chunk)

    @contextmanager
    def worker_in_thread(
        self, *, queue: str, concurrency: int, loglevel: str = "WARNING"
    ) -> Generator[None]:
        """Run a worker (threads pool) in this process until the block ends."""
        from celery.contrib.testing import worker as testing

        start_worker: Any = getattr(testing, "start_worker")  # noqa: B009 - untyped
        with start_worker(
            self._app,
            concurrency=concurrency,
            pool="threads",
            loglevel=loglevel,
            perform_ping_check=False,
            shutdown_timeout=30.0,
            queues=[queue],
        ):
            yield

    def worker_main(self, argv: Sequence[str]) -> None:
        """Run ``celery worker`` with ``argv`` in this process (blocks)."""
        self._app.worker_main(argv=["worker", *argv])

    # -- caller side ------------------------------------------------------------------

    def send(self, args: list[Any], *, queue: str, expires: float | None = None) -> str:
        """Publish one operation task and return its id."""
        result: Any = self._app.send_task(TASK_NAME, args=args, queue=queue, expires=expires)
        return str(result.id)

    def send_many(
        self,
        messages: Sequence[tuple[str, str, list[Any]]],
        *,
        queue: str,
        headers: Mapping[str, dict[str, str]] | None = None,
    ) -> None:
        """Publish ``(task name, task id, args)`` messages over one producer connection.

        ``headers`` by task id: extra message headers (the caller's trace context).

        No ``expires`` header: the deadline travels in the args and the worker checks it
        (Celery's expiry handling parses and compares dates for every message).
        """
        with self._app.producer_or_acquire() as producer:
            for name, task_id, args in messages:
                extra = headers.get(task_id) if headers else None
                self._app.send_task(
                    name, args=args, queue=queue, task_id=task_id, producer=producer, headers=extra
                )

    def store(self, results: Sequence[tuple[str, dict[str, Any]]], reply: str | None) -> None:
        """Write finished ops' envelopes as SUCCESS records, and publish them to ``reply``.

        The record is what ``fetch`` reads (a caller that missed the publication, or
        reads without a reply channel); the publication is how a waiting caller learns
        of it at once, without polling. One pipeline, one round trip, for the batch.
        """
        if not results:
            return
        ttl = max(1, int(self.result_expires))
        pipe: Any = self._results.pipeline(transaction=False)  # pyright: ignore[reportUnknownMemberType]
        for task_id, envelope in results:
            record = {"status": "SUCCESS", "result": envelope, "task_id": task_id}
            pipe.set(self._key(task_id), pydantic_core.to_json(record), ex=ttl)
        if reply is not None:
            pipe.publish(reply, pydantic_core.to_json([[t, e] for t, e in results]))
        pipe.execute()

    def subscribe(self) -> Any:
        """A fresh pub/sub connection to the result backend (for a reply listener)."""
        from_url: Any = redis.Redis.from_url  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        client: Any = from_url(self.backend_url, socket_timeout=None, socket_connect_timeout=5.0)
        return client.pubsub(ignore_subscribe_messages=False)

    def revoke(self, task_ids: Sequence[str]) -> None:
        """Ask every worker to drop (or stop waiting on) these tasks."""
        self._app.control.revoke(list(task_ids))

    def fetch(self, task_ids: Sequence[str], done: Sequence[str]) -> list[ResultMeta | None]:
        """Read the result records of ``task_ids`` (None: not ready); delete ``done`` ones."""
        keys = [self._key(t) for t in task_ids]
        pipe: Any = self._results.pipeline(transaction=False)  # pyright: ignore[reportUnknownMemberType]
        pipe.mget(keys)
        if done:
            pipe.delete(*[self._key(t) for t in done])
        raws = cast(list[bytes | None], pipe.execute()[0])
        out: list[ResultMeta | None] = []
        for raw in raws:
            meta = _parse_meta(raw)
            out.append(meta if meta is not None and meta.get("status") in READY_STATES else None)
        return out

    def forget(self, task_ids: Sequence[str]) -> None:
        """Delete result records nobody will read."""
        if task_ids:
            self._results.delete(*[self._key(t) for t in task_ids])

    def forget_quietly(self, task_ids: Sequence[str]) -> None:
        """``forget``, ignoring errors (the records expire on their own)."""
        with suppress(redis.RedisError):
            self.forget(task_ids)

    def _key(self, task_id: str) -> bytes:
        return cast(bytes, self._backend.get_key_for_task(task_id))

    def close(self) -> None:
        """Release connections held by this app."""
        self._results.close()
        self._app.close()


Store = Callable[[Sequence[tuple[str, dict[str, Any]]], str | None], None]
TaskBody = Callable[[str, Sequence[Any], Store], Any]

_op_body: TaskBody | None = None
_chunk_body: TaskBody | None = None
_stores: dict[int, Store] = {}


def _no_subscription(producer: Any, task_id: str) -> None:
    return None


def _app_class() -> type[Any]:
    from celery import Celery

    class _App(Celery):  # type: ignore[misc]  # untyped base
        # The Redis backend subscribes to a pub/sub channel per sent task so that
        # AsyncResult.get() can wait on it; results are collected in bulk with MGET
        # instead (see _transport), so that subscription is pure overhead. Celery keeps
        # one backend per thread, so the patch goes on every backend it builds, not only
        # on the first thread's.
        def _get_backend(self) -> Any:
            backend: Any = super()._get_backend()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
            backend.on_task_call = _no_subscription
            return backend  # pyright: ignore[reportUnknownVariableType]

    return _App


def _run_operation(task: Any, *args: Any) -> Any:
    # Module-level functions for every app of the process (Celery warns when one task
    # name is bound to different callables); the app's own store is looked up by app.
    assert _op_body is not None, "CeleryApp.register() was not called"
    with continued_trace(task.request, TASK_NAME):
        return _op_body(str(task.request.id), args, _store_of(task))


def _run_chunk(task: Any, *args: Any) -> Any:
    assert _chunk_body is not None, "CeleryApp.register() was not called"
    with continued_trace(task.request, CHUNK_TASK_NAME):
        return _chunk_body(str(task.request.id), args, _store_of(task))


def _store_of(task: Any) -> Store:
    store = _stores.get(id(task.app))
    return store if store is not None else next(iter(_stores.values()))


def is_revoked(task_id: str) -> bool:
    """Whether this worker process was told to revoke ``task_id``."""
    from celery.worker import state

    revoked: Any = state.revoked
    return task_id in revoked


def _parse_meta(raw: bytes | None) -> ResultMeta | None:
    # Parsed here as plain JSON on purpose: Celery's own decoder rebuilds exception
    # classes named in the record, and a record in Redis is not trusted input.
    if raw is None:
        return None
    try:
        meta: object = pydantic_core.from_json(raw)
    except ValueError:
        return {"status": "FAILURE", "result": {"exc_type": "CorruptResult"}}
    return cast(ResultMeta, meta) if isinstance(meta, dict) else None
