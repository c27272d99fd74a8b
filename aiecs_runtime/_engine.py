"""`ExecutionEngine`: the unified `ExecutionInterface` with named, switchable executors."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from aiecs_contracts import (
    ExecutionError,
    ExecutorNotFoundError,
    IOperationExecutor,
    IToolProvider,
    OperationFailedError,
    TaskNotFoundError,
    conforms,
    ensure_conforms,
)

from ._lifecycle import AsyncResource
from ._operation_executor import OperationExecutor
from ._ops import exact_name
from ._plugins import points, report_failure
from ._registry import ToolRegistry
from ._tool_executor import ToolExecutor
from ._tracing import ExecutionTracer, close_quietly, open_quietly

__all__ = ["EXECUTORS_GROUP", "ExecutionEngine"]

EXECUTORS_GROUP = "aiecs.executors"
"""Entry-point group under which other packages publish operation executors."""

_log = logging.getLogger("aiecs_runtime.engine")
_F = TypeVar("_F", bound=Callable[..., Any])


class ExecutionEngine(AsyncResource):
    """Operations through named executors (default ``"local"``) and tasks by name."""

    def __init__(
        self,
        tools: IToolProvider | Mapping[str, Any] | None = None,
        tasks: Mapping[str, Callable[..., Any]] | None = None,
        *,
        tool_executor: ToolExecutor | None = None,
        default: str = "local",
        tracer: ExecutionTracer | None = None,
    ) -> None:
        self.tools: IToolProvider = (
            tools
            if tools is not None and not isinstance(tools, Mapping)
            else ToolRegistry(tools or {})
        )
        self.tool_executor = tool_executor if tool_executor is not None else ToolExecutor()
        self._executors: dict[str, IOperationExecutor] = {
            "local": OperationExecutor(self.tools, self.tool_executor, tracer=tracer)
        }
        self.tracer = tracer
        """Opens a span per task (and, through the local executor, per run and op)."""
        self._tasks: dict[str, Callable[..., Any]] = dict(tasks or {})
        self._default = "local"
        self._stack: contextlib.AsyncExitStack | None = None
        self._entered: frozenset[int] = frozenset()
        self.use(default)

    def __repr__(self) -> str:
        return (
            f"ExecutionEngine(executors={sorted(self._executors)!r}, "
            f"default={self._default!r}, tasks={sorted(self._tasks)!r})"
        )

    # -- executors ----------------------------------------------------------------------

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        """Add an executor under a name; refuses one not conforming to `IOperationExecutor`."""
        ensure_conforms(executor_instance, IOperationExecutor)
        self._executors[executor_type] = executor_instance

    def use(self, executor_type: str) -> None:
        """Make ``executor_type`` the default executor from now on."""
        self.executor(executor_type)
        self._default = executor_type

    @property
    def default_executor(self) -> str:
        """The name of the executor used when a call names none."""
        return self._default

    def executor(self, executor_type: str | None = None) -> IOperationExecutor:
        """Return the executor registered under ``executor_type`` (default: the current one)."""
        name = self._default if executor_type is None else executor_type
        try:
            return self._executors[name]
        except KeyError:
            raise ExecutorNotFoundError(name, available=self._executors) from None

    def list_executors(self) -> list[str]:
        """Return the registered executor names, sorted."""
        return sorted(self._executors)

    def discover_executors(
        self, group: str = EXECUTORS_GROUP, *, replace: bool = False
    ) -> list[str]:
        """Register the executors published under entry-point ``group``; return the names added.

        The entry point names an executor instance, or a class or callable building one
        from the engine's tool provider (given the engine's `ToolExecutor` too when it takes
        a ``tool_executor`` parameter, so plugins share its cache and observers). A name
        already registered (``"local"``, or by an earlier call) is kept unless ``replace``,
        so discovery is idempotent. A plugin that fails to load, or whose executor does not
        conform to `IOperationExecutor` (with `ensure_conforms`'s explanation), is logged
        at WARNING, naming the entry point and the group, and skipped.
        """
        found: list[str] = []
        for point in points(group):
            if not replace and point.name in self._executors:
                _log.debug("kept the executor already registered as %r", point.name)
                continue
            try:
                obj = point.load()
                if isinstance(obj, type) or (
                    callable(obj) and not conforms(obj, IOperationExecutor)
                ):
                    obj = self._build(obj)
            except Exception as error:
                report_failure(_log, point, error, traceback=True)
                continue
            try:
                self.register_executor(point.name, obj)
            except TypeError as error:  # ensure_conforms: the message is the explanation
                report_failure(_log, point, error, traceback=False)
                continue
            found.append(point.name)
        return found

    def _build(self, factory: Callable[..., Any]) -> Any:
        try:
            takes_executor = "tool_executor" in inspect.signature(factory).parameters
        except (TypeError, ValueError):
            takes_executor = False
        if takes_executor:
            return factory(self.tools, tool_executor=self.tool_executor)
        return factory(self.tools)

    # -- operations ---------------------------------------------------------------------

    async def execute_operation(
        self, operation_spec: str, params: dict[str, Any], *, executor: str | None = None
    ) -> Any:
        """Run ``"tool.op"`` through the named (or default) executor."""
        return await self.executor(executor).execute_operation(operation_spec, params)

    async def batch_execute_operations(
        self, operations: list[dict[str, Any]], *, executor: str | None = None
    ) -> list[Any]:
        """Run ops concurrently; each slot holds a result or the exception raised."""
        return await self.executor(executor).batch_execute_operations(operations)

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Any = None,
        *,
        executor: str | None = None,
    ) -> list[Any]:
        """Run ops one after another through the named (or default) executor."""
        return await self.executor(executor).execute_operations_sequence(
            operations, user_id, task_id, stop_on_failure, save_callback
        )

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]], *, executor: str | None = None
    ) -> list[Any]:
        """Run ops concurrently through the named (or default) executor; input order kept."""
        return await self.executor(executor).execute_parallel_operations(operations)

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        """Run one op (for use inside ``async with engine:``)."""
        return await self.execute_operation(operation, params)

    # -- tasks --------------------------------------------------------------------------

    def register_task(self, task_name: str, task: Callable[..., Any]) -> None:
        """Register ``task(input_data, context)`` (sync or async) under ``task_name``."""
        if not callable(task):
            raise TypeError(f"task {task_name!r} is a {type(task).__name__}; expected a callable")
        self._tasks[task_name] = task

    def task(self, task_name: str) -> Callable[[_F], _F]:
        """Decorator form of `register_task`."""

        def register(func: _F) -> _F:
            self.register_task(task_name, func)
            return func

        return register

    def list_tasks(self) -> list[str]:
        """Return the registered task names, sorted."""
        return sorted(self._tasks)

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        """Run a registered task with ``(input_data, context)`` and return its result."""
        name = exact_name(task_name)  # looked up as the exact str: no subclass's __eq__
        task = None if name is None else self._tasks.get(name)
        if task is None or name is None:
            shown = f"<{type(task_name).__name__}>" if name is None else name
            raise TaskNotFoundError(shown, available=self._tasks)
        if self.tracer is None:
            return await self._run_task(name, task, input_data, context)
        span = open_quietly(self.tracer, "task", name, {"aiecs.task.name": name})
        try:
            result = await self._run_task(name, task, input_data, context)
        except BaseException as error:
            close_quietly(span, error)
            raise
        close_quietly(span)
        return result

    async def _run_task(
        self,
        name: str,
        task: Callable[..., Any],
        input_data: dict[str, Any],
        context: dict[str, Any],
    ) -> Any:
        try:
            if inspect.iscoroutinefunction(task):
                return await task(input_data, context)
            result = await asyncio.to_thread(task, input_data, context)
            if inspect.isawaitable(result):
                return await result
            return result
        except ExecutionError:
            raise
        except Exception as error:
            raise OperationFailedError(
                f"task {name!r} raised {type(error).__name__}: {error}"
            ) from error

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        """Run tasks concurrently; each slot holds a result or the exception raised."""

        async def one(item: object) -> Any:
            try:
                if not isinstance(item, Mapping) or "task_name" not in item:
                    raise TaskNotFoundError(f"{item!r} (not a dict with a 'task_name' key)")
                spec = cast("Mapping[str, Any]", item)
                return await self.execute_task(
                    spec["task_name"], spec.get("input_data") or {}, spec.get("context") or {}
                )
            except Exception as error:
                return error

        return list(await asyncio.gather(*map(one, tasks)))

    # -- lifecycle ----------------------------------------------------------------------

    async def _enter(self) -> None:
        stack = contextlib.AsyncExitStack()
        await stack.__aenter__()
        entered: set[int] = set()
        try:
            for executor in self._distinct_executors():
                if hasattr(executor, "__aenter__") and hasattr(executor, "__aexit__"):
                    await stack.enter_async_context(executor)  # type: ignore[arg-type]
                    entered.add(id(executor))
        except BaseException:
            await stack.aclose()
            raise
        self._stack, self._entered = stack, frozenset(entered)

    async def aclose(self) -> None:
        """Release what the executors hold: thread pools, connections (also on leaving
        ``async with``, where executors it entered are left, not closed a second time)."""
        stack, self._stack = self._stack, None
        entered, self._entered = self._entered, frozenset()
        try:
            if stack is not None:
                await stack.aclose()
        finally:
            # Executors already left through __aexit__ are not closed a second time.
            await self._close(skip=entered)

    def _distinct_executors(self) -> list[IOperationExecutor]:
        # One instance may be registered under several names; open and close it once.
        return list({id(executor): executor for executor in self._executors.values()}.values())

    async def _close(self, *, skip: frozenset[int]) -> None:
        await self.tool_executor.aclose()
        for executor in self._distinct_executors():
            if id(executor) in skip:
                continue
            closer = getattr(executor, "aclose", None)
            if closer is not None and inspect.iscoroutinefunction(closer):
                try:
                    await closer()
                except Exception:
                    _log.exception("closing executor %r failed", executor)
