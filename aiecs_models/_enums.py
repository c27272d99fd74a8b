"""The status and error-code enums, wire-compatible with the original AIECS values."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ErrorCode", "TaskStatus"]


class TaskStatus(StrEnum):
    """Lifecycle state of a task or a task step (the value is what goes on the wire)."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    FAILED = "failed"


class ErrorCode(StrEnum):
    """Machine-readable failure kind of a step (the value is what goes on the wire)."""

    VALIDATION_ERROR = "E001"
    TIMEOUT_ERROR = "E002"
    EXECUTION_ERROR = "E003"
    CANCELLED_ERROR = "E004"
    RETRY_EXHAUSTED = "E005"
    DATABASE_ERROR = "E006"
    DSL_EVALUATION_ERROR = "E007"
