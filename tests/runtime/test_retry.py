"""`RetryPolicy` through `ToolExecutor`: transient vs not, exhaustion, backoff bounds."""

from __future__ import annotations

import asyncio
import time

import pytest

from aiecs_contracts import OperationFailedError, RetryExhaustedError
from aiecs_runtime import RetryPolicy, ToolExecutor

from ._support import run_async

# Loaded CI machines oversleep; they never undersleep. Upper bounds get this much slack.
SLACK = 0.25


class Flaky:
    """Fails with ``error`` for the first ``failures`` calls, recording when each came."""

    def __init__(self, failures: int, error: type[Exception] = ConnectionError) -> None:
        self.failures = failures
        self.error = error
        self.calls: list[float] = []

    def call(self) -> str:
        self.calls.append(time.perf_counter())
        if len(self.calls) <= self.failures:
            raise self.error(f"failure {len(self.calls)}")
        return "ok"

    async def acall(self) -> str:
        return self.call()

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.calls, self.calls[1:], strict=False)]


def fast(attempts: int = 3, **kwargs: float) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, on=ConnectionError, initial=0.0, jitter=0.0, **kwargs)


@pytest.mark.parametrize("op", ["call", "acall"])
def test_transient_failures_are_retried_until_success(op: str) -> None:
    tool = Flaky(failures=2)
    assert ToolExecutor(retry=fast(3)).execute(tool, op) == "ok"
    assert len(tool.calls) == 3


@pytest.mark.parametrize("op", ["call", "acall"])
def test_non_transient_failures_are_not_retried(op: str) -> None:
    tool = Flaky(failures=5, error=ValueError)
    with pytest.raises(OperationFailedError) as info:
        ToolExecutor(retry=fast(5)).execute(tool, op)
    assert not isinstance(info.value, RetryExhaustedError)
    assert isinstance(info.value.__cause__, ValueError)
    assert len(tool.calls) == 1


@pytest.mark.parametrize("op", ["call", "acall"])
def test_exhaustion_carries_the_last_cause_and_the_attempts(op: str) -> None:
    tool = Flaky(failures=10)
    with pytest.raises(RetryExhaustedError) as info:
        ToolExecutor(retry=fast(4)).execute(tool, op)
    error = info.value
    assert error.attempts == 4 and len(tool.calls) == 4
    assert isinstance(error.__cause__, ConnectionError)
    assert str(error.__cause__) == "failure 4"  # the last one, not the first
    assert "failed 4 times" in str(error) and "ConnectionError: failure 4" in str(error)
    assert error.code.value == "E005"


def test_one_attempt_means_no_retry() -> None:
    tool = Flaky(failures=1)
    with pytest.raises(OperationFailedError) as info:
        ToolExecutor(retry=fast(1)).execute(tool, "call")
    assert not isinstance(info.value, RetryExhaustedError)
    assert len(tool.calls) == 1


@run_async
async def test_execute_with_retry_counts_every_attempt() -> None:
    executor = ToolExecutor()  # no retry of its own
    tool = Flaky(failures=2, error=ValueError)  # the seed's loop retries any failure
    assert await executor.execute_with_retry(tool, "acall", max_retries=3) == "ok"
    assert len(tool.calls) == 3
    with pytest.raises(OperationFailedError):
        await executor.execute_async(Flaky(failures=1), "acall")


@pytest.mark.parametrize("op", ["call", "acall"])
def test_backoff_doubles_within_bounds(op: str) -> None:
    policy = RetryPolicy(attempts=4, on=ConnectionError, initial=0.04, maximum=1.0, jitter=0.01)
    tool = Flaky(failures=3)
    assert ToolExecutor(retry=policy).execute(tool, op) == "ok"
    for gap, low in zip(tool.gaps(), [0.04, 0.08, 0.16], strict=True):
        assert low <= gap <= low + 0.01 + SLACK, tool.gaps()


@pytest.mark.parametrize("op", ["call", "acall"])
def test_no_wait_exceeds_maximum(op: str) -> None:
    policy = RetryPolicy(attempts=3, on=ConnectionError, initial=1.0, maximum=0.05, jitter=0.5)
    tool = Flaky(failures=2)
    assert ToolExecutor(retry=policy).execute(tool, op) == "ok"
    assert all(0.05 <= gap <= 0.05 + SLACK for gap in tool.gaps()), tool.gaps()


def test_is_transient_looks_through_the_wrapper() -> None:
    policy = RetryPolicy(on=ConnectionError)
    wrapped = OperationFailedError("x")
    wrapped.__cause__ = ConnectionError("y")
    assert policy.is_transient(wrapped) and policy.should_retry(wrapped)
    assert not policy.is_transient(OperationFailedError("x"))
    assert policy.is_transient(ConnectionError())
    assert not RetryPolicy(attempts=1, on=ConnectionError).should_retry(wrapped)


def test_a_policy_must_say_what_it_retries() -> None:
    # The attack: RetryPolicy(attempts=3) used to retry nothing, silently.
    with pytest.raises(TypeError, match=r"on=ConnectionError"):
        RetryPolicy(attempts=3)
    with pytest.raises(TypeError, match=r"on=ConnectionError"):
        RetryPolicy(attempts=3, on=())
    assert RetryPolicy(attempts=3, on=(ConnectionError, TimeoutError)).retry_on == (
        ConnectionError,
        TimeoutError,
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"attempts": 0}, ValueError, r"RetryPolicy\(attempts=0\): expected an int >= 1"),
        ({"attempts": 2.5}, ValueError, r"attempts=2.5"),
        ({"attempts": True}, ValueError, r"attempts=True"),
        ({"initial": -1.0}, ValueError, "finite, non-negative number of seconds"),
        ({"initial": float("nan")}, ValueError, r"initial=nan"),
        ({"maximum": float("inf")}, ValueError, r"maximum=inf"),
        ({"jitter": float("-inf")}, ValueError, r"jitter=-inf"),
        ({"maximum": "1"}, ValueError, r"maximum='1'"),
        ({"on": (ConnectionError, "oops")}, TypeError, "holds 'oops'"),
        ({"on": 3}, TypeError, "holds 3"),
    ],
)
def test_bad_policies_are_named(kwargs: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        RetryPolicy(**{"on": ConnectionError, **kwargs})  # type: ignore[arg-type]


@run_async
async def test_retries_wait_without_blocking_the_loop() -> None:
    policy = RetryPolicy(attempts=2, on=ConnectionError, initial=0.2, jitter=0.0)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.ensure_future(ticker())
    assert await ToolExecutor(retry=policy).execute_async(Flaky(failures=1), "acall") == "ok"
    task.cancel()
    assert ticks >= 5
