"""Rows for the per-call cost of each observer: the same executor with and without it.

Each row times ``ToolExecutor.execute_async`` with one observer attached against the same
executor with none, interleaved in one process (median of rounds), so the ratio is what
that observer adds to a call of a trivial ``async def`` op: the worst case, since a real
op's own time dilutes it. An executor with observers leaves the no-observer fast path,
so every row includes the general pipeline's cost too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ._harness import Bench, Measurement, Settings, compare_times, on_loop, require
from ._tools import Tool, event_loop, tool_executor
from .executor import tool_executor_body

__all__ = ["BENCHES"]


def _metrics() -> Any:
    return require("aiecs_runtime", "MetricsObserver")()


def _logging() -> Any:
    # A logger that is enabled (so records are built) but writes nowhere.
    logger = logging.getLogger("benchmarks.observers")
    logger.propagate = False
    logger.handlers[:] = [logging.NullHandler()]
    logger.setLevel(logging.INFO)
    return require("aiecs_runtime", "LoggingObserver")(logger)


def _prometheus() -> Any:
    from prometheus_client import CollectorRegistry

    return require("aiecs_runtime", "PrometheusObserver")(registry=CollectorRegistry())


def _otel() -> Any:
    from opentelemetry.sdk.trace import TracerProvider

    # Real SDK spans, recorded and ended; no exporter, so the row is the observer's and
    # the SDK's cost, not an exporter's.
    return require("aiecs_runtime", "OpenTelemetryObserver")(tracer_provider=TracerProvider())


def _row(make: Callable[[], Any]) -> Callable[[Settings], Measurement]:
    def run(settings: Settings) -> Measurement:
        tool = Tool()
        observer = make()
        plain = tool_executor()
        observed = plain.with_options(observers=(observer,))
        with event_loop() as loop:
            for executor in (plain, observed):
                got = loop.run_until_complete(executor.execute_async(tool, "op", x=1, y="a"))
                if got != "a":
                    raise AssertionError(f"{executor!r} returned {got!r}, expected 'a'")
            m = compare_times(
                on_loop(loop, tool_executor_body(observed, tool)),
                on_loop(loop, tool_executor_body(plain, tool)),
                settings,
            )
        m.detail["observer"] = repr(observer)
        return m

    return run


_MEASURED = 'ToolExecutor(observers=({})).execute_async(tool, "op", x=1, y="a")'
_BASELINE = 'the same ToolExecutor without observers: execute_async(tool, "op", x=1, y="a")'

BENCHES = [
    Bench(
        id="observer.metrics",
        measured=_MEASURED.format("MetricsObserver(),"),
        baseline=_BASELINE,
        goal=None,
        run=_row(_metrics),
    ),
    Bench(
        id="observer.logging",
        measured=_MEASURED.format("LoggingObserver(logger),") + ", logger at INFO, NullHandler",
        baseline=_BASELINE,
        goal=None,
        run=_row(_logging),
    ),
    Bench(
        id="observer.prometheus",
        measured=_MEASURED.format("PrometheusObserver(registry=CollectorRegistry()),"),
        baseline=_BASELINE,
        goal=None,
        run=_row(_prometheus),
    ),
    Bench(
        id="observer.otel",
        measured=_MEASURED.format("OpenTelemetryObserver(tracer_provider=TracerProvider()),")
        + ", SDK spans without exporter",
        baseline=_BASELINE,
        goal=None,
        run=_row(_otel),
    ),
]
