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


tools = {"calc": Calc()}
