"""The worker side: run operation messages against a tool provider, answer envelopes.

Async ops of every task share one event loop thread per worker process (so tools holding
loop-bound objects, such as sessions, locks or barriers, see one loop), and sync ops run in
that loop's executor via ``IToolExecutor.execute_async``. The pool thread that received
the message waits for the results, and stops waiting, cancelling an op, when it is revoked
or exceeds its time limit. Celery's own time limits need the prefork pool; this one works
with the threads pool too.

Whatever an op raises is that op's failure, never the worker's: ``SystemExit`` becomes
E003 with the exit code in the message (it would otherwise stop the shared loop and wedge
every later task), and an op's own ``TimeoutError`` is its result, not "not finished yet"
(on 3.11 ``concurrent.futures.TimeoutError`` *is* ``TimeoutError``): every outcome comes
back as a value through a queue, and "not finished" is only ever the queue being empty.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from aiecs_contracts import (
    ExecutionError,
    InvalidOperationSpecError,
    IToolExecutor,
    IToolProvider,
    OperationFailedError,
    OperationTimeoutError,
    ParameterValidationError,
    ToolNotFoundError,
)
from aiecs_models import split_operation

from .._wire import UnencodableValueError, WireDecodeError, dumps, loads
from ._basic import BasicToolExecutor
from ._envelope import error_envelope, ok_envelope
from ._message import Chunk, OpMessage, parse_chunk, parse_op

Envelope = dict[str, Any]
Store = Callable[[Sequence[tuple[str, Envelope]]], None]
"""Writes finished ops' envelopes under their op ids (a chunk's results streaming back)."""
AppStore = Callable[[Sequence[tuple[str, Envelope]], str | None], None]
"""``CeleryApp.store``: the same, and published to the message's reply channel."""

_GATHER = 0.001  # how long finished ops wait for their neighbours before being stored
_STEP = 0.05  # how often a waiting pool thread looks for revocations and time limits

__all__ = ["MappingProvider", "OperationRunner", "provider_from_import_string"]


class MappingProvider:
    """An ``IToolProvider`` serving exactly a mapping of names to tools."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools = dict(tools)

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool served under ``tool_name``."""
        try:
            return self._tools[tool_name]
        except (KeyError, TypeError):
            raise ToolNotFoundError(str(tool_name), available=self._tools) from None

    def has_tool(self, tool_name: str) -> bool:
        """Whether ``tool_name`` is served."""
        return tool_name in self._tools

    def names(self) -> frozenset[str]:
        """Every served name."""
        return frozenset(self._tools)


def provider_from_import_string(spec: str) -> IToolProvider:
    """Load ``"module:attr"``: an ``IToolProvider`` (a ToolRegistry) or a mapping of tools."""
    import importlib

    module_name, colon, attr = spec.partition(":")
    if not colon or not module_name or not attr:
        raise ValueError(
            f"AIECS_TOOLS={spec!r}: expected 'module:attr', e.g. 'myapp.tools:registry'"
        )
    found: object = importlib.import_module(module_name)
    for part in attr.split("."):
        found = getattr(found, part)
    if callable(found) and not isinstance(found, IToolProvider):
        found = found()
    if isinstance(found, IToolProvider):
        return found
    if isinstance(found, Mapping):
        return MappingProvider(found)  # pyright: ignore[reportUnknownArgumentType]
    raise TypeError(
        f"AIECS_TOOLS={spec!r} is a {type(found).__name__}; expected a ToolRegistry (any "
        f"IToolProvider), a mapping of tool names to tools, or a factory returning one"
    )


