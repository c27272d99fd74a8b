"""Flawed interface monitor: the report hands out the monitor's own dicts.

The mistake: ``"usage_by_interface": self._usage`` "to avoid a copy" — a caller that edits
the report edits the monitor, and an earlier report keeps changing as records arrive.
``monitor.isolation`` catches it, and ``monitor.report.consistent`` (should): a live report
stops matching its own totals while other threads record.
"""

from __future__ import annotations

import threading
from typing import Any

CONTRACT = "interface-monitor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"monitor.isolation"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"monitor.report.consistent"})


class ZeroCopyMonitor:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._usage: dict[str, int] = {}
        self._errors: dict[str, int] = {}

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        name = f"{interface_name}.{method_name}"
        with self._mutex:
            self._usage[name] = self._usage.get(name, 0) + 1
            if not success:
                self._errors[name] = self._errors.get(name, 0) + 1

    def get_usage_report(self) -> dict[str, Any]:
        with self._mutex:
            total = sum(self._usage.values())
            errors = sum(self._errors.values())
            return {
                "total_usage": total,
                "total_errors": errors,
                "error_rate": errors / total if total else 0.0,
                "usage_by_interface": self._usage,  # BUG: the live dict
                "errors_by_interface": self._errors,
            }


def factory() -> ZeroCopyMonitor:
    return ZeroCopyMonitor()
