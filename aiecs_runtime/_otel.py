"""`OpenTelemetryObserver`: tool calls, operations, runs and tasks as spans (extra ``otel``).

Span names and attributes follow the OpenTelemetry semantic conventions for generative-AI
tool execution where they apply, the project's own under ``aiecs.`` otherwise:

- a tool call: ``execute_tool {tool}.{op}`` with ``gen_ai.operation.name="execute_tool"``,
  ``gen_ai.tool.name``, ``aiecs.tool``, ``aiecs.operation``, ``aiecs.cache.hit`` when
  the executor has a cache (a hit is a span too, though no op runs), and on failure status ERROR,
  an exception event, ``error.type`` and ``aiecs.error.code``; calls refused before the op
  ran too (``aiecs.refused=True``);
- an operation (a single call, or one step of a sequence, parallel run or batch):
  ``execute_operation {spec}`` with ``aiecs.spec`` and ``aiecs.step.index``;
- a run: ``aiecs.sequence`` / ``aiecs.parallel`` / ``aiecs.batch`` with
  ``aiecs.operation.count`` (and ``aiecs.task.id`` for a sequence);
- a task: ``execute_task {name}`` with ``aiecs.task.name``.

Each span is made current while what it wraps runs, so a sync op in a pool thread (the
executor copies the caller's context into it) and an op's own spans are its children.
Param values are never recorded unless ``record_params=True``: they may hold secrets.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._codes import error_code_for
from ._monitoring import ExecutionEvent
from ._tracing import SpanKind

if TYPE_CHECKING:
    from opentelemetry.trace import Span, TracerProvider

__all__ = ["OpenTelemetryObserver"]

_SCOPE = "aiecs_runtime"
_RUN_NAMES: dict[str, str] = {
    "sequence": "aiecs.sequence",
    "parallel": "aiecs.parallel",
    "batch": "aiecs.batch",
}


def _api() -> Any:
    try:
        from opentelemetry import context, trace
    except ImportError as exc:
        raise ImportError(
            "OpenTelemetryObserver needs the 'otel' extra: "
            f"pip install 'aiecs-contracts[otel]' ({exc})"
        ) from exc
    return context, trace


def _arguments(params: Mapping[str, Any]) -> str:
    # A str attribute: OpenTelemetry attributes cannot hold nested values. repr() for
    # what JSON cannot write, so recording never fails the call.
    return json.dumps(dict(params), sort_keys=True, default=repr)


class _Open:
    """One span made current: ended, and the previous context restored, by `close`."""

    __slots__ = ("_context", "_span", "_token")

    def __init__(self, context: Any, span: Span, token: object) -> None:
        self._context = context
        self._span = span
        self._token = token

    def close(self, error: BaseException | None = None) -> None:
        """End the span (failed with ``error`` when given) and make its parent current."""
        try:
            if error is not None:
                _fail(self._span, error)
            self._span.end()
        finally:
            self._context.detach(self._token)


def _fail(span: Span, error: BaseException) -> None:
    from opentelemetry.trace import Status, StatusCode

    code = str(error_code_for(error).value)
    span.set_attribute("aiecs.error.code", code)
    span.set_attribute("error.type", type(error).__qualname__)
    span.record_exception(error)
    span.set_status(Status(StatusCode.ERROR, f"{code}: {type(error).__name__}"))


class OpenTelemetryObserver:
    """An `ExecutionObserver` and `ExecutionTracer` that turns executions into spans.

    Give it to the tool executor for tool-call spans and to the operation executor or
    engine for the spans around them::

        otel = OpenTelemetryObserver()
        executor = OperationExecutor(tools, ToolExecutor(observers=(otel,)), tracer=otel)

    ``tracer_provider`` defaults to the global one (``opentelemetry.trace``'s);
    ``record_params=True`` adds ``gen_ai.tool.call.arguments`` (the params as JSON) to
    tool-call spans, which is off by default because params may hold secrets.
    """

    __slots__ = ("_context", "_lock", "_open", "_trace", "_tracer", "record_params")

    def __init__(
        self, *, tracer_provider: TracerProvider | None = None, record_params: bool = False
    ) -> None:
        self._context, self._trace = _api()
        from importlib.metadata import version

        self._tracer = self._trace.get_tracer(
            _SCOPE, version("aiecs-contracts"), tracer_provider=tracer_provider
        )
        self.record_params = record_params
        # Each call's span from on_start to its end, by the event's identity: an event is
        # made per call and lives until on_success/on_failure.
        self._open: dict[int, _Open] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenTelemetryObserver(record_params={self.record_params!r})"

    # -- ExecutionObserver: one span per tool call --------------------------------------

    def on_start(self, event: ExecutionEvent) -> None:
        """Open the call's span and make it current while the op runs."""
        attributes: dict[str, str | bool] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": event.name,
            "aiecs.tool": event.tool,
            "aiecs.operation": event.operation,
        }
        if event.task_id:
            attributes["aiecs.task.id"] = event.task_id
        if event.refused:
            attributes["aiecs.refused"] = True
        if event.cache_hit is not None:
            attributes["aiecs.cache.hit"] = event.cache_hit
        if self.record_params:
            attributes["gen_ai.tool.call.arguments"] = _arguments(event.params)
        opened = self._start(f"execute_tool {event.name}", attributes)
        with self._lock:
            self._open[id(event)] = opened

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        """End the call's span."""
        opened = self._take(event)
        if opened is not None:
            opened.close()

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        """End the call's span with status ERROR, the exception event and the error code."""
        opened = self._take(event)
        if opened is not None:
            opened.close(error)

    def on_cache_hit(self, event: ExecutionEvent) -> None:
        """A call the cache served: a span of its own, ``aiecs.cache.hit=True``, no op run."""
        self.on_start(event)
        self.on_success(event, 0.0, None)

    def _take(self, event: ExecutionEvent) -> _Open | None:
        with self._lock:
            return self._open.pop(id(event), None)

    # -- ExecutionTracer: runs, operations, tasks ---------------------------------------

    def open_span(
        self, kind: SpanKind, target: str, attributes: Mapping[str, str | int | bool]
    ) -> _Open:
        """Open (and make current) the span of a run, an operation or a task."""
        if kind == "operation":
            name = f"execute_operation {target}"
        elif kind == "task":
            name = f"execute_task {target}"
        else:
            name = _RUN_NAMES[kind]
        return self._start(name, attributes)

    def _start(self, name: str, attributes: Mapping[str, str | int | bool]) -> _Open:
        span: Span = self._tracer.start_span(name, attributes=attributes)
        token = self._context.attach(self._trace.set_span_in_context(span))
        return _Open(self._context, span, token)
