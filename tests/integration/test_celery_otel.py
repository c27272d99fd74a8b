"""The caller's trace continues on a real Celery worker: worker spans under the caller's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext

from aiecs_runtime._otel import OpenTelemetryObserver

_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module")
def exporter() -> InMemorySpanExporter:
    # The in-process worker's spans go through the global provider (a worker is
    # configured by its process, not by the caller): set once for the whole process.
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    return _EXPORTER


def _ctx(span: ReadableSpan) -> SpanContext:
    context: SpanContext | None = span.context
    assert context is not None
    return context


class Calc:
    async def add(self, a: int, b: int) -> int:
        return a + b

    async def fail(self) -> None:
        raise ValueError("no")


@pytest.mark.parametrize("chunk_size", [1, 4])
def test_worker_spans_are_children_of_the_callers_step_spans(
    redis_url: str, exporter: InMemorySpanExporter, chunk_size: int
) -> None:
    from aiecs_runtime.celery._local import local_executor

    exporter.clear()
    caller = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(caller))
    otel = OpenTelemetryObserver(tracer_provider=provider)
    ex = local_executor(
        {"calc": Calc()}, redis_url, timeout=20.0, chunk_size=chunk_size, tracer=otel
    )
    ops: list[dict[str, Any]] = [
        {"operation": "calc.add", "params": {"a": 1, "b": 2}},
        {"operation": "calc.fail", "params": {}},
        {"operation": "calc.add", "params": {"a": "$result[0]", "b": 1}},
    ]
    results = asyncio.run(ex.execute_operations_sequence(ops, "u", "t"))
    assert [r.completed for r in results] == [True, False, True]
    steps = sorted(
        (s for s in caller.get_finished_spans() if s.name.startswith("execute_operation")),
        key=lambda s: s.start_time or 0,
    )
    assert [s.name for s in steps] == [
        "execute_operation calc.add",
        "execute_operation calc.fail",
        "execute_operation calc.add",
    ]
    workers = sorted(exporter.get_finished_spans(), key=lambda s: s.start_time or 0)
    assert len(workers) == 3, [s.name for s in workers]
    for step, worker in zip(steps, workers, strict=True):
        assert worker.name.startswith("aiecs.worker aiecs.run_")
        assert worker.kind is trace.SpanKind.CONSUMER
        assert _ctx(worker).trace_id == _ctx(step).trace_id
        assert worker.parent is not None and worker.parent.span_id == _ctx(step).span_id
