"""Trace a sequence with OpenTelemetry (the `otel` extra; the SDK is the application's)."""

from __future__ import annotations

import asyncio

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from aiecs_runtime import OpenTelemetryObserver, OperationExecutor, ToolExecutor


class Calc:
    name = "calc"

    async def add(self, a: int, b: int) -> int:
        return a + b

    async def divide(self, a: int, b: int) -> float:
        return a / b


# --8<-- [start:observer]
exporter = InMemorySpanExporter()  # in production: an OTLP exporter in a batch processor
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))

otel = OpenTelemetryObserver(tracer_provider=provider)  # default: the global provider
executor = OperationExecutor({"calc": Calc()}, ToolExecutor(observers=(otel,)), tracer=otel)

steps = [
    {"operation": "calc.add", "params": {"a": 1, "b": 2}},
    {"operation": "calc.divide", "params": {"a": 1, "b": 0}},  # fails: E003
    {"operation": "calc.add", "params": {"a": "$result[0]", "b": 10}},
]
asyncio.run(executor.execute_operations_sequence(steps, user_id="u1", task_id="t1"))

finished = sorted(exporter.get_finished_spans(), key=lambda s: s.start_time or 0)
parents = {s.context.span_id: s.parent and s.parent.span_id for s in finished if s.context}


def depth(span_id: int) -> int:
    parent = parents[span_id]
    return 0 if parent is None else 1 + depth(parent)


for span in finished:
    if span.context is not None:
        indent = "  " * depth(span.context.span_id)
        print(f"{indent}{span.name} [{span.status.status_code.name}]")
# --8<-- [end:observer]
