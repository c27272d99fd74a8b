"""Common IToolExecutor mistakes, as `explain` reports them."""

from typing import Any

from aiecs_contracts import IToolExecutor, explain


class SyncOnly:
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return getattr(tool, operation_name)(**params)

    def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return self.execute(tool, operation_name, **params)  # not awaitable


class ParamsAsDict:
    def execute(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        return getattr(tool, operation_name)(**params)

    async def execute_async(self, tool: Any, op: str, **params: Any) -> Any:
        return getattr(tool, op)(**params)


for cls in (SyncOnly, ParamsAsDict):
    print(f"{cls.__name__}:")
    for problem in explain(cls, IToolExecutor):
        print(f"  {problem}")
