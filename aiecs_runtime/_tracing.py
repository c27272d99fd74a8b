"""The span seam of the operation executor and the engine: `ExecutionTracer`.

Tool calls are seen through `ExecutionObserver`; what wraps them (a sequence and its steps,
a parallel run or batch and its operations, a task) is seen through a tracer given to
`OperationExecutor(tracer=...)` or `ExecutionEngine(tracer=...)`. With none given the
executors never look at it beyond one ``is None`` test per call (or per step), so an
untraced run costs what it did. `OpenTelemetryObserver` implements both protocols.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Literal, Protocol, runtime_checkable

__all__ = ["ExecutionTracer", "OpenSpan", "SpanKind", "close_quietly", "open_quietly"]

SpanKind = Literal["sequence", "parallel", "batch", "operation", "task"]
"""What a span wraps: a run of ops, one op (a step of a run, or a single call), a task."""

AttributeValue = str | int | bool

_log = logging.getLogger("aiecs_runtime.tracing")


class OpenSpan(Protocol):
    """A span that was opened (and made current); `close` ends it once."""

    def close(self, error: BaseException | None = None) -> None:
        """End the span; ``error`` is the failure of what it wrapped, if it failed."""
        ...


@runtime_checkable
class ExecutionTracer(Protocol):
    """Opens a span around each run, operation and task; must be quick and not raise."""

    def open_span(
        self, kind: SpanKind, target: str, attributes: Mapping[str, AttributeValue]
    ) -> OpenSpan:
        """Open (and make current) a span of ``kind`` over ``target`` (a spec, a task name)."""
        ...


class _Nothing:
    """Stands for a span a failing tracer could not open: closing it does nothing."""

    __slots__ = ()

    def close(self, error: BaseException | None = None) -> None:
        """Nothing was opened."""


_NOTHING = _Nothing()


def open_quietly(
    tracer: ExecutionTracer, kind: SpanKind, target: str, attributes: Mapping[str, AttributeValue]
) -> OpenSpan:
    """``tracer.open_span(...)``; a tracer's error is logged and never fails the call."""
    try:
        return tracer.open_span(kind, target, attributes)
    except Exception:
        _log.exception("tracer %r failed to open a %s span", tracer, kind)
        return _NOTHING


def close_quietly(span: OpenSpan, error: BaseException | None = None) -> None:
    """``span.close(error)``; an error of the tracer's is logged, never raised."""
    try:
        span.close(error)
    except Exception:
        _log.exception("closing span %r failed", span)
