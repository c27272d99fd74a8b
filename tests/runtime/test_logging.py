"""`LoggingObserver`: structured records, params redacted by default, free when disabled."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from aiecs_contracts import OperationFailedError, ParameterValidationError
from aiecs_runtime import LoggingObserver, ToolExecutor, call_scope


class Vault:
    name = "vault"

    def open(self, user: str, password: str) -> str:
        return f"opened for {user}"

    def fail(self, password: str) -> None:
        raise PermissionError("wrong password")


class Loud:
    """A param value that counts every time anything formats it."""

    formatted = 0

    def __repr__(self) -> str:
        Loud.formatted += 1
        return "Loud()"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return self.__repr__()


class Tool:
    name = "tool"

    def take(self, value: Any) -> str:
        return "ok"

    def fail(self, value: Any) -> None:
        raise ValueError("bad")


@pytest.fixture
def logger() -> logging.Logger:
    return logging.getLogger("aiecs_runtime.test_logging")


def test_params_are_redacted_by_default(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    executor = ToolExecutor(observers=(LoggingObserver(logger),))
    with caplog.at_level(logging.DEBUG, logger=logger.name), call_scope("alice", "t-9"):
        assert executor.execute(Vault(), "open", user="alice", password="hunter2") == (
            "opened for alice"
        )
    start, done = caplog.records
    assert start.levelno == logging.DEBUG and start.getMessage() == "start vault.open"
    assert done.levelno == logging.INFO
    assert done.aiecs_params == {"user": "<redacted>", "password": "<redacted>"}  # type: ignore[attr-defined]
    everything = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "hunter2" not in everything


def test_structured_fields_on_success_and_failure(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    executor = ToolExecutor(observers=(LoggingObserver(logger, redact=False),))
    with caplog.at_level(logging.INFO, logger=logger.name), call_scope("bob", "t-1"):
        executor.execute(Vault(), "open", user="bob", password="pw")
        with pytest.raises(OperationFailedError):
            executor.execute(Vault(), "fail", password="pw")
    ok, failed = caplog.records
    fields = {k: v for k, v in ok.__dict__.items() if k.startswith("aiecs_")}
    assert fields.pop("aiecs_duration") >= 0.0
    assert fields == {
        "aiecs_operation": "vault.open",
        "aiecs_params": {"user": "bob", "password": "pw"},
        "aiecs_user_id": "bob",
        "aiecs_task_id": "t-1",
        "aiecs_outcome": "success",
    }
    assert failed.levelno == logging.WARNING
    assert failed.aiecs_outcome == "failure"  # type: ignore[attr-defined]
    assert failed.aiecs_error == "OperationFailedError"  # type: ignore[attr-defined]
    assert "wrong password" in failed.getMessage()


def test_refused_calls_are_logged_as_failures(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    executor = ToolExecutor(observers=(LoggingObserver(logger),))
    with (
        caplog.at_level(logging.INFO, logger=logger.name),
        pytest.raises(ParameterValidationError),
    ):
        executor.execute(Vault(), "open", user="x")
    (record,) = caplog.records
    assert record.aiecs_error == "ParameterValidationError"  # type: ignore[attr-defined]
    assert "'password'" in record.getMessage()


def test_nothing_is_formatted_when_the_level_is_off(logger: logging.Logger) -> None:
    logger.setLevel(logging.ERROR)  # below WARNING: success and failure records are off
    try:
        executor = ToolExecutor(observers=(LoggingObserver(logger, redact=False),))
        Loud.formatted = 0
        executor.execute(Tool(), "take", value=Loud())
        with pytest.raises(OperationFailedError):
            executor.execute(Tool(), "fail", value=Loud())
        assert Loud.formatted == 0
    finally:
        logger.setLevel(logging.NOTSET)


def test_redacted_values_are_never_formatted(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    executor = ToolExecutor(observers=(LoggingObserver(logger),))
    Loud.formatted = 0
    with caplog.at_level(logging.DEBUG, logger=logger.name):
        executor.execute(Tool(), "take", value=Loud())
    assert len(caplog.records) == 2
    assert Loud.formatted == 0


def test_default_logger_and_custom_level(caplog: pytest.LogCaptureFixture) -> None:
    observer = LoggingObserver(level=logging.DEBUG)
    assert observer.logger.name == "aiecs_runtime"
    executor = ToolExecutor(observers=(observer,))
    with caplog.at_level(logging.INFO, logger="aiecs_runtime"):
        executor.execute(Tool(), "take", value=1)
    assert caplog.records == []  # success at DEBUG is below INFO
