"""OpenTelemetryObserver against the real SDK: the exact span tree in the in-memory exporter."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, StatusCode

from aiecs_runtime import ExecutionEngine, OperationExecutor, ToolExecutor
from aiecs_runtime._otel import OpenTelemetryObserver


def _ctx(span: ReadableSpan) -> SpanContext:
    context: SpanContext | None = span.context
    assert context is not None
    return context


class Calc:
    name = "calc"

    async def add(self, a: int, b: int) -> int:
        return a + b

    async def fail(self, token: str) -> None:
        raise ValueError("the op failed")

    def span_seen(self) -> dict[str, Any]:
        # A sync op: it runs in a pool thread, where the caller's span must be current.
        ctx = trace.get_current_span().get_span_context()
        return {"span_id": ctx.span_id, "thread": threading.get_ident()}


def _traced() -> tuple[OpenTelemetryObserver, InMemorySpanExporter, TracerProvider]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()  # our own: the global provider is never touched here
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return OpenTelemetryObserver(tracer_provider=provider), exporter, provider


def _executor(otel: OpenTelemetryObserver) -> OperationExecutor:
    return OperationExecutor({"calc": Calc()}, ToolExecutor(observers=(otel,)), tracer=otel)


def _tree(spans: tuple[ReadableSpan, ...]) -> list[tuple[int, str, str]]:
    """``(depth, name, status)`` in start order, depth from the parent links."""
    by_id = {_ctx(s).span_id: s for s in spans}

    def depth(s: ReadableSpan) -> int:
        parent = s.parent
        return 0 if parent is None else 1 + depth(by_id[parent.span_id])

    ordered = sorted(spans, key=lambda s: s.start_time or 0)
    return [(depth(s), s.name, s.status.status_code.name) for s in ordered]


SEQUENCE = [
    {"operation": "calc.add", "params": {"a": 1, "b": 2}},
    {"operation": "calc.fail", "params": {"token": "s3cret"}},
    {"operation": "calc.add", "params": {"a": "$result[0]", "b": 10}},
]


def _by_name(spans: tuple[ReadableSpan, ...], name: str) -> list[ReadableSpan]:
    return [s for s in spans if s.name == name]


def test_a_sequence_gives_the_exact_span_tree() -> None:
    otel, exporter, _ = _traced()
    results = asyncio.run(_executor(otel).execute_operations_sequence(SEQUENCE, "u1", "t1"))
    assert [r.completed for r in results] == [True, False, True]
    assert results[2].result == 13
    spans = exporter.get_finished_spans()
    assert _tree(spans) == [
        (0, "aiecs.sequence", "UNSET"),
        (1, "execute_operation calc.add", "UNSET"),
        (2, "execute_tool calc.add", "UNSET"),
        (1, "execute_operation calc.fail", "ERROR"),
        (2, "execute_tool calc.fail", "ERROR"),
        (1, "execute_operation calc.add", "UNSET"),
        (2, "execute_tool calc.add", "UNSET"),
    ]
    assert len({_ctx(s).trace_id for s in spans}) == 1
    (run,) = _by_name(spans, "aiecs.sequence")
    assert dict(run.attributes or {}) == {"aiecs.operation.count": 3, "aiecs.task.id": "t1"}
    steps = sorted(
        (s for s in spans if s.name.startswith("execute_operation")),
        key=lambda s: s.start_time or 0,
    )
    assert [dict(s.attributes or {}) for s in steps] == [
        {"aiecs.spec": "calc.add", "aiecs.step.index": 0},
        {
            "aiecs.spec": "calc.fail",
            "aiecs.step.index": 1,
            "aiecs.error.code": "E003",
            "error.type": "OperationFailedError",
        },
        {"aiecs.spec": "calc.add", "aiecs.step.index": 2},
    ]
    (failed,) = _by_name(spans, "execute_tool calc.fail")
    assert failed.parent is not None and failed.parent.span_id == _ctx(steps[1]).span_id
    assert dict(failed.attributes or {}) == {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "calc.fail",
        "aiecs.tool": "calc",
        "aiecs.operation": "fail",
        "aiecs.task.id": "t1",
        "aiecs.error.code": "E003",
        "error.type": "OperationFailedError",
    }
    (event,) = failed.events
    assert event.name == "exception"
    assert "the op failed" in str((event.attributes or {})["exception.message"])
    assert steps[1].status.status_code is StatusCode.ERROR
    assert [e.name for e in steps[1].events] == ["exception"]
    # No param value anywhere by default: the failing op's token is a secret.
    assert "s3cret" not in json.dumps([s.to_json() for s in spans])


def test_record_params_adds_the_arguments_as_json() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    otel = OpenTelemetryObserver(tracer_provider=provider, record_params=True)
    asyncio.run(_executor(otel).execute_operations_sequence(SEQUENCE[:2], "u", "t"))
    (failed,) = _by_name(exporter.get_finished_spans(), "execute_tool calc.fail")
    assert (failed.attributes or {})["gen_ai.tool.call.arguments"] == '{"token": "s3cret"}'


def test_a_sync_op_in_a_pool_thread_sees_its_tool_span_as_current() -> None:
    otel, exporter, _ = _traced()
    seen = asyncio.run(_executor(otel).execute_operation("calc.span_seen", {}))
    assert seen["thread"] != threading.get_ident()  # it did run in another thread
    (tool,) = _by_name(exporter.get_finished_spans(), "execute_tool calc.span_seen")
    (op,) = _by_name(exporter.get_finished_spans(), "execute_operation calc.span_seen")
    assert seen["span_id"] == _ctx(tool).span_id
    assert tool.parent is not None and tool.parent.span_id == _ctx(op).span_id


def test_refused_calls_get_a_failed_span() -> None:
    otel, exporter, _ = _traced()
    with pytest.raises(Exception, match="a"):
        asyncio.run(_executor(otel).execute_operation("calc.add", {"a": 1}))
    (tool,) = _by_name(exporter.get_finished_spans(), "execute_tool calc.add")
    assert tool.status.status_code is StatusCode.ERROR
    assert (tool.attributes or {})["aiecs.refused"] is True
    assert (tool.attributes or {})["aiecs.error.code"] == "E001"


def test_parallel_batch_and_task_spans() -> None:
    otel, exporter, _ = _traced()
    ops = [{"operation": "calc.add", "params": {"a": i, "b": 1}} for i in range(3)]
    ex = _executor(otel)

    async def main() -> None:
        await ex.execute_parallel_operations(ops)
        await ex.batch_execute_operations(ops[:2])

    asyncio.run(main())
    spans = exporter.get_finished_spans()
    (parallel,) = _by_name(spans, "aiecs.parallel")
    (batch,) = _by_name(spans, "aiecs.batch")
    ops_spans = _by_name(spans, "execute_operation calc.add")
    under = {
        _ctx(key).span_id: sorted(
            int((s.attributes or {})["aiecs.step.index"])  # type: ignore[arg-type]
            for s in ops_spans
            if s.parent is not None and s.parent.span_id == _ctx(key).span_id
        )
        for key in (parallel, batch)
    }
    assert under == {_ctx(parallel).span_id: [0, 1, 2], _ctx(batch).span_id: [0, 1]}

    otel2, exporter2, _ = _traced()
    engine = ExecutionEngine(
        {"calc": Calc()}, tool_executor=ToolExecutor(observers=(otel2,)), tracer=otel2
    )

    def task(input_data: dict[str, Any], context: dict[str, Any]) -> str:
        return "ok"

    engine.register_task("report", task)
    assert asyncio.run(engine.execute_task("report", {}, {})) == "ok"
    (span,) = exporter2.get_finished_spans()
    assert span.name == "execute_task report"
    assert dict(span.attributes or {}) == {"aiecs.task.name": "report"}


class _Broken:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"broken tracer: {name}")

    def open_span(self, *args: Any) -> Any:
        raise RuntimeError("cannot open")

    def on_start(self, event: Any) -> None:
        raise RuntimeError("cannot start")

    def on_success(self, event: Any, duration: float, result: Any) -> None:
        raise RuntimeError("cannot end")

    def on_failure(self, event: Any, duration: float, error: BaseException) -> None:
        raise RuntimeError("cannot end")


def test_a_failing_observer_or_tracer_never_breaks_a_call() -> None:
    broken: Any = _Broken()
    ex = OperationExecutor({"calc": Calc()}, ToolExecutor(observers=(broken,)), tracer=broken)
    results = asyncio.run(ex.execute_operations_sequence(SEQUENCE, "u", "t"))
    assert [r.completed for r in results] == [True, False, True]
    assert asyncio.run(ex.execute_operation("calc.add", {"a": 2, "b": 2})) == 4


def test_without_opentelemetry_the_error_names_the_extra_and_celery_still_imports() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['opentelemetry'] = None\n"
        "import aiecs_runtime\n"
        "from aiecs_runtime._propagation import trace_headers\n"
        "import aiecs_runtime.celery\n"
        "assert trace_headers() is None\n"
        "try:\n"
        "    aiecs_runtime.OpenTelemetryObserver\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "OpenTelemetryObserver needs the 'otel' extra" in out.stdout
    assert "pip install 'aiecs-contracts[otel]'" in out.stdout


def test_cache_hits_and_misses_are_marked() -> None:
    from aiecs_runtime import MemoryCache

    otel, exporter, _ = _traced()
    ex = OperationExecutor(
        {"calc": Calc()}, ToolExecutor(observers=(otel,), cache=MemoryCache()), tracer=otel
    )

    async def main() -> list[int]:
        return [await ex.execute_operation("calc.add", {"a": 1, "b": 2}) for _ in range(2)]

    assert asyncio.run(main()) == [3, 3]
    tools = sorted(
        _by_name(exporter.get_finished_spans(), "execute_tool calc.add"),
        key=lambda s: s.start_time or 0,
    )
    assert [(s.attributes or {})["aiecs.cache.hit"] for s in tools] == [False, True]
    # Without a cache the attribute is absent: nothing was asked.
    otel2, exporter2, _ = _traced()
    asyncio.run(_executor(otel2).execute_operation("calc.add", {"a": 1, "b": 2}))
    (plain,) = exporter2.get_finished_spans()[:1]
    assert "aiecs.cache.hit" not in (plain.attributes or {})
