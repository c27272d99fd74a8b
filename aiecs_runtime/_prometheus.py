"""`PrometheusObserver`: tool calls as Prometheus counters and histograms (extra ``prometheus``).

Two metrics on the registry you pass (never the global one unless you pass it):

- ``<namespace>_tool_calls_total{tool, operation, outcome, error_code}`` — a counter;
  ``outcome`` is ``success``, ``failure``, ``refused`` (the op never ran: a bad op name or
  bad params) or ``cancelled``; ``error_code`` is the `ErrorCode` value (``E003`` …) of a
  failure and ``""`` for a success.
- ``<namespace>_tool_call_duration_seconds{tool, operation, outcome}`` — a histogram of the
  time each call took.

Labels are names and codes only: a param value never becomes a label (it could hold a
secret, and unbounded label values would grow the registry without limit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._codes import error_code_for
from ._monitoring import ExecutionEvent

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

__all__ = ["DEFAULT_BUCKETS", "PrometheusObserver"]

#: Seconds: from a cache-speed local op to a slow remote one.
DEFAULT_BUCKETS: tuple[float, ...] = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)  # fmt: skip


def _client() -> Any:
    try:
        import prometheus_client
    except ImportError as exc:
        raise ImportError(
            "PrometheusObserver needs the 'prometheus' extra: "
            f"pip install 'aiecs-contracts[prometheus]' ({exc})"
        ) from exc
    return prometheus_client


class PrometheusObserver:
    """An `ExecutionObserver` that counts and times every tool call on ``registry``."""

    __slots__ = ("_calls", "_durations", "namespace", "registry")

    def __init__(
        self,
        *,
        registry: CollectorRegistry,
        namespace: str = "aiecs",
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> None:
        client = _client()
        self.registry = registry
        self.namespace = namespace
        self._calls = client.Counter(
            "tool_calls",
            "Tool calls by tool, operation, outcome and error code.",
            ("tool", "operation", "outcome", "error_code"),
            namespace=namespace,
            registry=registry,
        )
        self._durations = client.Histogram(
            "tool_call_duration_seconds",
            "How long each tool call took, in seconds.",
            ("tool", "operation", "outcome"),
            namespace=namespace,
            registry=registry,
            buckets=tuple(buckets),
        )

    def __repr__(self) -> str:
        return f"PrometheusObserver(namespace={self.namespace!r})"

    def on_start(self, event: ExecutionEvent) -> None:
        """Nothing to record before the op runs."""

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        """Count a success and observe its duration."""
        self._record(event, "success", "", duration)

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        """Count a failure (refused, cancelled or failed) with its error code."""
        if isinstance(error, asyncio.CancelledError):
            outcome = "cancelled"
        elif event.refused:
            outcome = "refused"
        else:
            outcome = "failure"
        self._record(event, outcome, str(error_code_for(error).value), duration)

    def _record(self, event: ExecutionEvent, outcome: str, code: str, duration: float) -> None:
        self._calls.labels(event.tool, event.operation, outcome, code).inc()
        self._durations.labels(event.tool, event.operation, outcome).observe(duration)
