"""Wrong implementations that BOTH checkers accept: the static layer's blind spots.

Each class here type-checks as its Protocol, yet would break callers at run time.
`tests/contracts/test_static_gaps.py` asserts that `aiecs_contracts.explain` (and so the
conformance kit's signature checks) reports every one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


class SyncExecuteAsyncReturningAny:
    """`execute_async` is a plain def returning Any: awaiting its result fails at run time."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None

    def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None


class AsyncGetFromCache:
    """`get_from_cache` is async: callers get a coroutine, which `Optional[Any]` admits."""

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> str:
        return ""

    async def get_from_cache(self, cache_key: str) -> Any | None:
        return None

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        return None


class SyncBatchReturningAny:
    """`batch_execute_operations` is a plain def returning Any: `await` on a list fails."""

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def execute_task(self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]) -> Any:
        return None

    def batch_execute_operations(self, operations: list[dict[str, Any]]) -> Any:
        return []

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        return []


if TYPE_CHECKING:
    from aiecs_contracts import ExecutionInterface, ICacheProvider, IToolExecutor

    _a: type[IToolExecutor] = SyncExecuteAsyncReturningAny
    _b: type[ICacheProvider] = AsyncGetFromCache
    _c: type[ExecutionInterface] = SyncBatchReturningAny
