"""Extension interfaces both checkers must reject (one defect each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict


class RetryWithoutParams:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3
    ) -> Any:  # the op's params have nowhere to go
        return None


class SyncRetry:
    def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> str:  # sync where the Protocol says async
        return ""


class MetricsAsList:
    def get_performance_metrics(self) -> list[float]:
        return []


class MonitorWithoutSuccess:
    def record_interface_usage(self, interface_name: str, method_name: str) -> None:
        return None

    def get_usage_report(self) -> Dict[str, Any]:
        return {}


class MonitorReportAsInt:
    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        return None

    def get_usage_report(self) -> int:
        return 0


if TYPE_CHECKING:
    from aiecs_contracts import IInterfaceMonitor, IPerformanceMetrics, IRetryingToolExecutor

    _a: IRetryingToolExecutor = RetryWithoutParams()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _b: IRetryingToolExecutor = SyncRetry()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _c: IPerformanceMetrics = MetricsAsList()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _d: IInterfaceMonitor = MonitorWithoutSuccess()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _e: IInterfaceMonitor = MonitorReportAsInt()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
