"""Small inline implementations for the kit's own tests: one correct per contract, and flaws."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import hashlib
import inspect
import threading
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from aiecs_contracts import (
    InvalidOperationSpecError,
    IOperationExecutor,
    OperationFailedError,
    OperationNotFoundError,
    TaskNotFoundError,
    ToolNotFoundError,
    ensure_conforms,
)
from aiecs_models import TaskStepResult, split_operation

# -- tool provider ------------------------------------------------------------------------


class Provider:
    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools = dict(tools)
        self._lock = threading.Lock()

    def has_tool(self, tool_name: str) -> bool:
        return tool_name in self._tools

    def get_tool(self, tool_name: str) -> Any:
        try:
            return self._tools[tool_name]
        except KeyError:
            raise ToolNotFoundError(tool_name, available=self._tools) from None

    def register_tool(self, tool_name: str, tool: Any) -> None:
        with self._lock:
            self._tools[tool_name] = tool

    def unregister_tool(self, tool_name: str) -> None:
        with self._lock:
            self._tools.pop(tool_name, None)


class CaseInsensitiveProvider(Provider):
    def __init__(self, tools: Mapping[str, object]) -> None:
        super().__init__({k.lower(): v for k, v in tools.items()})

    def has_tool(self, tool_name: str) -> bool:
        return tool_name.lower() in self._tools

    def get_tool(self, tool_name: str) -> Any:
        return super().get_tool(tool_name.lower())


class NoneForMissingProvider(Provider):
    def get_tool(self, tool_name: str) -> Any:
        return self._tools.get(tool_name)


# -- tool executor ------------------------------------------------------------------------


class Executor:
    def _op(self, tool: Any, name: str) -> Callable[..., Any]:
        if not name.isidentifier() or name.startswith("_"):
            raise OperationNotFoundError(name)
        fn = getattr(tool, name, None)
        if not callable(fn):
            raise OperationNotFoundError(name)
        return fn

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        fn = self._op(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(fn):
                return asyncio.run(fn(**params))
            result = fn(**params)
        except Exception as exc:
            raise OperationFailedError(str(exc)) from exc
        if not inspect.iscoroutine(result):
            return result
        # a plain callable returned a coroutine (a decorated async def, an async __call__):
        # run it, unless a loop already runs in this thread
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            result.close()
            raise RuntimeError(f"{operation_name} is async: use execute_async in a loop")
        try:
            return asyncio.run(result)
        except Exception as exc:
            raise OperationFailedError(str(exc)) from exc

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        fn = self._op(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(fn):
                return await fn(**params)
            result = await asyncio.to_thread(fn, **params)
            return await result if inspect.isawaitable(result) else result
        except Exception as exc:
            raise OperationFailedError(str(exc)) from exc


class GetattrExecutor(Executor):
    def _op(self, tool: Any, name: str) -> Callable[..., Any]:
        return getattr(tool, name)  # type: ignore[no-any-return]


class HangingExecutor(Executor):
    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        await asyncio.sleep(3600)


class BlockingHangExecutor(Executor):
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        threading.Event().wait()


# -- cache --------------------------------------------------------------------------------


def _canon(v: Any) -> Any:
    if isinstance(v, dict):
        items = [(repr(_canon(k)), _canon(x)) for k, x in v.items()]  # pyright: ignore[reportUnknownVariableType]
        return ("dict", sorted(items, key=lambda p: p[0]))
    if isinstance(v, (set, frozenset)):
        return (type(v).__name__, sorted(repr(_canon(x)) for x in v))  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if isinstance(v, (list, tuple)):
        return (_class_of(v), [_canon(x) for x in v])  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if isinstance(v, int) and not isinstance(v, (bool, enum.Enum)):
        return ("int", hex(v))  # repr() refuses ints past 4,300 digits
    if isinstance(v, BaseModel) or (dataclasses.is_dataclass(v) and not isinstance(v, type)):
        fields = {n: _canon(getattr(v, n)) for n in _field_names(v)}  # sets inside, sorted
        return (_class_of(v), _canon(fields))
    return (_class_of(v), repr(v))


def _class_of(v: Any) -> str:
    # Module and qualname: two classes of one name in two modules must not share keys.
    return f"{type(v).__module__}.{type(v).__qualname__}"


def _field_names(v: Any) -> list[str]:
    if isinstance(v, BaseModel):
        return list(type(v).model_fields)
    return [f.name for f in dataclasses.fields(v)]


class Cache:
    def __init__(self, max_size: int = 64) -> None:
        self.max_size = max_size
        self._data: dict[str, Any] = {}
        self._lock = threading.Lock()

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        text = repr(_canon((operation_type, user_id, task_id, args, kwargs)))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def get_from_cache(self, cache_key: str) -> Any:
        with self._lock:
            return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        with self._lock:
            self._data.pop(cache_key, None)
            self._data[cache_key] = value
            while len(self._data) > self.max_size:
                del self._data[next(iter(self._data))]

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class HashKeyCache(Cache):
    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        return str(hash((operation_type, user_id, task_id, str(args), str(sorted(kwargs)))))


class FalsyCache(Cache):
    def get_from_cache(self, cache_key: str) -> Any:
        return self._data.get(cache_key) or None


class UnboundedCache(Cache):
    def add_to_cache(self, cache_key: str, value: Any) -> None:
        self._data[cache_key] = value


class NoUserCache(Cache):
    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        return super().generate_cache_key(operation_type, "", task_id, args, kwargs)


class MissingAddCache:
    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        return "k"

    def get_from_cache(self, cache_key: str) -> Any:
        return None


# -- operations ---------------------------------------------------------------------------


class Operations:
    def __init__(self, tools: Mapping[str, Any]) -> None:
        self.tools = dict(tools)

    def _resolve(self, spec: Any) -> Callable[..., Any]:
        try:
            tool, op = split_operation(spec)
        except ValueError as exc:
            raise InvalidOperationSpecError(str(exc)) from exc
        if tool not in self.tools:
            raise ToolNotFoundError(tool)
        fn = getattr(self.tools[tool], op, None)
        if not callable(fn):
            raise OperationNotFoundError(op)
        return fn

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        result = self._resolve(operation_spec)(**params)
        return await result if inspect.isawaitable(result) else result

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        runs = [self.execute_operation(o["operation"], o.get("params", {})) for o in operations]
        return list(await asyncio.gather(*runs, return_exceptions=True))

    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        try:
            value = await self.execute_operation(op["operation"], op.get("params", {}))
        except Exception as exc:
            return TaskStepResult.failure(str(op["operation"]), exc)
        return TaskStepResult.success(str(op["operation"]), value)

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Any = None,
    ) -> list[TaskStepResult]:
        out: list[TaskStepResult] = []
        for i, op in enumerate(operations):
            step = await self._step(op)
            out.append(step)
            if save_callback is not None:
                await save_callback(user_id, task_id, i, step)
            if stop_on_failure and not step.completed:
                break
        return out

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return list(await asyncio.gather(*(self._step(o) for o in operations)))


class SequentialParallelOperations(Operations):
    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return [await self._step(o) for o in operations]


# -- engine -------------------------------------------------------------------------------


class Engine:
    def __init__(self, tools: Mapping[str, Any], tasks: Mapping[str, Callable[..., Any]]) -> None:
        self.ops = Operations(tools)
        self.tasks = dict(tasks)
        self.executors: dict[str, Any] = {}

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return await self.ops.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return await self.ops.batch_execute_operations(operations)

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        if task_name not in self.tasks:
            raise TaskNotFoundError(task_name, available=self.tasks)
        result = self.tasks[task_name](input_data, context)
        return await result if inspect.isawaitable(result) else result

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        runs = [
            self.execute_task(t["task_name"], t.get("input_data", {}), t.get("context", {}))
            for t in tasks
        ]
        return list(await asyncio.gather(*runs, return_exceptions=True))

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        self.executors[executor_type] = ensure_conforms(executor_instance, IOperationExecutor)


class LaxRegistrationEngine(Engine):
    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        self.executors[executor_type] = executor_instance


class Everything(Provider, Cache):
    """One object for the tool-provider and cache-provider contracts (detection test)."""

    def __init__(self, tools: Mapping[str, object] | None = None) -> None:
        Provider.__init__(self, tools or {})
        Cache.__init__(self)