class _LoopThread:
    """One event loop running in a daemon thread, kept running whatever an op raises."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, name="aiecs-worker-loop", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                self.loop.run_forever()
                return  # stopped on purpose
            except BaseException:  # a BaseException escaped a task: keep serving
                continue


async def _call(
    executor: IToolExecutor, tool: Any, op: str, params: dict[str, Any], what: str
) -> Any:
    try:
        run = _params_as_dict(executor)
        if run is not None:
            return await run(tool, op, params)
        return await executor.execute_async(tool, op, **params)
    except SystemExit as exc:
        raise OperationFailedError(
            f"{what} raised SystemExit (exit code {exc.code!r}); an op's exit is that op's "
            f"failure, the worker goes on serving"
        ) from None


def _params_as_dict(executor: object) -> Callable[[Any, str, dict[str, Any]], Any] | None:
    """``executor.run(tool, op, params)`` of our own executors, which take params as a dict.

    Params named ``tool`` or ``operation_name`` then reach the op, as they do locally; a
    foreign executor only has ``execute_async(tool, op, **params)``, where they clash.
    """
    import aiecs_runtime

    ours = tuple(
        cls
        for cls in (getattr(aiecs_runtime, "ToolExecutor", None), BasicToolExecutor)
        if isinstance(cls, type)
    )
    if isinstance(executor, ours):
        run: Callable[[Any, str, dict[str, Any]], Any] = getattr(executor, "run")  # noqa: B009
        return run
    return None


class OperationRunner:
    """Runs operation messages; ``toolsets`` lets one worker serve in-process callers too."""

    def __init__(
        self,
        default: Callable[[], IToolProvider] | None,
        tool_executor: Callable[[], IToolExecutor],
        *,
        is_revoked: Callable[[str], bool] = lambda task_id: False,
    ) -> None:
        self._default_factory = default
        self._default: IToolProvider | None = None
        self._executor_factory = tool_executor
        self._executor: IToolExecutor | None = None
        self._is_revoked = is_revoked
        self._toolsets: dict[str, IToolProvider] = {}
        self._lock = threading.Lock()
        self._loop: _LoopThread | None = None

    # -- toolsets ---------------------------------------------------------------------

    def add_toolset(self, provider: IToolProvider) -> str:
        """Serve ``provider`` to messages naming the returned toolset id."""
        toolset = uuid.uuid4().hex
        with self._lock:
            self._toolsets[toolset] = provider
        return toolset

    def remove_toolset(self, toolset: str) -> None:
        """Stop serving a toolset (messages naming it then fail)."""
        with self._lock:
            self._toolsets.pop(toolset, None)

    def _provider(self, toolset: str | None, tool_name: str) -> IToolProvider:
        with self._lock:
            if toolset is not None:
                provider = self._toolsets.get(toolset)
                if provider is None:
                    raise ToolNotFoundError(tool_name) from LookupError(
                        f"toolset {toolset} is not served by this worker (its caller is gone?)"
                    )
                return provider
            if self._default is None:
                if self._default_factory is None:
                    raise ToolNotFoundError(tool_name) from LookupError(
                        "this worker serves no tools: start it with AIECS_TOOLS=module:attr"
                    )
                self._default = self._default_factory()
            return self._default

    def _runtime(self) -> tuple[IToolExecutor, asyncio.AbstractEventLoop]:
        with self._lock:
            if self._executor is None:
                self._executor = self._executor_factory()
            if self._loop is None:
                self._loop = _LoopThread()
            return self._executor, self._loop.loop

    # -- running ----------------------------------------------------------------------

    def run(self, task_id: str, args: Sequence[Any], store: AppStore) -> None:
        """Run an ``aiecs.run_operation`` message: its envelope ``store``d (never raises)."""
        self._serve(task_id, lambda: parse_op(task_id, tuple(args)), _reply(args, 5), store)

    def run_chunk(self, task_id: str, args: Sequence[Any], store: AppStore) -> None:
        """Run an ``aiecs.run_chunk`` message: each op's envelope ``store``d as it finishes.

        A malformed message is refused whole, before any op starts; its refusal is stored
        under the task's own id (nobody may be able to tell which ops it meant).
        """
        self._serve(task_id, lambda: parse_chunk(tuple(args)), _reply(args, 4), store)

    def _serve(
        self, task_id: str, parse: Callable[[], Chunk], reply: str | None, store: AppStore
    ) -> None:
        try:
            chunk = parse()
        except ExecutionError as exc:
            store([(task_id, error_envelope(exc))], reply)
            return
        self._run_chunk(chunk, lambda answered: store(answered, chunk.reply))

    def _run_chunk(self, chunk: Chunk, store: Store) -> None:
        if chunk.deadline is not None and time.time() > chunk.deadline:
            expired = OperationTimeoutError(
                "the message expired before a worker took it (its caller has given up)"
            )
            store([(op.op_id, error_envelope(expired)) for op in chunk.ops])
            return
        prepared: list[tuple[OpMessage, Coroutine[Any, Any, Any]]] = []
        answered: list[tuple[str, Envelope]] = []
        for op in chunk.ops:
            try:
                prepared.append((op, self._prepare(chunk.toolset, op)))
            except BaseException as exc:  # refusals are that op's answer
                answered.append((op.op_id, _failure(exc, op.operation)))
        if answered:
            store(answered)
        if prepared:
            self._drain(prepared, chunk.time_limit, store)

    def _prepare(self, toolset: str | None, op: OpMessage) -> Coroutine[Any, Any, Any]:
        """The op's call, not yet started; raises its refusal (E001) instead."""
        try:
            tool_name, op_name = split_operation(op.operation)
        except ValueError as exc:
            raise InvalidOperationSpecError(str(exc), spec=op.operation) from None
        tool = self._provider(toolset, tool_name).get_tool(tool_name)
        try:
            params = loads(op.params_json)
        except WireDecodeError as exc:
            raise ParameterValidationError(
                f"params of {op.operation} could not be decoded on the worker: {exc}"
            ) from None
        if not isinstance(params, dict):
            raise ParameterValidationError(
                f"params of {op.operation} must be a dict, got {type(params).__name__}"
            )
        executor, _ = self._runtime()
        return _call(executor, tool, op_name, params, op.operation)  # pyright: ignore[reportUnknownArgumentType]

    def _drain(
        self,
        prepared: list[tuple[OpMessage, Coroutine[Any, Any, Any]]],
        time_limit: float | None,
        store: Store,
    ) -> None:
        # One hop to the loop starts every op of the message; each finished op's outcome
        # comes back through one queue, so this thread wakes once per batch of outcomes,
        # not once per op, and never scans the ops still running to find the done ones.
        _, loop = self._runtime()
        outcomes: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        running = {op.op_id: op for op, _ in prepared}
        starting = asyncio.run_coroutine_threadsafe(_start_all(prepared, outcomes), loop)
        tasks = starting.result()
        limit_at = None if time_limit is None else time.monotonic() + time_limit
        while running:
            step = _STEP if limit_at is None else max(0.0, min(_STEP, limit_at - time.monotonic()))
            batch: list[_Outcome] = []
            try:
                batch.append(outcomes.get(timeout=step))
                # Ops of one message tend to finish together: gather what follows within
                # a millisecond, so a hundred fast ops cost a few stores, not a hundred.
                while len(batch) < len(running):
                    batch.append(outcomes.get(timeout=_GATHER))
            except queue.Empty:
                pass
            answered: list[tuple[str, Envelope]] = []
            for op_id, ok, value in batch:
                op = running.pop(op_id, None)
                if op is not None:
                    answered.append((op_id, _envelope(ok, value, op.operation)))
            late = limit_at is not None and time.monotonic() >= limit_at
            for op_id, op in list(running.items()):
                if late or self._is_revoked(op_id):
                    del running[op_id]
                    loop.call_soon_threadsafe(tasks[op_id].cancel)
                    answered.append((op_id, error_envelope(_stopped(op, time_limit, late))))
            if answered:
                store(answered)


