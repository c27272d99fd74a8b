"""The seed's extensions: versioned executors, typed executors, async-context executors."""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Any, Self

from aiecs_contracts import (
    IAsyncContextExecutor,
    InterfaceVersionError,
    IToolExecutorV1,
    IToolExecutorV2,
    ITypedToolExecutor,
    check_interface_version,
    conforms,
)


class TimedExecutor:
    """Implements IToolExecutorV2 and states its interface version."""

    version = "1.5.0"

    def __init__(self) -> None:
        self.timings: list[float] = []

    def get_version(self) -> str:
        return self.version

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return getattr(tool, operation_name)(**params)

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.execute(tool, operation_name, **params)
        finally:
            self.timings.append(time.perf_counter() - start)


class StrLen:
    """Typed: accepts only `str` tools and returns `int`."""

    def execute(self, tool: str, operation_name: str, **params: Any) -> int:
        return len(tool)


class Session:
    """Used as ``async with Session() as s`` to run operations against an open resource."""

    def __init__(self) -> None:
        self.open = False

    async def __aenter__(self) -> Self:
        self.open = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> bool | None:
        self.open = False
        return None

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        return f"{operation}({params}) with open={self.open}"


typed: ITypedToolExecutor[str, int] = StrLen()  # checked statically, both type parameters
v2: IToolExecutorV2 = TimedExecutor()


async def main() -> None:
    print(conforms(v2, IToolExecutorV1), conforms(v2, IToolExecutorV2))
    print(check_interface_version(v2, "1.4"))
    try:
        check_interface_version(v2, "1.10")  # compared as numbers: 1.10 > 1.5
    except InterfaceVersionError as exc:
        print(exc)
    print(typed.execute("hello", "len"))
    async with Session() as session:
        print(conforms(session, IAsyncContextExecutor))
        print(await session.execute_in_context("ping", n=1))


asyncio.run(main())
