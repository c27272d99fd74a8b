"""Local and Celery runs behave the same for the same ops and params (issue 13).

One suite, parametrised over the local ``OperationExecutor`` and the
``CeleryOperationExecutor`` with a real ``aiecs-worker`` process (one task per op, and
chunked), replays the review's attacks: results, failures and their codes, an op raising
``SystemExit`` (item 5), an op raising its own ``TimeoutError`` (item 18), params named
``tool`` / ``operation_name`` (item 11) and ints over 4,300 digits (item 8). Every case
is run through ``execute_parallel_operations``, ``execute_operations_sequence`` and
``execute_operation``, and the outcome must be what the case says on every back end.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from aiecs_contracts import ErrorCode, ExecutionError, IOperationExecutor
from aiecs_runtime import CeleryOperationExecutor, OperationExecutor, ToolRegistry
from tests.integration import celery_tools
from tests.integration._workers import Worker, served, worker

HUGE = 10**5000


def _wire_round_trips_huge_ints() -> bool:
    from aiecs_runtime._wire import dumps, loads

    try:
        return bool(loads(dumps(HUGE)) == HUGE)
    except Exception:
        return False


def _local_survives_system_exit() -> bool:
    async def run() -> bool:
        ex = OperationExecutor(ToolRegistry(celery_tools.tools))
        (step,) = await ex.execute_parallel_operations([{"operation": "hostile.exit"}])
        return not step.completed

    try:
        return asyncio.run(run())
    except BaseException:
        return False


# The wire half of item 8 and the local half of item 6 belong to the runtime-core branch;
# until it is merged those cases fail here for that reason only (strict: once the fix is
# in, they must pass).
_NEEDS_WIRE = pytest.mark.xfail(
    not _wire_round_trips_huge_ints(),
    reason="the wire cannot read back ints over 4,300 digits (runtime-core, issue 13 item 8)",
    strict=True,
)
_NEEDS_LOCAL_EXIT = pytest.mark.xfail(
    not _local_survives_system_exit(),
    reason="locally SystemExit escapes the run (runtime-core, issue 13 item 6)",
    strict=True,
)


@dataclass(frozen=True)
class Case:
    """One op and what every back end must make of it."""

    operation: str
    params: dict[str, Any] = field(default_factory=dict[str, Any])
    result: Any = None
    code: ErrorCode | None = None  # None: the step completes with ``result``
    message: tuple[str, ...] = ()  # substrings of the error message
    local_needs: pytest.MarkDecorator | None = None
    remote_needs: pytest.MarkDecorator | None = None


CASES: dict[str, Case] = {
    "result": Case(
        "hostile.ok", {"x": (1, "a", None, {"k": [2.5]})}, result=(1, "a", None, {"k": [2.5]})
    ),
    "falsy": Case("hostile.ok", {"x": 0}, result=0),
    "failure": Case(
        "hostile.fail",
        {"message": "boom"},
        code=ErrorCode.EXECUTION_ERROR,
        message=("ValueError", "boom"),
    ),
    "unknown_op": Case("hostile.nope", code=ErrorCode.VALIDATION_ERROR, message=("nope",)),
    "private_op": Case("hostile._secret", code=ErrorCode.VALIDATION_ERROR),
    "bad_params": Case("hostile.big", {"m": 1}, code=ErrorCode.VALIDATION_ERROR),
    "system_exit": Case(
        "hostile.exit",
        {"code": 3},
        code=ErrorCode.EXECUTION_ERROR,
        message=("SystemExit", "3"),
        local_needs=_NEEDS_LOCAL_EXIT,
    ),
    "system_exit_async": Case(
        "hostile.exit_async",
        {"code": 41},
        code=ErrorCode.EXECUTION_ERROR,
        message=("SystemExit", "41"),
        local_needs=_NEEDS_LOCAL_EXIT,
    ),
    "own_timeout": Case(
        "hostile.timeout", code=ErrorCode.EXECUTION_ERROR, message=("TimeoutError", "own timeout")
    ),
    "own_futures_timeout": Case(
        "hostile.timeout_async",
        code=ErrorCode.EXECUTION_ERROR,
        message=("TimeoutError", "futures timeout"),
    ),
    "own_e002": Case("hostile.raises_e002", code=ErrorCode.TIMEOUT_ERROR, message=("own E002",)),
    "reserved_names": Case(
        "hostile.reserved", {"tool": "t", "operation_name": "o"}, result=["t", "o"]
    ),
    "huge_int": Case("hostile.big", {"n": HUGE}, result=HUGE + 1, remote_needs=_NEEDS_WIRE),
}

BACKENDS = ("local", "celery", "celery_chunked")
_TIMEOUT = 20.0
_PROMPT = 8.0  # every case is answered at once: far below the timeout


@pytest.fixture(scope="module")
def celery_worker(redis_url: str) -> Iterator[Worker]:
    with worker(redis_url) as w:
        yield w


@pytest.fixture(scope="module")
def executors(redis_url: str, celery_worker: Worker) -> Iterator[dict[str, IOperationExecutor]]:
    remote = CeleryOperationExecutor(redis_url, queue=celery_worker.queue, timeout=_TIMEOUT)
    chunked = CeleryOperationExecutor(
        redis_url, queue=celery_worker.queue, timeout=_TIMEOUT, chunk_size=4
    )
    asyncio.run(served(remote, celery_worker))
    try:
        yield {
            "local": OperationExecutor(ToolRegistry(celery_tools.tools)),
            "celery": remote,
            "celery_chunked": chunked,
        }
    finally:
        remote.close()
        chunked.close()


def _params() -> list[Any]:
    out: list[Any] = []
    for backend in BACKENDS:
        for name, case in CASES.items():
            need = case.local_needs if backend == "local" else case.remote_needs
            out.append(pytest.param(backend, case, id=f"{backend}-{name}", marks=need or ()))
    return out


def _check_step(step: Any, case: Case, where: str) -> None:
    if case.code is None:
        assert step.completed, f"{where}: {step.error_code} {step.error_message}"
        assert step.result == case.result, where
        assert type(step.result) is type(case.result), where
        return
    assert not step.completed, f"{where}: completed with {step.result!r}"
    assert step.error_code is case.code, f"{where}: {step.error_code} {step.error_message}"
    for text in case.message:
        assert text in (step.error_message or ""), f"{where}: {step.error_message!r}"


@pytest.mark.parametrize(("backend", "case"), _params())
def test_same_outcome_on_every_backend(
    backend: str, case: Case, executors: dict[str, IOperationExecutor]
) -> None:
    ex = executors[backend]
    op = {"operation": case.operation, "params": case.params}

    async def main() -> None:
        started = time.monotonic()
        (step,) = await ex.execute_parallel_operations([op])
        _check_step(step, case, "parallel")
        # In a sequence, after the case, an ordinary op still runs (the worker is not
        # wedged) and references into the case's result work when it completed.
        after = {"operation": "hostile.ok", "params": {"x": "after"}}
        steps = await ex.execute_operations_sequence([op, after], "user", "task")
        _check_step(steps[0], case, "sequence")
        assert steps[1].completed and steps[1].result == "after", steps[1]
        if case.code is None:
            assert await ex.execute_operation(case.operation, case.params) == case.result
        else:
            with pytest.raises(ExecutionError) as raised:
                await ex.execute_operation(case.operation, case.params)
            assert raised.value.code is case.code, raised.value
        elapsed = time.monotonic() - started
        assert elapsed < _PROMPT, f"{backend} took {elapsed:.1f}s (timeout {_TIMEOUT}s)"

    asyncio.run(main())


@pytest.mark.parametrize("backend", BACKENDS)
def test_mixed_batch_in_one_run(backend: str, executors: dict[str, IOperationExecutor]) -> None:
    # Every case in one parallel run and one batch: in chunked mode several cases share a
    # message, so one op's SystemExit or TimeoutError must not touch its neighbours.
    ex = executors[backend]
    plain = {k: c for k, c in CASES.items() if c.local_needs is None and c.remote_needs is None}
    ops = [{"operation": c.operation, "params": c.params} for c in plain.values()]

    async def main() -> None:
        steps = await ex.execute_parallel_operations(ops * 3)
        for i, step in enumerate(steps):
            name = list(plain)[i % len(plain)]
            _check_step(step, plain[name], f"{backend} {name} #{i}")
        results = await ex.batch_execute_operations(ops)
        for (name, case), got in zip(plain.items(), results, strict=True):
            if case.code is None:
                assert got == case.result, name
            else:
                assert isinstance(got, ExecutionError) and got.code is case.code, (name, got)

    asyncio.run(main())
