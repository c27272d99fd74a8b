"""Observers of every execution, performance metrics and interface usage reports.

An observer sees each call start and end (success or failure, with its duration). Observers
are optional: with none attached the executors skip the clock entirely. Memory stays bounded
however many calls run: per operation the metrics keep running totals plus a fixed-size
reservoir of durations for the percentiles.
"""

from __future__ import annotations

import logging
import math
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from aiecs_contracts import ErrorCode

from ._codes import error_code_for

__all__ = [
    "ExecutionEvent",
    "ExecutionObserver",
    "InterfaceMonitor",
    "MetricsObserver",
    "notify_failure",
    "notify_start",
    "notify_success",
]

_log = logging.getLogger("aiecs_runtime.monitoring")


@dataclass(frozen=True, slots=True)
class ExecutionEvent:
    """One execution as observers see it: which tool and op, with which params, for whom."""

    tool: str
    operation: str
    params: Mapping[str, Any] = field(default_factory=dict[str, Any])
    user_id: str = ""
    task_id: str = ""
    refused: bool = False
    """True when the call was refused before its op ran (bad op name or params)."""
    cache_hit: bool | None = None
    """False when a cache was asked and missed; True for `on_cache_hit`; None: no cache."""

    @property
    def name(self) -> str:
        """``"tool.operation"``."""
        return f"{self.tool}.{self.operation}"


@runtime_checkable
class ExecutionObserver(Protocol):
    """Told about every execution; must be quick and must not raise (errors are logged).

    Every call gets exactly one `on_start` and then exactly one `on_success` or
    `on_failure`: calls refused before the op ran (``event.refused``, a
    `ParameterValidationError` or `OperationNotFoundError`, duration 0) and cancelled calls
    (an ``asyncio.CancelledError``) included. Cache hits run no op and are not reported,
    except to an observer that also has an optional ``on_cache_hit(event)`` method (the
    OpenTelemetry observer does: a hit is a span too).
    """

    def on_start(self, event: ExecutionEvent) -> None:
        """Called before the op runs."""
        ...

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        """Called after the op returned ``result`` in ``duration`` seconds."""
        ...

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        """Called after the op failed with ``error`` (already translated) in ``duration`` s."""
        ...


def notify_start(observers: Iterable[ExecutionObserver], event: ExecutionEvent) -> None:
    """Tell every observer a call started; an observer's error is logged, never raised."""
    for observer in observers:
        try:
            observer.on_start(event)
        except Exception:
            _log.exception("observer %r failed in on_start", observer)


def notify_success(
    observers: Iterable[ExecutionObserver], event: ExecutionEvent, duration: float, result: Any
) -> None:
    """Tell every observer a call succeeded."""
    for observer in observers:
        try:
            observer.on_success(event, duration, result)
        except Exception:
            _log.exception("observer %r failed in on_success", observer)


def notify_failure(
    observers: Iterable[ExecutionObserver],
    event: ExecutionEvent,
    duration: float,
    error: BaseException,
) -> None:
    """Tell every observer a call failed."""
    for observer in observers:
        try:
            observer.on_failure(event, duration, error)
        except Exception:
            _log.exception("observer %r failed in on_failure", observer)


class _Series:
    """Running totals and a bounded reservoir sample (Vitter's algorithm R) of durations."""

    __slots__ = ("codes", "count", "errors", "max", "min", "refused", "sample", "timed", "total")

    def __init__(self) -> None:
        self.count = 0
        self.timed = 0
        self.errors = 0
        self.refused = 0
        self.codes: dict[str, int] = {}
        self.total = 0.0
        self.min = float("inf")
        self.max = 0.0
        self.sample: list[float] = []

    def add(self, duration: float, size: int, rng: random.Random) -> None:
        self.count += 1
        self.timed += 1
        self.total += duration
        self.min = min(self.min, duration)
        self.max = max(self.max, duration)
        if len(self.sample) < size:
            self.sample.append(duration)
        else:
            slot = rng.randrange(self.timed)
            if slot < size:
                self.sample[slot] = duration

    def fail(self, code: str, *, refused: bool) -> None:
        self.errors += 1
        self.codes[code] = self.codes.get(code, 0) + 1
        if refused:
            # Counted as a call and an error, but kept out of the timings: its op never
            # ran, and a 0 s "duration" would drag min/avg/p50 down.
            self.count += 1
            self.refused += 1

    def report(self) -> dict[str, float | int]:
        ordered = sorted(self.sample)

        def pct(q: float) -> float:
            if not ordered:
                return 0.0
            # Nearest rank: the smallest sample with at least q of the samples <= it.
            return ordered[max(0, math.ceil(round(q * len(ordered), 9)) - 1)]

        return {
            "count": self.count,
            "avg_time": self.total / self.timed if self.timed else 0.0,
            "min_time": self.min if self.timed else 0.0,
            "max_time": self.max,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "error_count": self.errors,
            "refused_count": self.refused,
        }


