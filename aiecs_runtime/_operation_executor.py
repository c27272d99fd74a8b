"""`OperationExecutor`: ``"tool.op"`` specs over any tool provider and tool executor.

Single calls, batches (exceptions in place), sequences (stop on failure, a save callback
for every produced step, ``$result[i].path`` references) and parallel runs (a concurrency
limit, results in input order). Parallel runs use a fixed pool of worker coroutines pulling
from one iterator, not one task per op, so 10,000 ops cost 64 tasks, not 10,000.
Cancelling any call cancels its in-flight ops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, Literal, cast

from aiecs_contracts import (
    ExecutionError,
    InvalidOperationSpecError,
    IToolExecutor,
    IToolProvider,
    SaveCallback,
    TaskStepResult,
    ToolNotFoundError,
)
from aiecs_models import split_operation

from ._codes import error_code_for
from ._failures import message_of
from ._op_items import (
    as_params,
    being_cancelled,
    operations_list,
    shown,
    spec_of,
    step_name,
)
from ._ops import exact_name
from ._references import has_references, holds_references, resolve_references
from ._registry import ToolRegistry
from ._scope import call_scope
from ._tool_executor import ToolExecutor
from ._tracing import ExecutionTracer, OpenSpan, close_quietly, open_quietly

__all__ = ["OperationExecutor", "error_code_for", "step_failure"]

_SPECS_MAX = 4096


def step_failure(step: str, error: BaseException) -> TaskStepResult:
    """Build a failed step whose code names the failure kind; never an empty message."""
    return TaskStepResult.failure(step, message_of(error), code=error_code_for(error))


class OperationExecutor:
    """Runs ``"tool.op"`` specs: single, batch, sequence and parallel (an `IOperationExecutor`)."""

    def __init__(
        self,
        tools: IToolProvider | Mapping[str, Any],
        executor: IToolExecutor | None = None,
        *,
        concurrency: int = 64,
        tracer: ExecutionTracer | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"OperationExecutor(concurrency={concurrency!r}): expected >= 1")
        self.tools: IToolProvider = ToolRegistry(tools) if isinstance(tools, Mapping) else tools
        self.executor: IToolExecutor = executor if executor is not None else ToolExecutor()
        self.concurrency = concurrency
        self.tracer = tracer
        """Opens the spans of runs and operations (tool calls are the observers' own)."""
        self._specs: dict[str, tuple[str, str]] = {}
        ours = self.executor if isinstance(self.executor, ToolExecutor) else None
        self._ours: ToolExecutor = ours or ToolExecutor()  # read only when ours is not None
        self._run: Callable[[Any, str, dict[str, Any]], Awaitable[Any]] = (
            self._run_ours if ours is not None else self._run_foreign
        )

    def __repr__(self) -> str:
        return (
            f"OperationExecutor(tools={self.tools!r}, executor={self.executor!r}, "
            f"concurrency={self.concurrency})"
        )

    async def _run_ours(self, tool: Any, op: str, params: dict[str, Any]) -> Any:
        # Our own executor's steps, driven from here: params stay a dict (no clash with
        # execute_async's own parameter names) and the op is awaited in this frame.
        ours = self._ours
        name, method, needs, params = ours.admit(tool, op, params)
        if needs.is_async and ours.awaits_directly:
            try:
                return await method(**params)
            except BaseException as first:  # the executor's retry step
                return await ours.recover(tool, name, method, needs, params, first)
        return await ours.finish(tool, name, method, needs, params)

    async def _run_foreign(self, tool: Any, op: str, params: dict[str, Any]) -> Any:
        return await self.executor.execute_async(tool, op, **params)

    def _split(self, spec: Any) -> tuple[str, str]:
        if type(spec) is str:
            parsed = self._specs.get(spec)
            if parsed is not None:
                return parsed
        text = exact_name(spec)  # judged and used as one exact str
        if text is None:
            raise InvalidOperationSpecError(
                f"an operation spec is a {type(spec).__name__}; expected a str 'tool.op'",
                spec=None,
            )
        if text != text.strip() or any(c.isspace() for c in text):
            raise InvalidOperationSpecError(
                f"operation spec {text!r} holds whitespace; expected 'tool.op' exactly",
                spec=text,
            )
        spec = text
        try:
            parsed = split_operation(spec)
        except ValueError as error:
            raise InvalidOperationSpecError(str(error), spec=spec) from None
        if len(self._specs) >= _SPECS_MAX:
            self._specs.clear()
        self._specs[spec] = parsed
        return parsed

    def _tool(self, name: str) -> Any:
        tools = self.tools
        try:
            return tools.get_tool(name)
        except ExecutionError:
            raise
        except (LookupError, ValueError) as error:
            raise ToolNotFoundError(name) from error

    # -- single -------------------------------------------------------------------------

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        """Run ``"tool.op"`` with ``params`` and return what the op returned."""
        if self.tracer is not None:
            return await self._traced(self.tracer, operation_spec, params, None)
        # _execute, inlined: an untraced call costs no coroutine more than it did.
        tool_name, op = self._split(operation_spec)
        if type(params) is not dict:
            params = as_params(params, operation_spec)
        return await self._run(self._tool(tool_name), op, params)

    async def _execute(self, operation_spec: str, params: dict[str, Any]) -> Any:
        tool_name, op = self._split(operation_spec)
        if type(params) is not dict:
            params = as_params(params, operation_spec)
        return await self._run(self._tool(tool_name), op, params)

    async def _traced(
        self, tracer: ExecutionTracer, spec: Any, params: Any, index: int | None
    ) -> Any:
        attributes: dict[str, str | int | bool] = {"aiecs.spec": shown(spec)}
        if index is not None:
            attributes["aiecs.step.index"] = index
        span = open_quietly(tracer, "operation", shown(spec), attributes)
        try:
            value = await self._execute(spec, params)
        except BaseException as error:
            close_quietly(span, error)
            raise
        close_quietly(span)
        return value

    async def _execute_item(self, item: Any, index: int | None = None) -> Any:
        spec, params = spec_of(item)
        if self.tracer is not None:
            return await self._traced(self.tracer, spec, params, index)
        return await self._execute(spec, params)

    def _run_span(
        self, kind: Literal["sequence", "parallel", "batch"], count: int, task_id: str = ""
    ) -> OpenSpan | None:
        tracer = self.tracer
        if tracer is None:
            return None
        attributes: dict[str, str | int | bool] = {"aiecs.operation.count": count}
        if task_id:
            attributes["aiecs.task.id"] = task_id
        return open_quietly(tracer, kind, "", attributes)

    # -- batch --------------------------------------------------------------------------

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        """Run every op concurrently; each slot holds a result or the exception raised."""

        async def one(entry: tuple[int, Any]) -> Any:
            try:
                return await self._execute_item(entry[1], entry[0])
            except (Exception, SystemExit) as error:  # a foreign executor's SystemExit too
                return error

        return await self._spanned("batch", operations_list(operations), one)

    # -- sequence -----------------------------------------------------------------------

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> list[TaskStepResult]:
        """Run ops one after another; one `TaskStepResult` per executed op, in order."""
        operations = operations_list(operations)
        if self.tracer is not None:
            span = self._run_span("sequence", len(operations), task_id)
            try:
                return await self._sequence(
                    operations, user_id, task_id, stop_on_failure, save_callback
                )
            finally:
                if span is not None:
                    close_quietly(span)
        return await self._sequence(operations, user_id, task_id, stop_on_failure, save_callback)

    async def _sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool,
        save_callback: SaveCallback | None,
    ) -> list[TaskStepResult]:
        tracer = self.tracer
        results: list[TaskStepResult] = []
        values: list[Any] = []
        ok: list[bool] = []
        # One scan of the whole list up front: most sequences hold no reference at all,
        # and then no step pays for looking.
        references = holds_references(operations)
        split, tool_of, run = self._split, self._tool, self._run
        get_tool = self.tools.get_tool
        specs = self._specs
        success = TaskStepResult.success
        # The hand-tuned fast path of sequence.1k: with our own executor in its plain
        # setting, each step awaits the admitted op in this frame (what execute_async
        # does), not one coroutine more. tests/runtime/test_fast_paths.py holds its twin.
        direct = isinstance(self.executor, ToolExecutor) and self.executor.awaits_directly
        ours = cast("ToolExecutor", self.executor) if direct else self._ours  # used when direct
        admit, validate = ours.admit_unobserved, ours.validate  # no observers when direct
        add_result, add_value, add_ok = results.append, values.append, ok.append
        with call_scope(user_id, task_id):
            for index, item in enumerate(operations):
                params: Any
                if type(item) is dict and type(spec := item.get("operation")) is str:
                    step: str = spec
                    params = item.get("params") or dict[str, Any]()
                else:
                    step = step_name(item)
                    spec = params = None
                # A step's span; None (one local test per step) when nothing traces.
                span = (
                    None
                    if tracer is None
                    else open_quietly(
                        tracer, "operation", step, {"aiecs.spec": step, "aiecs.step.index": index}
                    )
                )
                failure: BaseException | None = None
                try:
                    if spec is None:
                        spec, params = spec_of(item)
                    if references and has_references(params):
                        params = resolve_references(params, values, ok)
                    # execute_operation, inlined: one coroutine per step, not two.
                    parsed = specs.get(spec) if type(spec) is str else None
                    tool_name, op = parsed or split(spec)
                    if type(params) is not dict:
                        params = as_params(params, spec)
                    try:  # _tool, inlined
                        tool = get_tool(tool_name)
                    except ExecutionError:
                        raise
                    except (LookupError, ValueError):
                        tool = tool_of(tool_name)  # raises the same ToolNotFoundError
                    if direct:
                        name, method, needs, params = admit(tool, op, params, validate)  # pyright: ignore[reportUnknownArgumentType]
                        if needs.is_async:
                            call = needs.positional if validate else None
                            try:
                                value = await (
                                    method(**params) if call is None else call(method, params)
                                )
                            except BaseException as first:  # the executor's retry step
                                value = await ours.recover(tool, name, method, needs, params, first)
                        else:
                            value = await ours.finish(tool, name, method, needs, params)
                    else:
                        value = await run(tool, op, params)  # pyright: ignore[reportUnknownArgumentType]
                except (asyncio.CancelledError, Exception, SystemExit) as error:
                    # an op cancelling itself fails its step; our own cancellation ends the run
                    if isinstance(error, asyncio.CancelledError) and being_cancelled():
                        if span is not None:
                            close_quietly(span, error)
                        raise
                    failure = error
                    result = step_failure(step, error)
                    if references:  # what later references read; nothing reads it otherwise
                        add_value(None)
                        add_ok(False)
                else:
                    result = success(step, value)
                    if references:
                        add_value(value)
                        add_ok(True)
                add_result(result)
                if span is not None:
                    close_quietly(span, failure)
                if save_callback is not None:
                    await save_callback(user_id, task_id, index, result)
                if stop_on_failure and not result.completed:
                    break
        return results

    # -- parallel -----------------------------------------------------------------------

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        """Run ops concurrently (at most ``concurrency`` at once); results in input order."""

        async def one(entry: tuple[int, Any]) -> TaskStepResult:
            index, item = entry
            step = step_name(item)
            try:
                return TaskStepResult.success(step, await self._execute_item(item, index))
            except (asyncio.CancelledError, Exception, SystemExit) as error:
                if isinstance(error, asyncio.CancelledError) and being_cancelled():
                    raise
                return step_failure(step, error)

        return await self._spanned("parallel", operations_list(operations), one)

    async def _spanned(
        self,
        kind: Literal["parallel", "batch"],
        items: list[Any],
        one: Callable[[tuple[int, Any]], Awaitable[Any]],
    ) -> list[Any]:
        """`_pooled` over ``(index, item)`` pairs, inside the run's span when traced."""
        span = self._run_span(kind, len(items))
        try:
            return await self._pooled(list(enumerate(items)), one)
        finally:
            if span is not None:
                close_quietly(span)

    async def _pooled(
        self, operations: list[Any], one: Callable[[Any], Awaitable[Any]]
    ) -> list[Any]:
        count = len(operations)
        if count == 0:
            return []
        if count <= self.concurrency:
            # Few enough to run all at once: one gather, no pool bookkeeping.
            return list(await asyncio.gather(*map(one, operations)))
        results: list[Any] = [None] * count
        work: Iterator[tuple[int, Any]] = iter(enumerate(operations))

        async def worker() -> None:
            for index, item in work:
                results[index] = await one(item)

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        return results
