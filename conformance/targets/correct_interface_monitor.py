"""A correct interface monitor: one lock for records and reports, reports are copies."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

CONTRACT = "interface-monitor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class UsageMonitor:
    """Counts calls and failures per ``"<interface>.<method>"``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self._failures: Counter[str] = Counter()

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        """Count one call, and one failure unless ``success``."""
        key = f"{interface_name}.{method_name}"
        with self._lock:
            self._calls[key] += 1
            if not success:
                self._failures[key] += 1

    def get_usage_report(self) -> dict[str, Any]:
        """A snapshot of the counts, totals and error rate."""
        with self._lock:
            total, errors = sum(self._calls.values()), sum(self._failures.values())
            return {
                "total_usage": total,
                "total_errors": errors,
                "error_rate": errors / total if total else 0.0,
                "usage_by_interface": dict(self._calls),
                "errors_by_interface": dict(self._failures),
            }


def factory() -> UsageMonitor:
    """Return a fresh, empty monitor."""
    return UsageMonitor()