class MetricsObserver:
    """Collects per-operation timings: the seed's keys plus p50/p95/p99 and error counts."""

    def __init__(self, *, sample_size: int = 1024, max_operations: int = 1024) -> None:
        self._sample_size = sample_size
        self._max_operations = max_operations
        self._series: dict[str, _Series] = {}
        self._lock = threading.Lock()
        self._rng = random.Random(0)

    def __repr__(self) -> str:
        return f"MetricsObserver(operations={len(self._series)})"

    def _get(self, name: str) -> _Series:
        series = self._series.get(name)
        if series is None:
            # Bounded: past max_operations, new names share one overflow bucket.
            if len(self._series) >= self._max_operations:
                name = "(other)"
            series = self._series.setdefault(name, _Series())
        return series

    def on_start(self, event: ExecutionEvent) -> None:
        """Nothing to do at start: durations come with the end."""

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        """Record one successful call."""
        with self._lock:
            self._get(event.name).add(duration, self._sample_size, self._rng)

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        """Record one failed call (one refused before its op ran counts, untimed)."""
        code = error_code_for(error).value
        with self._lock:
            series = self._get(event.name)
            if not event.refused:
                series.add(duration, self._sample_size, self._rng)
            series.fail(code, refused=event.refused)

    def get_performance_metrics(self) -> dict[str, dict[str, float | int]]:
        """Return per operation: count, avg/min/max_time, p50/p95/p99, error and refused counts.

        ``count`` and ``error_count`` include calls refused before their op ran
        (``refused_count``); the timings cover the calls whose op ran.
        """
        with self._lock:
            return {name: series.report() for name, series in sorted(self._series.items())}

    def get_error_codes(self) -> dict[str, dict[str, int]]:
        """Return per operation the error count by `ErrorCode` value (``{"E001": 2}``)."""
        with self._lock:
            return {
                name: dict(sorted(series.codes.items()))
                for name, series in sorted(self._series.items())
                if series.codes
            }

    def reset(self) -> None:
        """Forget every recorded call."""
        with self._lock:
            self._series.clear()


class InterfaceMonitor:
    """The seed's usage monitor: calls and errors per ``"<interface>.<method>"``, thread-safe.

    ``record_interface_usage`` is the seed's API; as an `ExecutionObserver` it counts each
    execution under ``"<tool>.<op>"``. Every record and every report holds one lock, so a
    report taken while other threads record is consistent with itself (totals equal the
    sums), and a report is a snapshot: fresh dicts the monitor never touches again.
    """

    def __init__(self, *, max_interfaces: int = 1024) -> None:
        self._max = max_interfaces
        self._usage: dict[str, int] = {}
        self._errors: dict[str, int] = {}
        self._codes: dict[str, int] = {}
        self._lock = threading.Lock()

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        """Count one call of ``interface_name.method_name``, and one error unless ``success``."""
        self.record(f"{interface_name}.{method_name}", error=not success)

    def record(self, interface: str, *, error: bool = False, code: str | None = None) -> None:
        """Count one use of ``interface`` (and one error, of ``code``, when ``error``)."""
        with self._lock:
            if interface not in self._usage and len(self._usage) >= self._max:
                interface = "(other)"  # bounded memory: past the limit, one shared bucket
            self._usage[interface] = self._usage.get(interface, 0) + 1
            if error:
                self._errors[interface] = self._errors.get(interface, 0) + 1
                code = code or ErrorCode.EXECUTION_ERROR.value
                self._codes[code] = self._codes.get(code, 0) + 1

    def on_start(self, event: ExecutionEvent) -> None:
        """Nothing to do at start."""

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        """Count one use of the op that served the call."""
        self.record(event.name)

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        """Count one use and one error (with its code) of the op; refused calls too."""
        self.record(event.name, error=True, code=error_code_for(error).value)

    def get_usage_report(self) -> dict[str, Any]:
        """Return the seed's report: exactly its five keys, as a snapshot."""
        with self._lock:
            total = sum(self._usage.values())
            errors = sum(self._errors.values())
            return {
                "total_usage": total,
                "total_errors": errors,
                "error_rate": errors / total if total else 0.0,
                "usage_by_interface": dict(self._usage),
                "errors_by_interface": dict(self._errors),
            }

    def get_error_codes(self) -> dict[str, int]:
        """Return the error count by `ErrorCode` value (``{"E001": 2}``), a snapshot."""
        with self._lock:
            return dict(sorted(self._codes.items()))
