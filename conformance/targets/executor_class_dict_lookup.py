"""Flawed tool executor: ops are looked up in the tool class's own ``__dict__``.

The mistake: "only methods the tool's class defines are operations" --
``vars(type(tool))[name]`` -- so an op inherited from a base class or mixin, or held by an
instance attribute (a function, a partial, a callable object, a bound method of another
object) is "unknown". ``executor.op_shapes`` catches it; ``executor.sync.result``,
``executor.async.result``, ``executor.params.passthrough``, ``executor.errors.propagate``,
``executor.isolation.tools`` and the shoulds ``executor.errors.typed`` and
``executor.contextvars`` draw ops of every shape, so they fail too.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.op_shapes",
        "executor.sync.result",
        "executor.async.result",
        "executor.params.passthrough",
        "executor.errors.propagate",
        "executor.isolation.tools",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset(
    {"executor.errors.typed", "executor.contextvars"}
)


class ClassDictExecutor:
    """Runs methods declared directly on the tool's class."""

    @staticmethod
    def _bind(tool: object, name: object) -> Any:
        if not isinstance(name, str) or name.startswith("_") or not name.isidentifier():
            raise OperationNotFoundError(f"{name!r} is not a public operation name")
        cls: type[Any] = type(tool)
        raw: Any = vars(cls).get(str(name))  # BUG: bases, mixins, instance attributes missed
        if raw is None:
            raise OperationNotFoundError(f"{type(tool).__name__} defines no {name!r}")
        bound = raw.__get__(tool, type(tool)) if hasattr(raw, "__get__") else raw
        if not callable(bound):
            raise OperationNotFoundError(f"{name!r} is not callable")
        return bound

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op, blocking."""
        fn = self._bind(tool, operation_name)
        try:
            out = fn(**params)
        except Exception as exc:
            raise OperationFailedError(str(exc)) from exc
        if inspect.iscoroutine(out):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                try:
                    return asyncio.run(out)
                except Exception as exc:
                    raise OperationFailedError(str(exc)) from exc
            out.close()
            raise RuntimeError("cannot run an async op with execute() inside a running loop")
        return out

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await the op."""
        fn = self._bind(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(fn):
                return await fn(**params)
            out = await asyncio.to_thread(fn, **params)
            return await out if inspect.isawaitable(out) else out
        except Exception as exc:
            raise OperationFailedError(str(exc)) from exc


def factory() -> ClassDictExecutor:
    """A fresh executor."""
    return ClassDictExecutor()
