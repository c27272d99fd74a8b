"""`OperationSpec` and `TaskSpec`: what callers ask the execution layer to run."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["OperationSpec", "TaskSpec", "split_operation"]

_EXPECTED = "expected '<tool>.<op>': a non-empty tool name, a dot, then a public Python identifier"


def split_operation(operation: object) -> tuple[str, str]:
    """Split ``"tool.op"`` on its first dot, or raise ``ValueError`` naming the bad value."""
    if not isinstance(operation, str):
        raise ValueError(
            f"operation spec must be a str, got {type(operation).__name__} {operation!r}; "
            f"{_EXPECTED}"
        )
    tool, dot, op = operation.partition(".")
    if not dot:
        raise ValueError(f"operation spec {operation!r} has no '.'; {_EXPECTED}")
    if not tool:
        raise ValueError(f"operation spec {operation!r} has an empty tool name; {_EXPECTED}")
    if not op.isidentifier():
        raise ValueError(
            f"operation spec {operation!r}: {op!r} is not a Python identifier; {_EXPECTED}"
        )
    if op.startswith("_"):
        raise ValueError(
            f"operation spec {operation!r}: {op!r} is private (starts with '_') and can "
            f"never be called; {_EXPECTED}"
        )
    return tool, op


class OperationSpec(BaseModel):
    """One operation to run: ``{"operation": "tool.op", "params": {...}}``."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    operation: str = Field(description="'<tool>.<op>', split on the first dot")
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("operation", mode="before")
    @classmethod
    def _check_operation(cls, value: object) -> str:
        split_operation(value)
        assert isinstance(value, str)
        return value

    @property
    def tool(self) -> str:
        """The tool name (before the first dot)."""
        return self.operation.partition(".")[0]

    @property
    def op(self) -> str:
        """The operation name (after the first dot)."""
        return self.operation.partition(".")[2]

    @classmethod
    def parse(cls, operation: str, params: dict[str, Any] | None = None) -> Self:
        """Build a spec from ``"tool.op"`` (and optional params), validating it."""
        return cls(operation=operation, params=dict(params or {}))


class TaskSpec(BaseModel):
    """One named task to run with its input data and context."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    task_name: str = Field(min_length=1)
    input_data: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)
