"""The worker side: run one operation message against a tool provider, answer an envelope.

Async ops of every task share one event loop thread per worker process (so tools holding
loop-bound objects, such as sessions, locks or barriers, see one loop), and sync ops run in
that loop's executor via ``IToolExecutor.execute_async``. The pool thread that received
the message waits for the result, and stops waiting, cancelling the op, when the task is
revoked or exceeds its time limit. Celery's own time limits need the prefork pool; this
one works with the threads pool too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from aiecs_contracts import (
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
from ._envelope import error_envelope, ok_envelope

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
    """One event loop running forever in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="aiecs-worker-loop", daemon=True
        )
        self.thread.start()


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

    def _tool_executor(self) -> IToolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = self._executor_factory()
            if self._loop is None:
                self._loop = _LoopThread()
            return self._executor

    # -- running ----------------------------------------------------------------------

    def run(
        self,
        task_id: str,
        toolset: str | None,
        operation: str,
        params_json: str,
        time_limit: float | None,
    ) -> dict[str, Any]:
        """Run one operation message and return its envelope (never raises)."""
        try:
            return ok_envelope(self._run(task_id, toolset, operation, params_json, time_limit))
        except BaseException as exc:  # the envelope carries every failure to the caller
            if not isinstance(exc, Exception):
                raise
            return error_envelope(exc)

    def _run(
        self,
        task_id: str,
        toolset: str | None,
        operation: str,
        params_json: str,
        time_limit: float | None,
    ) -> bytes:
        try:
            tool_name, op = split_operation(operation)
        except ValueError as exc:
            raise InvalidOperationSpecError(str(exc), spec=operation) from None
        tool = self._provider(toolset, tool_name).get_tool(tool_name)
        try:
            params = loads(params_json)
        except WireDecodeError as exc:
            raise ParameterValidationError(
                f"params of {operation} could not be decoded on the worker: {exc}"
            ) from None
        if not isinstance(params, dict):
            raise ParameterValidationError(f"params of {operation} must be a dict")
        executor = self._tool_executor()
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(
            executor.execute_async(tool, op, **params),  # pyright: ignore[reportUnknownArgumentType]
            self._loop.loop,
        )
        result = self._wait(future, task_id, operation, time_limit)
        try:
            return dumps(result)
        except UnencodableValueError as exc:
            raise OperationFailedError(
                f"the result of {operation} cannot cross the wire as JSON: {exc}"
            ) from None

    def _wait(
        self,
        future: concurrent.futures.Future[Any],
        task_id: str,
        operation: str,
        time_limit: float | None,
    ) -> Any:
        deadline = None if time_limit is None else time.monotonic() + time_limit
        while True:
            step = 0.05 if deadline is None else max(0.0, min(0.05, deadline - time.monotonic()))
            try:
                return future.result(timeout=step)
            except concurrent.futures.TimeoutError:
                pass
            if self._is_revoked(task_id):
                future.cancel()
                raise OperationTimeoutError(f"{operation} was revoked by its caller")
            if deadline is not None and time.monotonic() >= deadline:
                future.cancel()
                raise OperationTimeoutError(
                    f"{operation} exceeded its time limit of {time_limit}s on the worker",
                    timeout=time_limit,
                )
