"""A real ``aiecs-worker`` process under the review's attacks (issue 13, items 5, 11, 18).

Each test replays one: an op raising ``SystemExit`` must not wedge the worker (it then
answers 100 ordinary ops and stops on SIGTERM within its grace period), a message with
bad options is refused before anything runs, and a worker killed mid-chunk fails only
the ops of that chunk that had not finished, with E002, within the timeout.
"""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from aiecs_contracts import ErrorCode
from aiecs_runtime import CeleryOperationExecutor
from aiecs_runtime.celery import CeleryApp
from aiecs_runtime.celery._app import CHUNK_TASK_NAME
from aiecs_runtime.celery._transport import _result  # pyright: ignore[reportPrivateUsage]
from tests.integration._workers import served, worker

GRACE = 3.0


def _stops_within(proc: Any, seconds: float) -> float:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=seconds)
    except Exception as exc:
        raise AssertionError(f"the worker did not stop within {seconds}s of SIGTERM") from exc
    return time.monotonic() - started


@pytest.mark.parametrize("op", ["hostile.exit", "hostile.exit_async"])
def test_system_exit_does_not_wedge_the_worker(redis_url: str, op: str) -> None:
    with worker(redis_url, "--grace", str(GRACE)) as w:

        async def main() -> None:
            async with CeleryOperationExecutor(redis_url, queue=w.queue, timeout=15.0) as ex:
                await served(ex, w)
                started = time.monotonic()
                (step,) = await ex.execute_parallel_operations(
                    [{"operation": op, "params": {"code": 7}}]
                )
                assert step.error_code is ErrorCode.EXECUTION_ERROR, step
                assert "SystemExit" in (step.error_message or "") and "7" in (
                    step.error_message or ""
                ), step.error_message
                assert time.monotonic() - started < 5.0
                ops = [{"operation": "calc.add", "params": {"a": i, "b": 1}} for i in range(100)]
                steps = await ex.execute_parallel_operations(ops)
                assert [s.result for s in steps] == [i + 1 for i in range(100)]

        asyncio.run(main())
        assert w.proc.poll() is None, w.log_tail()
        took = _stops_within(w.proc, GRACE + 5.0)
        assert w.proc.returncode is not None
        assert took < GRACE + 5.0, took


def test_sigterm_with_a_stuck_op_stops_within_the_grace_period(redis_url: str) -> None:
    with worker(redis_url, "--grace", str(GRACE)) as w:

        async def main() -> None:
            async with CeleryOperationExecutor(redis_url, queue=w.queue, timeout=30.0) as ex:
                await served(ex, w)
                run = asyncio.ensure_future(ex.execute_operation("calc.slow", {"seconds": 120}))
                await asyncio.sleep(1.0)  # the op is running on the worker now
                took = await asyncio.to_thread(_stops_within, w.proc, GRACE + 5.0)
                assert took >= GRACE - 0.5, f"stopped after {took:.1f}s: grace not honoured"
                run.cancel()

        asyncio.run(main())


def _answer(app: CeleryApp, task_id: str, within: float = 10.0) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        (meta,) = app.fetch([task_id], [])
        if meta is not None:
            return meta
        time.sleep(0.02)
    raise AssertionError(f"no answer to {task_id} within {within}s")


BAD_OPTIONS = {
    "time_limit_text": lambda p: [None, "hostile.mark", p, "x"],
    "time_limit_nan": lambda p: [None, "hostile.mark", p, float("nan")],
    "time_limit_negative": lambda p: [None, "hostile.mark", p, -1],
    "time_limit_bool": lambda p: [None, "hostile.mark", p, True],
    "deadline_text": lambda p: [None, "hostile.mark", p, 5.0, "soon"],
    "toolset_int": lambda p: [5, "hostile.mark", p, 5.0],
    "operation_list": lambda p: [None, ["hostile.mark"], p, 5.0],
    "params_dict": lambda p: [None, "hostile.mark", {"path": "x"}, 5.0],
    "too_many": lambda p: [None, "hostile.mark", p, 5.0, None, None, "extra"],
}  # fmt: skip


def test_bad_options_are_refused_before_anything_runs(redis_url: str, tmp_path: Path) -> None:
    from aiecs_runtime._wire import dumps

    with worker(redis_url) as w:
        app = CeleryApp(redis_url)
        try:
            asyncio.run(_served_once(redis_url, w))
            marks: list[Path] = []
            for name, build in BAD_OPTIONS.items():
                mark = tmp_path / f"{name}.ran"
                marks.append(mark)
                params = dumps({"path": str(mark), "seconds": 0.0}).decode()
                task_id = app.send(build(params), queue=w.queue)
                meta = _answer(app, task_id)
                with pytest.raises(Exception) as refused:
                    _result(meta, "hostile.mark")
                assert getattr(refused.value, "code", None) is ErrorCode.VALIDATION_ERROR, (
                    name,
                    refused.value,
                )
            # A chunk with a bad op is refused whole: not even its good ops run.
            good = dumps({"path": str(tmp_path / "chunk.ran")}).decode()
            chunk = [None, [["a", "hostile.mark", good], ["b", "hostile.mark", 5]], 5.0, None]
            task_id = str(__import__("uuid").uuid4())
            app.send_many([(CHUNK_TASK_NAME, task_id, chunk)], queue=w.queue)
            with pytest.raises(Exception) as refused:
                _result(_answer(app, task_id), "chunk")
            assert getattr(refused.value, "code", None) is ErrorCode.VALIDATION_ERROR
            marks.append(tmp_path / "chunk.ran")
            time.sleep(0.5)  # an op started despite the refusal would have marked by now
            assert not [m.name for m in marks if m.exists()]
            # and the worker still serves well-formed messages
            ok = dumps({"path": str(tmp_path / "ok.ran")}).decode()
            assert _result(
                _answer(app, app.send([None, "hostile.mark", ok, 5.0], queue=w.queue)), "ok"
            )
            assert (tmp_path / "ok.ran").exists()
        finally:
            app.close()


async def _served_once(redis_url: str, w: Any) -> None:
    async with CeleryOperationExecutor(redis_url, queue=w.queue, timeout=15.0) as ex:
        await served(ex, w)


def test_worker_killed_mid_chunk_fails_only_the_unfinished_ops(redis_url: str) -> None:
    timeout = 5.0
    with worker(redis_url) as w:

        async def main() -> None:
            ex = CeleryOperationExecutor(redis_url, queue=w.queue, timeout=timeout, chunk_size=4)
            await served(ex, w)
            ops = [
                {"operation": "calc.add", "params": {"a": 1, "b": 2}},
                {"operation": "calc.slow", "params": {"seconds": 60}},
                {"operation": "calc.add", "params": {"a": 3, "b": 4}},
                {"operation": "calc.slow", "params": {"seconds": 60}},
            ]
            started = time.monotonic()
            run = asyncio.ensure_future(ex.execute_parallel_operations(ops))
            await asyncio.sleep(1.5)  # the fast ops are answered, the slow ones run
            w.proc.send_signal(signal.SIGKILL)
            steps = await run
            elapsed = time.monotonic() - started
            assert [s.completed for s in steps] == [True, False, True, False], steps
            assert [steps[0].result, steps[2].result] == [3, 7]
            assert steps[1].error_code is steps[3].error_code is ErrorCode.TIMEOUT_ERROR
            assert elapsed < timeout + 2.0, elapsed
            ex.close()

        asyncio.run(main())
