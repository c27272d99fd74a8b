"""The caller's trace context across Celery: W3C ``traceparent`` in the message headers.

Only when OpenTelemetry is installed and a span is current on the caller's side: without
the ``otel`` extra, or with nothing traced, messages carry no header and the worker opens
no span, so a missing OpenTelemetry never changes (or breaks) a Celery run.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Generator
from typing import Any

__all__ = ["continued_trace", "trace_headers"]


@functools.cache
def _api() -> tuple[Any, Any] | None:
    try:
        from opentelemetry import propagate, trace
    except ImportError:
        return None
    return propagate, trace


def trace_headers() -> dict[str, str] | None:
    """The current trace context as message headers, or None when nothing is traced."""
    api = _api()
    if api is None:
        return None
    propagate: Any = api[0]
    trace: Any = api[1]
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier or None


def _carrier(request: Any) -> dict[str, str]:
    # Celery (protocol 2) merges custom headers into the request's own attributes; some
    # versions also keep them under ``request.headers``.
    found: dict[str, str] = {}
    headers = getattr(request, "headers", None)
    for key in ("traceparent", "tracestate"):
        value = getattr(request, key, None)
        if value is None and isinstance(headers, dict):
            value = headers.get(key)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if isinstance(value, str):
            found[key] = value
    return found


@contextlib.contextmanager
def continued_trace(request: Any, name: str) -> Generator[None]:
    """On the worker: run the block in a span that continues the message's trace."""
    api = _api()
    carrier = _carrier(request) if api is not None else {}
    if api is None or not carrier:
        yield
        return
    propagate: Any = api[0]
    trace: Any = api[1]
    parent = propagate.extract(carrier)
    tracer = trace.get_tracer("aiecs_runtime.celery")
    with tracer.start_as_current_span(
        f"aiecs.worker {name}", context=parent, kind=trace.SpanKind.CONSUMER
    ):
        yield