_Outcome = tuple[str, bool, Any]
"""``(op_id, ok, result or exception)`` of one finished op."""


async def _start_all(
    prepared: list[tuple[OpMessage, Coroutine[Any, Any, Any]]],
    outcomes: queue.SimpleQueue[_Outcome],
) -> dict[str, asyncio.Task[None]]:
    return {
        op.op_id: asyncio.ensure_future(_settle(op.op_id, coro, outcomes)) for op, coro in prepared
    }


async def _settle(
    op_id: str, coro: Coroutine[Any, Any, Any], outcomes: queue.SimpleQueue[_Outcome]
) -> None:
    # Every outcome, BaseExceptions included, is put on the queue and none escapes the
    # task: an exception escaping would stop the loop every other op runs on.
    try:
        result = await coro
    except BaseException as exc:  # the op's answer, whatever it raised
        outcomes.put((op_id, False, exc))
    else:
        outcomes.put((op_id, True, result))


def _envelope(ok: bool, value: Any, operation: str) -> Envelope:
    if not ok:
        return _failure(value, operation)
    try:
        return ok_envelope(dumps(value))
    except UnencodableValueError as exc:
        return error_envelope(
            OperationFailedError(f"the result of {operation} cannot cross the wire as JSON: {exc}")
        )


def _reply(args: Sequence[Any], index: int) -> str | None:
    """The reply channel of a message that may be malformed otherwise."""
    reply = args[index] if isinstance(args, list | tuple) and len(args) > index else None
    return reply if type(reply) is str else None


def _failure(exc: BaseException, operation: str) -> Envelope:
    if isinstance(exc, Exception):
        return error_envelope(exc)
    # A BaseException other than SystemExit (which _call already turned into E003), e.g.
    # a KeyboardInterrupt or GeneratorExit from the op: on a worker that is still only
    # this op's failure.
    return error_envelope(
        OperationFailedError(f"{operation} raised {type(exc).__name__} on the worker")
    )


def _stopped(op: OpMessage, time_limit: float | None, late: bool) -> OperationTimeoutError:
    if late:
        return OperationTimeoutError(
            f"{op.operation} exceeded its time limit of {time_limit}s on the worker",
            timeout=time_limit,
        )
    return OperationTimeoutError(f"{op.operation} was revoked by its caller")
