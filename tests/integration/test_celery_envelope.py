"""The Celery envelope carries every error class with its attributes (issue 13, item 17).

Built on the schema of ``aiecs_contracts`` (no list of its own): every ``ExecutionError``
subclass, raised on a worker, is raised on the caller as the same class with the same
code, message and attributes, and its cause's outline.
"""

from __future__ import annotations

import json

import pytest

from aiecs_contracts import ErrorCode, ExecutionError, OperationFailedError
from aiecs_runtime.celery._envelope import RemoteError, error_envelope, open_envelope
from tests.contracts.test_error_schema import OURS, _build  # pyright: ignore[reportPrivateUsage]


def _through_json(env: object) -> object:
    return json.loads(json.dumps(env))  # what Celery's JSON serializer does to it


@pytest.mark.parametrize("cls", OURS, ids=lambda c: c.__name__)
def test_every_error_class_crosses_with_its_attributes(cls: type[ExecutionError]) -> None:
    err = _build(cls)
    err.__cause__ = KeyError("inner")
    with pytest.raises(ExecutionError) as raised:
        open_envelope(_through_json(error_envelope(err)), "t.op")
    back = raised.value
    assert type(back) is cls
    assert back.code is err.code and str(back) == str(err)
    assert vars(back) == vars(err)
    assert isinstance(back.__cause__, KeyError)


def test_a_foreign_exception_becomes_e003_naming_it() -> None:
    class Custom(Exception):
        pass

    with pytest.raises(OperationFailedError, match="Custom: went wrong") as raised:
        open_envelope(_through_json(error_envelope(Custom("went wrong"))), "t.op")
    assert raised.value.code is ErrorCode.EXECUTION_ERROR


def test_an_unknown_cause_is_a_remote_error() -> None:
    class Weird(Exception):
        pass

    err = OperationFailedError("failed")
    err.__cause__ = Weird("w")
    with pytest.raises(OperationFailedError) as raised:
        open_envelope(_through_json(error_envelope(err)), "t.op")
    assert isinstance(raised.value.__cause__, RemoteError)
    assert raised.value.__cause__.type_name == "Weird"


def test_huge_ints_in_messages_do_not_break_the_envelope() -> None:
    # str() of an exception holding a 5,000-digit int raises ValueError on 3.11.
    env = error_envelope(ValueError(10**5000))
    with pytest.raises(OperationFailedError, match="ValueError"):
        open_envelope(_through_json(env), "t.op")
