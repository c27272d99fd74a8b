"""Flawed interface monitor: usage is reported nested, ``{interface: {method: n}}``.

The mistake: a "more structured" report — ``usage_by_interface["svc"]["run"]`` instead of
the seed's flat ``"svc.run"`` keys — that every consumer of the seed's report misreads.
``monitor.report.shape`` catches it (and ``monitor.report.counts`` and ``monitor.threads``,
which read the flat keys).
"""

from __future__ import annotations

import threading
from typing import Any

CONTRACT = "interface-monitor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"monitor.report.shape", "monitor.report.counts", "monitor.threads"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class NestedMonitor:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._usage: dict[str, dict[str, int]] = {}
        self._errors: dict[str, dict[str, int]] = {}

    def record_interface_usage(self, interface_name: str, method_name: str, success: bool) -> None:
        with self._lock:
            per = self._usage.setdefault(interface_name, {})
            per[method_name] = per.get(method_name, 0) + 1
            if not success:
                bad = self._errors.setdefault(interface_name, {})
                bad[method_name] = bad.get(method_name, 0) + 1

    def get_usage_report(self) -> dict[str, Any]:
        with self._lock:
            total = sum(sum(m.values()) for m in self._usage.values())
            errors = sum(sum(m.values()) for m in self._errors.values())
            return {
                "total_usage": total,
                "total_errors": errors,
                "error_rate": errors / total if total else 0.0,
                "usage_by_interface": {i: dict(m) for i, m in self._usage.items()},  # BUG
                "errors_by_interface": {i: dict(m) for i, m in self._errors.items()},
            }


def factory() -> NestedMonitor:
    return NestedMonitor()
