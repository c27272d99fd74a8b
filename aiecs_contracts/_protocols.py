"""The execution contracts as runtime-checkable Protocols.

Shapes only; the behaviour each one demands is on its contract page (docs/contracts) and is
checked by ``aiecs_conformance``. Parameter names and kinds follow the original AIECS
interfaces exactly, so implementations written against the seed type-check unchanged.
"""

from abc import abstractmethod
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Dict, List, Optional, Protocol, Self, TypeVar, runtime_checkable

from aiecs_models import TaskStepResult

__all__ = [
    "ExecutionInterface",
    "ExecutionInterfaceBase",
    "IAsyncContextExecutor",
    "ICacheProvider",
    "IInterfaceMonitor",
    "IOperationExecutor",
    "IPerformanceMetrics",
    "IRetryingToolExecutor",
    "IToolExecutor",
    "IToolExecutorV1",
    "IToolExecutorV2",
    "IToolProvider",
    "IToolRegistry",
    "ITypedOperationExecutor",
    "ITypedToolExecutor",
    "SaveCallback",
    "SupportsExecutorRegistration",
    "VersionedInterface",
]

SaveCallback = Callable[[str, str, int, TaskStepResult], Awaitable[None]]
"""``await save_callback(user_id, task_id, index, result)`` after each step of a sequence."""

T_contra = TypeVar("T_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)


# -- tools ------------------------------------------------------------------------------


@runtime_checkable
class IToolProvider(Protocol):
    """Looks tools up by name."""

    @abstractmethod
    def get_tool(self, tool_name: str) -> Any:
        """Return the tool served under ``tool_name``; raise ``LookupError`` if none is."""

    @abstractmethod
    def has_tool(self, tool_name: str) -> bool:
        """Return whether a tool is served under ``tool_name``; never raises."""


@runtime_checkable
class IToolRegistry(IToolProvider, Protocol):
    """A tool provider whose tools can be registered and unregistered at run time."""

    @abstractmethod
    def register_tool(self, tool_name: str, tool: Any) -> None:
        """Serve ``tool`` under ``tool_name`` from now on."""

    @abstractmethod
    def unregister_tool(self, tool_name: str) -> None:
        """Stop serving ``tool_name``."""


@runtime_checkable
class IToolExecutor(Protocol):
    """Runs one operation of a tool object, synchronously or asynchronously."""

    @abstractmethod
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``tool.<operation_name>(**params)`` and return its result."""

    @abstractmethod
    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``tool.<operation_name>(**params)`` without blocking the event loop."""


@runtime_checkable
class IToolExecutorV1(Protocol):
    """Version 1 of the tool executor: synchronous execution only."""

    @abstractmethod
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``tool.<operation_name>(**params)`` and return its result."""


@runtime_checkable
class IToolExecutorV2(IToolExecutorV1, Protocol):
    """Version 2 of the tool executor: adds execution with metrics."""

    @abstractmethod
    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the operation and record its timing and outcome."""


@runtime_checkable
class IRetryingToolExecutor(Protocol):
    """The seed's retrying executor: ``max_retries`` is the total number of attempts."""

    @abstractmethod
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        """Run the op up to ``max_retries`` times in all; raise its last failure after that."""


@runtime_checkable
class IPerformanceMetrics(Protocol):
    """The seed's metrics report: per op, and per ``"<op>_error"`` for failures."""

    @abstractmethod
    def get_performance_metrics(self) -> Dict[str, Dict[str, float]]:
        """Return ``{op: {"avg_time", "min_time", "max_time", "count"}}`` (seconds, calls)."""


@runtime_checkable
class ITypedToolExecutor(Protocol[T_contra, R_co]):
    """A tool executor typed by the tools it accepts and the results it returns."""

    @abstractmethod
    def execute(self, tool: T_contra, operation_name: str, **params: Any) -> R_co:
        """Run ``tool.<operation_name>(**params)`` and return its typed result."""


# -- cache ------------------------------------------------------------------------------


@runtime_checkable
class ICacheProvider(Protocol):
    """Stores operation results under keys derived from the call's context."""

    @abstractmethod
    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return a key unique to this call, stable across processes."""

    @abstractmethod
    def get_from_cache(self, cache_key: str) -> Optional[Any]:
        """Return the value stored under ``cache_key``, or ``None`` on a miss."""

    @abstractmethod
    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` under ``cache_key``, replacing any earlier value."""


# -- operations -------------------------------------------------------------------------


@runtime_checkable
class IOperationExecutor(Protocol):
    """Runs ``"tool.op"`` operations singly, in batches, in sequence or in parallel."""

    @abstractmethod
    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation and return its result."""

    @abstractmethod
    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation; a failing one's slot holds its exception."""

    @abstractmethod
    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Optional[SaveCallback] = None,
    ) -> List[TaskStepResult]:
        """Run the operations one after another, one step result each."""

    @abstractmethod
    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations concurrently; results in input order, failures captured."""


@runtime_checkable
class ITypedOperationExecutor(Protocol[R_co]):
    """An operation executor typed by the results it returns."""

    @abstractmethod
    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> R_co:
        """Run one operation and return its typed result."""


# -- engines ----------------------------------------------------------------------------


@runtime_checkable
class ExecutionInterface(Protocol):
    """The unified execution interface of a pluggable execution engine."""

    @abstractmethod
    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation and return its result."""

    @abstractmethod
    async def execute_task(
        self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]
    ) -> Any:
        """Run the task registered as ``task_name`` and return its result."""

    @abstractmethod
    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation; a failing one's slot holds its exception."""

    @abstractmethod
    async def batch_execute_tasks(self, tasks: List[Dict[str, Any]]) -> List[Any]:
        """Run every task; a failing one's slot holds its exception."""


@runtime_checkable
class SupportsExecutorRegistration(Protocol):
    """An engine that accepts new executor types at run time."""

    @abstractmethod
    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        """Make ``executor_instance`` available under ``executor_type``."""


class ExecutionInterfaceBase(ExecutionInterface):
    """Nominal base for engines, carrying the seed's default ``register_executor``."""

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        """Refuse: this engine does not support executor registration."""
        raise NotImplementedError("Executor registration is not implemented in this interface")


@runtime_checkable
class IAsyncContextExecutor(Protocol):
    """An executor used as ``async with executor: ...`` that runs operations in context."""

    @abstractmethod
    async def __aenter__(self) -> Self:
        """Open what the executor holds (pools, connections)."""

    @abstractmethod
    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_val: Optional[BaseException],
        exc_tb: Optional[TracebackType],
        /,
    ) -> Optional[bool]:
        """Close what the executor holds (Python passes the three values positionally, so
        implementations may name them as they like)."""

    @abstractmethod
    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        """Run ``operation`` with ``params`` inside the open context."""


# -- versioning -------------------------------------------------------------------------


@runtime_checkable
class VersionedInterface(Protocol):
    """An implementation that states which interface version it implements."""

    version: str

    @abstractmethod
    def get_version(self) -> str:
        """Return the implemented interface version, such as ``"1.5.0"``."""


# -- monitoring -------------------------------------------------------------------------


@runtime_checkable
class IInterfaceMonitor(Protocol):
    """The seed's interface-usage monitor: counts calls and failures per interface method."""

    @abstractmethod
    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        """Count one call of ``interface_name.method_name`` (and one error unless ``success``)."""

    @abstractmethod
    def get_usage_report(self) -> Dict[str, Any]:
        """Return a snapshot: ``total_usage``, ``total_errors``, ``error_rate``, the two
        ``*_by_interface`` dicts keyed ``"<interface>.<method>"``."""
