"""The extension Protocols: runtime checks and `explain` on the seed's own shapes."""

from __future__ import annotations

from typing import Any

from aiecs_contracts import (
    IAsyncContextExecutor,
    IInterfaceMonitor,
    IPerformanceMetrics,
    IRetryingToolExecutor,
    MismatchKind,
    explain,
)


class SeedRetry:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        return None


class RetryWithoutDefault:
    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int, **params: Any
    ) -> Any:
        return None


class SeedMonitor:
    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        return None

    def get_usage_report(self) -> dict[str, Any]:
        return {}


class Metrics:
    def get_performance_metrics(self) -> dict[str, dict[str, float]]:
        return {}


class AnyNamesContext:
    """Python passes ``__aexit__``'s three values positionally: any names must do."""

    async def __aenter__(self) -> AnyNamesContext:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        return None


def test_the_seed_shapes_conform() -> None:
    assert explain(SeedRetry(), IRetryingToolExecutor) == []
    assert explain(SeedMonitor(), IInterfaceMonitor) == []
    assert explain(Metrics(), IPerformanceMetrics) == []
    assert explain(AnyNamesContext(), IAsyncContextExecutor) == []
    assert isinstance(SeedMonitor(), IInterfaceMonitor)
    assert not isinstance(Metrics(), IInterfaceMonitor)


def test_the_max_retries_default_is_part_of_the_contract() -> None:
    kinds = {m.kind for m in explain(RetryWithoutDefault(), IRetryingToolExecutor)}
    assert MismatchKind.PARAMETERS in kinds
