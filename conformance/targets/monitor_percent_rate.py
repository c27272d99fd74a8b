"""Flawed interface monitor: ``error_rate`` is a percentage.

The mistake: ``100 * errors / total`` "for the dashboard", where the seed's report holds
the fraction ``errors / total``. ``monitor.report.counts`` catches it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

CONTRACT = "interface-monitor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"monitor.report.counts"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class DashboardMonitor:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.usage: defaultdict[str, int] = defaultdict(int)
        self.errors: defaultdict[str, int] = defaultdict(int)

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        key = interface_name + "." + method_name
        with self.lock:
            self.usage[key] += 1
            if not success:
                self.errors[key] += 1

    def get_usage_report(self) -> dict[str, Any]:
        with self.lock:
            used, failed = sum(self.usage.values()), sum(self.errors.values())
            return {
                "total_usage": used,
                "total_errors": failed,
                "error_rate": round(100 * failed / used, 2) if used else 0.0,  # BUG: percent
                "usage_by_interface": dict(self.usage),
                "errors_by_interface": dict(self.errors),
            }


def factory() -> DashboardMonitor:
    return DashboardMonitor()
