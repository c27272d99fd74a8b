"""`error_code_for`: the one mapping from a failure to its `ErrorCode`."""

from __future__ import annotations

import asyncio

from aiecs_contracts import (
    ErrorCode,
    ExecutionError,
    InvalidOperationSpecError,
    OperationTimeoutError,
    ParameterValidationError,
    RetryExhaustedError,
)

__all__ = ["error_code_for"]


def error_code_for(error: BaseException) -> ErrorCode:
    """Return the `ErrorCode` for a failure: timeout E002, cancelled E004, retries E005..."""
    if isinstance(error, OperationTimeoutError | TimeoutError):
        return ErrorCode.TIMEOUT_ERROR
    if isinstance(error, asyncio.CancelledError):
        return ErrorCode.CANCELLED_ERROR
    if isinstance(error, RetryExhaustedError):
        return ErrorCode.RETRY_EXHAUSTED
    if isinstance(error, ParameterValidationError | InvalidOperationSpecError):
        return ErrorCode.VALIDATION_ERROR
    if isinstance(error, ExecutionError):
        return error.code
    return ErrorCode.EXECUTION_ERROR
