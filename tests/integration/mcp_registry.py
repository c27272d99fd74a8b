"""The registry `tests/integration/test_mcp_serve.py` serves with ``aiecs-mcp serve``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from aiecs_runtime import ToolRegistry


class Point(BaseModel):
    x: int
    y: int = 0


class Opaque:
    """A class pydantic has no schema for: its params get no type constraint."""


class Calc:
    def add(self, a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    async def fail(self, reason: str = "nope") -> str:
        """Always fail, with the op's own message."""
        raise ValueError(f"the op refuses: {reason}")

    def _secret(self) -> str:
        return "never served"


class Shapes:
    def norm(self, p: Point, scale: float | None = None) -> float:
        """The L1 norm of a point, optionally scaled."""
        return (abs(p.x) + abs(p.y)) * (1.0 if scale is None else scale)

    def label(
        self, kind: Literal["dot", "cross"], tags: list[str], thing: Opaque | None = None
    ) -> dict[str, object]:
        """Label a shape."""
        return {"kind": kind, "tags": tags, "thing": thing is None}

    def digits(self) -> frozenset[int]:
        """A set: sent as a list."""
        return frozenset({3})

    def opaque(self) -> Opaque:
        """A value with no JSON form: an MCP tool error, not a crash."""
        return Opaque()

    def echo(self, **params: object) -> object:
        return params


registry = ToolRegistry({"calc": Calc(), "shapes": Shapes(), "not served!": Calc()})


def make_registry() -> ToolRegistry:
    """A zero-argument factory: ``aiecs-mcp serve`` accepts it too."""
    return ToolRegistry({"calc": Calc()})


def needs_args(n: int) -> ToolRegistry:
    return ToolRegistry()


not_a_registry = {"calc": Calc()}
