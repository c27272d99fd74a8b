"""`CheckInfo`: what one check asserts, as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CheckInfo", "Severity"]

Severity = Literal["must", "should"]


@dataclass(frozen=True)
class CheckInfo:
    """One invariant of a contract: its id, contract, severity, text and since-version."""

    id: str
    contract: str
    severity: Severity
    text: str
    since: str = "0.1"
    condition: str | None = None
    timing: bool = False
    """True when the verdict depends on timing (races, overlap, non-blocking, cancellation):
    such a check is sized to catch its defect in >= 99 of 100 runs, not in every run."""
