"""The seed's extension interfaces, written the obvious way: both checkers must accept them."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, Optional


class Retrying:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        last: Exception | None = None
        for _ in range(max_retries):
            try:
                return getattr(tool, operation_name)(**params)
            except Exception as exc:  # noqa: PERF203 - one try per attempt
                last = exc
                await asyncio.sleep(0.001)
        assert last is not None
        raise last


class Metered:
    def __init__(self) -> None:
        self._rows: Dict[str, Dict[str, float]] = {}

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return getattr(tool, operation_name)(**params)

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return self.execute(tool, operation_name, **params)

    def get_performance_metrics(self) -> Dict[str, Dict[str, float]]:
        return {op: dict(row) for op, row in self._rows.items()}


class Monitor:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._usage: Dict[str, int] = {}

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        with self._lock:
            key = f"{interface_name}.{method_name}"
            self._usage[key] = self._usage.get(key, 0) + 1

    def get_usage_report(self) -> Dict[str, Any]:
        with self._lock:
            return {"total_usage": sum(self._usage.values()), "usage_by_interface": dict(self._usage)}


class ContextExecutor:
    async def __aenter__(self) -> ContextExecutor:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_val: Optional[BaseException],
        exc_tb: Optional[TracebackType],
    ) -> None:
        return None

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        return None


class Versioned:
    version: str = "1.10.0"

    def get_version(self) -> str:
        return self.version


if TYPE_CHECKING:
    from aiecs_contracts import (
        IAsyncContextExecutor,
        IInterfaceMonitor,
        IPerformanceMetrics,
        IRetryingToolExecutor,
        IToolExecutorV2,
        VersionedInterface,
    )

    _r: IRetryingToolExecutor = Retrying()
    _m: IToolExecutorV2 = Metered()
    _pm: IPerformanceMetrics = Metered()
    _mon: IInterfaceMonitor = Monitor()
    _ctx: IAsyncContextExecutor = ContextExecutor()
    _v: VersionedInterface = Versioned()
