"""Execution engines, registration and async-context executors both checkers must accept."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, List

from aiecs_contracts import ExecutionInterfaceBase


class Engine:
    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        return None

    async def execute_task(self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        return []

    async def batch_execute_tasks(self, tasks: List[Dict[str, Any]]) -> List[Any]:
        return []


class RegisteringEngine(Engine):
    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        return None


class NominalEngine(ExecutionInterfaceBase):
    """Subclassing the nominal base keeps the seed's default register_executor."""

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        return None

    async def execute_task(self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        return []

    async def batch_execute_tasks(self, tasks: List[Dict[str, Any]]) -> List[Any]:
        return []


class ContextExecutor:
    async def __aenter__(self) -> ContextExecutor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        return None

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        return None


class Versioned:
    version: str = "1.5.0"

    def get_version(self) -> str:
        return self.version


if TYPE_CHECKING:
    from aiecs_contracts import (
        ExecutionInterface,
        IAsyncContextExecutor,
        SupportsExecutorRegistration,
        VersionedInterface,
    )

    _a: type[ExecutionInterface] = Engine
    _b: type[SupportsExecutorRegistration] = RegisteringEngine
    _c: type[ExecutionInterface] = NominalEngine
    _c2: type[SupportsExecutorRegistration] = NominalEngine
    _d: type[IAsyncContextExecutor] = ContextExecutor
    _e: type[VersionedInterface] = Versioned
    _engine_instance: ExecutionInterface = NominalEngine()
