"""The one error schema across processes: every error class round-trips (issue 13, item 17).

The classes are enumerated here independently of the schema (every ``ExecutionError``
subclass reachable from ``aiecs_contracts``), and each is built through its real
constructor with sample arguments derived from its signature: a class or attribute the
schema forgot fails the round trip.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from typing import Any

import pytest

import aiecs_contracts
from aiecs_contracts import (
    ErrorCode,
    ExecutionError,
    ExecutorNotFoundError,
    InvalidOperationSpecError,
    OperationFailedError,
    TaskNotFoundError,
)


def _all_subclasses(cls: type[ExecutionError]) -> Iterator[type[ExecutionError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _all_subclasses(sub)


OURS = sorted(
    {c for c in _all_subclasses(ExecutionError) if c.__module__.startswith("aiecs_contracts")},
    key=lambda c: c.__name__,
)

SAMPLES: dict[str, Any] = {
    "available": ("alpha", "beta"),
    "errors": (("field", "must be an int"), ("other", "missing")),
    "attempts": 3,
    "timeout": 2.5,
    "spec": "tool.op",
}


def _build(cls: type[ExecutionError]) -> ExecutionError:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(cls).parameters.items():
        value = SAMPLES.get(name, f"sample-{name}")
        if name == "code":
            continue
        if param.kind is param.KEYWORD_ONLY:
            kwargs[name] = value
        elif param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            args.append(value)
    return cls(*args, **kwargs)


def test_every_exported_error_is_enumerated() -> None:
    exported = {
        getattr(aiecs_contracts, n)
        for n in aiecs_contracts.__all__
        if isinstance(getattr(aiecs_contracts, n), type)
        and issubclass(getattr(aiecs_contracts, n), ExecutionError)
    }
    assert exported <= set(OURS)
    assert {TaskNotFoundError, ExecutorNotFoundError, InvalidOperationSpecError} <= set(OURS)


@pytest.mark.parametrize("cls", OURS, ids=lambda c: c.__name__)
def test_round_trip_through_json(cls: type[ExecutionError]) -> None:
    err = _build(cls)
    data = json.loads(json.dumps(err.to_dict()))
    back = ExecutionError.from_dict(data)
    assert type(back) is cls
    assert back.code is err.code
    assert str(back) == str(err)
    assert vars(back) == vars(err), (vars(back), vars(err))
    # Every attribute the constructor set is in the schema (none forgotten).
    assert set(data["attrs"]) == set(vars(err)) - {"code"}


@pytest.mark.parametrize("cls", OURS, ids=lambda c: c.__name__)
def test_round_trip_keeps_a_non_default_code(cls: type[ExecutionError]) -> None:
    err = _build(cls)
    err.code = (
        ErrorCode.RETRY_EXHAUSTED
        if err.code is not ErrorCode.RETRY_EXHAUSTED
        else ErrorCode.TIMEOUT_ERROR
    )
    back = ExecutionError.from_dict(json.loads(json.dumps(err.to_dict())))
    assert back.code is err.code


def test_a_non_text_spec_travels_as_its_repr() -> None:
    err = InvalidOperationSpecError("bad spec", spec=("t", 1))
    back = ExecutionError.from_dict(json.loads(json.dumps(err.to_dict())))
    assert isinstance(back, InvalidOperationSpecError)
    assert back.spec == ("t", 1)
    odd = InvalidOperationSpecError("bad spec", spec=object())
    assert isinstance(odd.to_dict()["attrs"]["spec"], str)


class AppError(OperationFailedError):
    """An application's own error: travels as its nearest class of ours."""

    def __init__(self, message: str, *, secret: str) -> None:
        super().__init__(message)
        self.secret = secret


def test_an_application_subclass_travels_as_our_base() -> None:
    data = AppError("app failed", secret="s3cret").to_dict()
    assert data["type"] == "OperationFailedError"
    assert "secret" not in data["attrs"]
    back = ExecutionError.from_dict(data)
    assert type(back) is OperationFailedError and str(back) == "app failed"


@pytest.mark.parametrize(
    "data",
    [
        {"type": "AppError", "message": "m", "attrs": {"secret": "x"}},  # not ours: base
        {"type": "ValueError", "message": "m"},
        {"type": "os:system", "message": "m"},
        {"type": ["ToolNotFoundError"], "message": 5, "code": ["E001"], "attrs": [1]},
        {},
    ],
)
def test_data_never_picks_a_class_or_private_state(data: dict[str, Any]) -> None:
    back = ExecutionError.from_dict(data)
    assert type(back) is ExecutionError
    assert back.code is ErrorCode.EXECUTION_ERROR
    assert set(vars(back)) == {"code"}


def test_unknown_attrs_and_bad_codes_are_ignored() -> None:
    data = {
        "type": "TaskNotFoundError",
        "code": "E999",
        "message": "no task",
        "attrs": {"task_name": "t", "_private": 1, "__class__": "x", "code": "E002"},
    }
    back = ExecutionError.from_dict(data)
    assert type(back) is TaskNotFoundError
    assert back.code is ErrorCode.VALIDATION_ERROR
    assert vars(back) == {"code": ErrorCode.VALIDATION_ERROR, "task_name": "t"}


def test_an_unprintable_message_does_not_break_to_dict() -> None:
    class Loud(OperationFailedError):
        def __str__(self) -> str:
            raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    data = Loud("x").to_dict()
    assert "Loud" in data["message"]
