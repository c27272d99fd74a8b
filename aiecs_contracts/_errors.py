"""The execution error hierarchy: every error carries an `ErrorCode`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from aiecs_models import ErrorCode

__all__ = [
    "ExecutionError",
    "ExecutorNotFoundError",
    "InvalidOperationSpecError",
    "OperationFailedError",
    "OperationNotFoundError",
    "OperationTimeoutError",
    "ParameterValidationError",
    "RetryExhaustedError",
    "TaskNotFoundError",
    "ToolNotFoundError",
]


def _restore(cls: type[ExecutionError], message: str, state: dict[str, Any]) -> ExecutionError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


# -- base -------------------------------------------------------------------------------


class ExecutionError(Exception):
    """Base of every error the execution layer raises; ``code`` tells the failure kind."""

    default_code: ClassVar[ErrorCode] = ErrorCode.EXECUTION_ERROR

    def __init__(self, message: str = "", *, code: ErrorCode | str | None = None) -> None:
        super().__init__(message)
        self.code: ErrorCode = ErrorCode(code) if code is not None else self.default_code

    @property
    def message(self) -> str:
        """The human-readable message."""
        return str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default Exception pickling; keep
        # every attribute so errors cross process boundaries (Celery, multiprocessing).
        return (_restore, (type(self), str(self), dict(self.__dict__)))


# -- lookups (also LookupError) ---------------------------------------------------------


class ToolNotFoundError(ExecutionError, LookupError):
    """Raised when no tool is served under the requested name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, tool_name: str, *, available: Iterable[str] = ()) -> None:
        known = sorted(available)
        super().__init__(f"no tool named {tool_name!r}{_did_you_mean(tool_name, known)}")
        self.tool_name = tool_name
        self.available: tuple[str, ...] = tuple(known)


class OperationNotFoundError(ExecutionError, LookupError):
    """Raised when a tool has no public operation of the requested name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(
        self, operation_name: str, *, tool: str = "", available: Iterable[str] = ()
    ) -> None:
        known = sorted(available)
        where = f" on tool {tool!r}" if tool else ""
        super().__init__(
            f"no public operation {operation_name!r}{where}{_did_you_mean(operation_name, known)}"
        )
        self.operation_name = operation_name
        self.tool = tool
        self.available: tuple[str, ...] = tuple(known)


class TaskNotFoundError(ExecutionError, LookupError):
    """Raised when no task is registered under the requested name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, task_name: str, *, available: Iterable[str] = ()) -> None:
        known = sorted(available)
        super().__init__(f"no task named {task_name!r}{_did_you_mean(task_name, known)}")
        self.task_name = task_name
        self.available: tuple[str, ...] = tuple(known)


class ExecutorNotFoundError(ExecutionError, LookupError):
    """Raised when no executor is registered under the requested type name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, executor_type: str, *, available: Iterable[str] = ()) -> None:
        known = sorted(available)
        super().__init__(
            f"no executor registered as {executor_type!r}{_did_you_mean(executor_type, known)}"
        )
        self.executor_type = executor_type
        self.available: tuple[str, ...] = tuple(known)


# -- bad input (also ValueError) --------------------------------------------------------


class InvalidOperationSpecError(ExecutionError, ValueError):
    """Raised when an operation spec is not of the form ``"<tool>.<public_op>"``."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, message: str, *, spec: object = None) -> None:
        super().__init__(message)
        self.spec = spec


class ParameterValidationError(ExecutionError, ValueError):
    """Raised when params do not fit the operation's signature; names each bad field."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, message: str, *, errors: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.errors: tuple[tuple[str, str], ...] = tuple(errors)


# -- running ----------------------------------------------------------------------------


class OperationFailedError(ExecutionError):
    """Raised when an operation itself raised; ``__cause__`` is its exception."""

    default_code = ErrorCode.EXECUTION_ERROR


class RetryExhaustedError(OperationFailedError):
    """Raised when every retry attempt failed; ``__cause__`` is the last failure."""

    default_code = ErrorCode.RETRY_EXHAUSTED

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts


class OperationTimeoutError(ExecutionError, TimeoutError):
    """Raised when an operation did not finish within its time limit."""

    default_code = ErrorCode.TIMEOUT_ERROR

    def __init__(self, message: str, *, timeout: float | None = None) -> None:
        super().__init__(message)
        self.timeout = timeout
