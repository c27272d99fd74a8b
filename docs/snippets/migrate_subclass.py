"""Migrating: explicit subclassing still works, with ABC-style errors for missing methods."""

from typing import Any

from aiecs_contracts import IToolExecutor, check_interface_compatibility


class LegacyExecutor(IToolExecutor):  # was: class LegacyExecutor(IToolExecutor) over the ABC
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return getattr(tool, operation_name)(**params)


try:
    LegacyExecutor()  # type: ignore[abstract]  # the checkers flag it too
except TypeError as exc:
    print(exc)


class Base:
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return getattr(tool, operation_name)(**params)


class Child(Base):  # execute is inherited: the seed's helper missed it, this one sees it
    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return self.execute(tool, operation_name, **params)


print(check_interface_compatibility(Child, IToolExecutor))
