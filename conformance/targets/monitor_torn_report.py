"""Flawed interface monitor: records are locked, the report is read without the lock.

The mistake: "reads are safe under the GIL", so ``get_usage_report`` sums and copies the
counters while other threads are between their two updates — a report whose totals do not
match its own per-interface counts. ``monitor.report.consistent`` (should) catches it.
"""

from __future__ import annotations

import threading
from typing import Any

CONTRACT = "interface-monitor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"monitor.report.consistent"})


class TallyMonitor:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._total_errors = 0
        self._usage: dict[str, int] = {}
        self._errors: dict[str, int] = {}

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        key = f"{interface_name}.{method_name}"
        with self._lock:
            self._total += 1
            self._usage[key] = self._usage.get(key, 0) + 1
            if not success:
                self._total_errors += 1
                self._errors[key] = self._errors.get(key, 0) + 1

    def get_usage_report(self) -> dict[str, Any]:
        total, errors = self._total, self._total_errors  # BUG: not under the lock
        return {
            "total_usage": total,
            "total_errors": errors,
            "error_rate": errors / total if total else 0.0,
            "usage_by_interface": dict(self._usage),
            "errors_by_interface": dict(self._errors),
        }


def factory() -> TallyMonitor:
    return TallyMonitor()
