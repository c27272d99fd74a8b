"""The Celery back end against a real redis-server and real workers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import aiecs_conformance as ac
from aiecs_contracts import ErrorCode, OperationFailedError, OperationTimeoutError
from aiecs_runtime import CeleryOperationExecutor, ExecutionEngine, ToolRegistry

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_kit_redis_cache_provider(redis_url: str) -> None:
    report = ac.check("aiecs_runtime.factories:redis_cache_provider", "cache-provider")
    assert report.passed, report.failed()
    assert report.level == "full", [(r.id, r.message) for r in report.failed()]


@pytest.mark.parametrize(
    "factory",
    [
        "aiecs_runtime.factories:celery_operation_executor",
        "aiecs_runtime.celery._local:kit_executor_chunked",  # 16 ops to a message
    ],
)
def test_kit_celery_operation_executor(redis_url: str, factory: str) -> None:
    report = ac.check(factory, "operation-executor")
    assert report.passed, [(r.id, r.message, r.example) for r in report.failed()]
    assert report.level == "full", [(r.id, r.message) for r in report.failed()]


@pytest.fixture
def worker_process(redis_url: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real `aiecs-worker` process serving tests.integration.celery_tools:tools."""
    queue = f"it-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "AIECS_REDIS_URL": redis_url, "PYTHONPATH": str(ROOT)}
    exe = Path(sys.executable).with_name("aiecs-worker")
    proc = subprocess.Popen(
        [str(exe), "--tools", "tests.integration.celery_tools:tools", "--queue", queue, "-c", "8"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield proc, queue
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)


def test_separate_worker_end_to_end(
    redis_url: str, worker_process: tuple[subprocess.Popen[bytes], str]
) -> None:
    _, queue = worker_process

    async def main() -> None:
        async with CeleryOperationExecutor(redis_url, queue=queue, timeout=20.0) as ex:
            assert await ex.execute_operation("calc.add", {"a": 2, "b": 3}) == 5
            assert await ex.execute_operation("calc.pair", {"x": {b"k", 1}}) == (
                {b"k", 1},
                {b"k", 1},
            )
            steps = await ex.execute_operations_sequence(
                [
                    {"operation": "calc.add", "params": {"a": 1, "b": 2}},
                    {"operation": "calc.add", "params": {"a": "$result[0]", "b": 10}},
                    {"operation": "calc.unsendable", "params": {}},
                    {"operation": "calc.nope", "params": {}},
                ],
                "user",
                "task",
            )
            assert [s.completed for s in steps] == [True, True, False, False]
            assert steps[1].result == 13
            assert "JSON" in (steps[2].error_message or "")
            assert steps[3].error_code is ErrorCode.VALIDATION_ERROR
            with pytest.raises(OperationFailedError, match="cannot cross the wire"):
                await ex.execute_operation("calc.unsendable", {})

    asyncio.run(main())


def test_killed_worker_fails_the_step_with_e002_within_timeout(
    redis_url: str, worker_process: tuple[subprocess.Popen[bytes], str]
) -> None:
    proc, queue = worker_process

    async def main() -> None:
        ex = CeleryOperationExecutor(redis_url, queue=queue, timeout=4.0)
        assert await ex.execute_operation("calc.add", {"a": 1, "b": 1}) == 2  # worker is up
        started = time.monotonic()
        run = asyncio.ensure_future(
            ex.execute_parallel_operations([{"operation": "calc.slow", "params": {"seconds": 30}}])
        )
        await asyncio.sleep(1.0)  # the slow op is running on the worker now
        proc.send_signal(signal.SIGKILL)
        (step,) = await run
        elapsed = time.monotonic() - started
        assert step.error_code is ErrorCode.TIMEOUT_ERROR
        assert not step.completed
        assert elapsed < 4.0 + 2.0, elapsed
        ex.close()
        quick = CeleryOperationExecutor(redis_url, queue=queue, timeout=1.0)
        with pytest.raises(OperationTimeoutError):  # nobody serves the queue any more
            await quick.execute_operation("calc.add", {"a": 1, "b": 1})
        quick.close()

    asyncio.run(main())


@pytest.mark.parametrize("chunk_size", [1, 8])
def test_worker_time_limit_fails_with_e002(redis_url: str, chunk_size: int) -> None:
    from aiecs_runtime.celery._local import local_executor

    class Sleepy:
        async def nap(self, seconds: float) -> str:
            await asyncio.sleep(seconds)
            return "late"

    # the worker stops waiting (and cancels) after 0.5 s, per op, also inside a chunk
    ex = local_executor(
        {"s": Sleepy()}, redis_url, timeout=10.0, time_limit=0.5, chunk_size=chunk_size
    )

    async def main() -> None:
        started = time.monotonic()
        steps = await ex.execute_parallel_operations(
            [
                {"operation": "s.nap", "params": {"seconds": 5}},
                {"operation": "s.nap", "params": {"seconds": 0}},
                {"operation": "s.nap", "params": {"seconds": 5}},
            ]
        )
        assert [s.error_code for s in steps] == [
            ErrorCode.TIMEOUT_ERROR,
            None,
            ErrorCode.TIMEOUT_ERROR,
        ], steps
        assert steps[1].result == "late"
        assert time.monotonic() - started < 3.0

    asyncio.run(main())


def test_engine_registers_and_uses_the_celery_executor(redis_url: str) -> None:
    from aiecs_runtime.factories import celery_operation_executor

    class Echo:
        def echo(self, x: object) -> object:
            return x

    tools = {"e": Echo()}
    engine = ExecutionEngine(ToolRegistry(tools), {})
    engine.register_executor("celery", celery_operation_executor(tools))
    engine.use("celery")

    async def main() -> None:
        assert await engine.execute_operation("e.echo", {"x": (1, "a")}) == (1, "a")

    asyncio.run(main())


def test_answers_arrive_when_the_reply_channel_breaks(redis_url: str) -> None:
    # Answers are pushed on a pub/sub channel; the records stay the source of truth. With
    # the subscription killed under it, every op is still answered (polled), and the next
    # batch subscribes again.
    import redis as redis_lib

    from aiecs_runtime.celery._local import local_executor

    class Echo:
        async def echo(self, x: int) -> int:
            return x

    ex = local_executor({"e": Echo()}, redis_url, timeout=10.0, chunk_size=4)
    ops = [{"operation": "e.echo", "params": {"x": i}} for i in range(20)]
    admin = redis_lib.Redis.from_url(redis_url)

    async def main() -> None:
        assert [s.result for s in await ex.execute_parallel_operations(ops)] == list(range(20))
        replies = ex._transport.replies
        assert replies.alive
        admin.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
        deadline = time.monotonic() + 5
        while replies.alive and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not replies.alive, "the listener did not notice its connection was killed"
        steps = await ex.execute_parallel_operations(ops)
        assert [s.result for s in steps] == list(range(20)), steps
        assert replies.alive  # subscribed again for that batch

    try:
        asyncio.run(main())
    finally:
        admin.close()
