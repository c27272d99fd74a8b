"""Pydantic models of the execution layer, wire-compatible with the original AIECS."""

from ._enums import ErrorCode, TaskStatus
from ._result import TaskStepResult
from ._specs import OperationSpec, TaskSpec, split_operation

__all__ = [
    "ErrorCode",
    "OperationSpec",
    "TaskSpec",
    "TaskStatus",
    "TaskStepResult",
    "split_operation",
]
