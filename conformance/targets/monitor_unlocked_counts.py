"""Flawed interface monitor: counters are updated without a lock.

The mistake: ``self.calls[key] = self.calls.get(key, 0) + 1`` from several threads — the
read and the write are separate steps, so concurrent records overwrite each other.
``monitor.threads`` catches it (and the unlocked report is torn: ``monitor.report.consistent``).
"""

from __future__ import annotations

from typing import Any

CONTRACT = "interface-monitor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"monitor.threads"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"monitor.report.consistent"})


class PlainMonitor:
    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.failures: dict[str, int] = {}

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        key = f"{interface_name}.{method_name}"
        self.calls[key] = self.calls.get(key, 0) + 1  # BUG: read-modify-write, no lock
        if not success:
            self.failures[key] = self.failures.get(key, 0) + 1

    def get_usage_report(self) -> dict[str, Any]:
        total, errors = sum(self.calls.values()), sum(self.failures.values())
        return {
            "total_usage": total,
            "total_errors": errors,
            "error_rate": errors / total if total else 0,
            "usage_by_interface": dict(self.calls),
            "errors_by_interface": dict(self.failures),
        }


def factory() -> PlainMonitor:
    return PlainMonitor()
