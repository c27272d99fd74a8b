"""The error hierarchy: codes, stdlib bases, messages, pickling."""

from __future__ import annotations

import pickle

import pytest

from aiecs_contracts import (
    ErrorCode,
    ExecutionError,
    ExecutorNotFoundError,
    InvalidOperationSpecError,
    OperationFailedError,
    OperationNotFoundError,
    OperationTimeoutError,
    ParameterValidationError,
    RetryExhaustedError,
    TaskNotFoundError,
    ToolNotFoundError,
)

_V, _L = ErrorCode.VALIDATION_ERROR, LookupError
CASES: list[tuple[ExecutionError, type[BaseException], ErrorCode]] = [
    (ToolNotFoundError("serch", available=["search", "calc"]), _L, _V),
    (OperationNotFoundError("rnu", tool="t", available=["run"]), _L, _V),
    (TaskNotFoundError("x"), _L, _V),
    (ExecutorNotFoundError("celry", available=["celery", "local"]), _L, _V),
    (InvalidOperationSpecError("bad spec", spec="t"), ValueError, _V),
    (ParameterValidationError("bad", errors=[("x", "not an int")]), ValueError, _V),
    (OperationFailedError("boom"), ExecutionError, ErrorCode.EXECUTION_ERROR),
    (RetryExhaustedError("gave up", attempts=3), OperationFailedError, ErrorCode.RETRY_EXHAUSTED),
    (OperationTimeoutError("slow", timeout=1.5), TimeoutError, ErrorCode.TIMEOUT_ERROR),
]


@pytest.mark.parametrize(("err", "base", "code"), CASES, ids=lambda v: type(v).__name__)
def test_codes_bases_and_pickling(
    err: ExecutionError, base: type[BaseException], code: ErrorCode
) -> None:
    assert isinstance(err, ExecutionError) and isinstance(err, base)
    assert err.code is code
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and str(back) == str(err)
    assert back.__dict__ == err.__dict__


def test_messages_suggest_close_names() -> None:
    assert "did you mean 'search'?" in str(ToolNotFoundError("serch", available=["search"]))
    assert "on tool 't'" in str(OperationNotFoundError("rnu", tool="t", available=["run"]))
    assert "did you mean" not in str(TaskNotFoundError("zzz", available=["abc"]))


def test_code_can_be_overridden() -> None:
    assert ExecutionError("db down", code="E006").code is ErrorCode.DATABASE_ERROR
