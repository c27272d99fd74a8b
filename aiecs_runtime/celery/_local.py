"""An in-process worker (threads pool) on the real broker, for the conformance harness.

One worker per process and broker URL, started on first use and stopped at exit. Each
executor built here registers its tools as a toolset of the shared runner, so every
message still crosses Redis as JSON while the tools stay observable in this process.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import uuid
import weakref
from collections.abc import Mapping

from .._tracing import ExecutionTracer
from ._app import CeleryApp
from ._executor import CeleryOperationExecutor
from ._runner import MappingProvider
from .worker import build_app, runner

__all__ = ["kit_executor", "kit_executor_chunked", "local_executor", "stop_local_workers"]

_workers: dict[str, tuple[CeleryApp, str]] = {}
_lock = threading.Lock()
_stack = contextlib.ExitStack()
atexit.register(_stack.close)


def _worker(broker_url: str) -> tuple[CeleryApp, str]:
    with _lock:
        found = _workers.get(broker_url)
        if found is None:
            app = build_app(broker_url)
            queue = f"aiecs-local-{uuid.uuid4().hex[:12]}"
            _stack.enter_context(app.worker_in_thread(queue=queue, concurrency=64))
            found = _workers[broker_url] = (app, queue)
        return found


def local_executor(
    tools: Mapping[str, object],
    broker_url: str,
    *,
    timeout: float = 30.0,
    chunk_size: int = 1,
    time_limit: float | None = None,
    tracer: ExecutionTracer | None = None,
) -> CeleryOperationExecutor:
    """A ``CeleryOperationExecutor`` whose in-process worker serves exactly ``tools``."""
    app, queue = _worker(broker_url)
    toolset = runner.add_toolset(MappingProvider(tools))
    executor = CeleryOperationExecutor(
        app=app,
        queue=queue,
        timeout=timeout,
        time_limit=time_limit,
        tools=tools.keys(),
        toolset=toolset,
        chunk_size=chunk_size,
        tracer=tracer,
    )
    weakref.finalize(executor, runner.remove_toolset, toolset)
    return executor


def stop_local_workers() -> None:
    """Stop every in-process worker started here (before their broker goes away)."""
    with _lock:
        _workers.clear()
        _stack.close()


def kit_executor(tools: Mapping[str, object]) -> CeleryOperationExecutor:
    """Kit factory: one task per op, broker from ``AIECS_REDIS_URL``."""
    from .._redis_cache import redis_url_from_env

    return local_executor(tools, redis_url_from_env())


def kit_executor_chunked(tools: Mapping[str, object]) -> CeleryOperationExecutor:
    """Kit factory: ops batched 16 to a message, broker from ``AIECS_REDIS_URL``."""
    from .._redis_cache import redis_url_from_env

    return local_executor(tools, redis_url_from_env(), chunk_size=16)
