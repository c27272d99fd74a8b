"""Tools served by the separate-process worker in the integration tests (AIECS_TOOLS)."""

from __future__ import annotations

import time
from typing import Any


class Calc:
    """Trivial ops, a slow one (to kill the worker under) and one with an unsendable result."""

    def add(self, a: int, b: int) -> int:
        return a + b

    def pair(self, x: Any) -> tuple[Any, Any]:
        return (x, x)

    def slow(self, seconds: float) -> str:
        time.sleep(seconds)
        return "done"

    def unsendable(self) -> object:
        return object()


tools: dict[str, Any] = {"calc": Calc()}


class Hostile:
    """Ops replaying the security review's attacks on a worker (issue 13, items 5, 8, 11, 18)."""

    def exit(self, code: object = 3) -> None:
        raise SystemExit(code)

    async def exit_async(self, code: object = 4) -> None:
        raise SystemExit(code)

    def timeout(self) -> None:
        raise TimeoutError("the op's own timeout")

    async def timeout_async(self) -> None:
        import concurrent.futures

        raise concurrent.futures.TimeoutError("the op's own futures timeout")

    async def raises_e002(self) -> None:
        from aiecs_contracts import OperationTimeoutError

        # An ExecutionError passes through the executor as is: the worker then holds a
        # TimeoutError that is the op's answer, not "the op has not finished yet".
        raise OperationTimeoutError("the op's own E002")

    def reserved(self, tool: Any, operation_name: Any) -> list[Any]:
        return [tool, operation_name]

    def big(self, n: int) -> int:
        return n + 1

    def fail(self, message: str) -> None:
        raise ValueError(message)

    def ok(self, x: Any = None) -> Any:
        return x

    def mark(self, path: str, seconds: float = 0.0) -> str:
        """Leave a file behind (proof the op ran), then take ``seconds``."""
        with open(path, "w") as f:
            f.write("ran")
        time.sleep(seconds)
        return path


tools["hostile"] = Hostile()
