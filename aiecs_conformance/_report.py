"""`CheckResult` and `ConformanceReport`: what a run found, as data and as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ._info import Severity

__all__ = ["CheckResult", "ConformanceReport", "Level", "Outcome"]

Outcome = Literal["passed", "failed", "skipped", "error", "xfailed", "xpassed"]
Level = Literal["full", "conforming", "non-conforming"]

_FAILING: frozenset[str] = frozenset({"failed", "error", "xpassed"})


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one contract, with its reason and smallest example."""

    id: str
    contract: str
    severity: Severity
    outcome: Outcome
    message: str = ""
    example: str | None = None
    duration: float = 0.0
    waived: bool = field(default=False, repr=False)
    """True when skipped by request (``skip``) rather than because it does not apply."""
    attributed_to: str | None = field(default=None, repr=False)
    """The id a failure belongs to when it is not this check's own (a changed input seen
    by another check belongs to ``*.inputs.unchanged``); the runner fails that id too."""
    timing: bool = False
    """True when the check's verdict depends on timing (see `CheckInfo.timing`)."""
    output: str = field(default="", repr=False)
    """What the target wrote to stdout/stderr while this check ran (truncated)."""
    aborted: bool = False
    """True when the target's process exited, crashed or hung during this check: the run
    can then never pass, whatever the check's severity."""

    @property
    def failing(self) -> bool:
        """True for a failure, an error, or an xfail that unexpectedly passed."""
        return self.outcome in _FAILING

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md JSON shape of one check (xfail outcomes folded into the 4 values)."""
        outcome: str = self.outcome
        message = self.message
        if self.outcome == "xfailed":
            outcome = "skipped"
        elif self.outcome == "xpassed":
            outcome = "failed"
        data: dict[str, Any] = {
            "id": self.id,
            "contract": self.contract,
            "severity": self.severity,
            "outcome": outcome,
            "message": message,
            "example": self.example,
            "timing": self.timing,
        }
        if self.output:
            data["output"] = self.output
        return data


@dataclass
class ConformanceReport:
    """Every check result of one run against one target."""

    target: str
    contracts: list[str]
    seed: int
    results: list[CheckResult]
    duration: float = 0.0
    kit_version: str = "0.2.1"
    isolated: bool = False
    """True when the target ran in a child process the kit supervised."""

    @property
    def passed(self) -> bool:
        """True when no must-check failed, erred or unexpectedly passed its xfail, and the
        target's process never exited, crashed or hung during a check."""
        return not any((r.failing and r.severity == "must") or r.aborted for r in self.results)

    @property
    def level(self) -> Level:
        """``full`` (every must and should passed), ``conforming`` (every must), or not.

        A check skipped on request or marked xfail did not pass: it caps the level.
        """
        if any(self._short_of(r) for r in self.results if r.severity == "must"):
            return "non-conforming"
        if any(self._short_of(r) for r in self.results):
            return "conforming"
        return "full"

    @staticmethod
    def _short_of(result: CheckResult) -> bool:
        return result.failing or result.outcome == "xfailed" or result.waived

    def failed(self, severity: Severity | None = None) -> list[CheckResult]:
        """Results that failed, erred or xpassed, optionally only of one severity."""
        return [
            r for r in self.results if r.failing and (severity is None or r.severity == severity)
        ]

    def failed_ids(self, severity: Severity | None = "must") -> set[str]:
        """The ids of failing checks (must-checks by default)."""
        return {r.id for r in self.failed(severity)}

    def result(self, check_id: str, contract: str | None = None) -> CheckResult:
        """Return the result of ``check_id`` (in ``contract``, for the signature checks)."""
        for r in self.results:
            if r.id == check_id and (contract is None or r.contract == contract):
                return r
        raise KeyError(f"no result for check {check_id!r} in this report")

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md JSON object, plus ``level``, ``seed`` and ``kit_version``."""
        return {
            "target": self.target,
            "contracts": list(self.contracts),
            "passed": self.passed,
            "checks": [r.to_json() for r in self.results],
            "level": self.level,
            "seed": self.seed,
            "kit_version": self.kit_version,
            "isolated": self.isolated,
        }
