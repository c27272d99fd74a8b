"""`CeleryOperationExecutor`: an ``IOperationExecutor`` whose operations run on Celery workers.

It is the local ``OperationExecutor`` composed with a remote per-operation runner, so
batch, sequence (with ``$result[i]`` references, ``stop_on_failure``, ``save_callback``)
and parallel behave exactly as locally; specs are checked here (a malformed one is
refused before anything is sent), each operation travels as one task with JSON params
(or, with ``chunk_size=N``, up to N operations issued together travel as one message and
run concurrently on the worker), and results come back as JSON. A step that exceeds the
caller's ``timeout`` (worker died, queue stuck, op slow) fails with ``TIMEOUT_ERROR`` (E002).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, Dict, List, cast

from aiecs_contracts import IToolExecutor, SaveCallback, ToolNotFoundError
from aiecs_models import TaskStepResult

from .._lifecycle import AsyncResource
from .._operation_executor import OperationExecutor
from .._redis_cache import redis_url_from_env
from .._tracing import ExecutionTracer
from ._app import CeleryApp
from ._transport import Transport, close_replies

__all__ = ["CeleryOperationExecutor"]


class _RemoteTool:
    """Stands for a tool that lives on the workers: only its name travels."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<remote tool {self.name!r}>"


class _RemoteTools:
    """An ``IToolProvider`` of remote tools: any name, or only the names given."""

    def __init__(self, names: frozenset[str] | None) -> None:
        self.names = names

    def has_tool(self, tool_name: str) -> bool:
        """Whether ``tool_name`` may be served (always, when the names are unknown)."""
        return self.names is None or tool_name in self.names

    def get_tool(self, tool_name: str) -> Any:
        """A stand-in for the worker's tool ``tool_name``."""
        if not self.has_tool(tool_name):
            raise ToolNotFoundError(tool_name, available=self.names or ())
        return _RemoteTool(tool_name)


class _RemoteExecutor:
    """The per-operation runner of the composed ``OperationExecutor``: one Celery task."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def execute(self, tool: Any, operation_name: str, /, **params: Any) -> Any:
        """Run one remote operation from synchronous code (no running loop)."""
        return asyncio.run(self.execute_async(tool, operation_name, **params))

    async def execute_async(self, tool: Any, operation_name: str, /, **params: Any) -> Any:
        """Send ``tool.operation_name(**params)`` to the workers and await its result."""
        if not isinstance(tool, _RemoteTool):
            raise TypeError(f"expected a remote tool, got {type(tool).__name__}")
        return await self.transport.run(f"{tool.name}.{operation_name}", params)


class CeleryOperationExecutor(AsyncResource):
    """Runs ``"tool.op"`` operations on Celery workers over Redis (JSON only).

    ``CeleryOperationExecutor("redis://host:6379/0", queue="aiecs", timeout=30.0)`` talks
    to workers started with ``aiecs-worker`` (tools from ``AIECS_TOOLS=module:attr``).
    ``tools`` (names served by the workers) lets unknown tools be refused without a round
    trip; without it the workers decide. ``chunk_size=N`` (N > 1) batches the operations
    of one parallel run or batch into messages of up to N, run concurrently on a worker
    and answered one by one as they finish; per-op timeouts and error codes are the same.
    ``max_concurrency`` bounds the operations in flight at once. ``tracer`` (an
    `OpenTelemetryObserver`) opens the caller's spans; the trace context travels in each
    message's headers, so the worker's spans are their children.
    """

    def __init__(
        self,
        broker_url: str | None = None,
        *,
        app: CeleryApp | None = None,
        queue: str = "aiecs",
        timeout: float = 30.0,
        time_limit: float | None = None,
        tools: Iterable[str] | None = None,
        max_concurrency: int = 1024,
        toolset: str | None = None,
        chunk_size: int = 1,
        tracer: ExecutionTracer | None = None,
    ) -> None:
        if app is not None and broker_url is not None:
            raise TypeError("pass either broker_url or app, not both")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency!r}")
        self._owns_app = app is None
        self.app = app or CeleryApp(broker_url or redis_url_from_env())
        self._transport = Transport(
            self.app,
            queue=queue,
            timeout=timeout,
            time_limit=time_limit if time_limit is not None else timeout,
            toolset=toolset,
            chunk_size=chunk_size,
        )
        names = frozenset(tools) if tools is not None else None
        self._ops = OperationExecutor(
            _RemoteTools(names),
            # Positional-only on purpose (params named "tool" must not clash), which the
            # keyword-style Protocol does not express; the composition only calls it so.
            cast(IToolExecutor, _RemoteExecutor(self._transport)),
            concurrency=max_concurrency,
            tracer=tracer,
        )

    def __repr__(self) -> str:
        t = self._transport
        chunk = f", chunk_size={t.chunk_size}" if t.chunk_size > 1 else ""
        return f"CeleryOperationExecutor(queue={t.queue!r}, timeout={t.timeout!r}{chunk})"

    @property
    def timeout(self) -> float:
        """Seconds the caller waits for one operation before failing it with E002."""
        return self._transport.timeout

    def close(self) -> None:
        """Release the connections of the app this executor created."""
        if self._owns_app:
            close_replies(self.app)
            self.app.close()

    async def aclose(self) -> None:
        """`close`, as leaving ``async with`` does."""
        self.close()

    # -- IOperationExecutor: the local executor's logic, with a remote per-op runner ----

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation on a worker and return its result."""
        return await self._ops.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation; a failing one's slot holds its exception."""
        return await self._ops.batch_execute_operations(operations)

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> List[TaskStepResult]:
        """Run the operations one after another (``$result[i]`` references work)."""
        return await self._ops.execute_operations_sequence(
            operations, user_id, task_id, stop_on_failure, save_callback
        )

    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations concurrently; results in input order, failures captured."""
        return await self._ops.execute_parallel_operations(operations)
