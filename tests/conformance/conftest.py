"""Run the kit once per target per session (fixed seed) and share the reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance._catalog import KNOWN_KIT_ISSUES, Target
from conformance.generate_matrix import run_target

_reports: dict[str, Any] = {}


def report_for(target: Target) -> Any:
    """The kit's report on ``target`` (computed once per session)."""
    if target.name not in _reports:
        _reports[target.name] = run_target(target)
    return _reports[target.name]


@pytest.fixture(scope="session")
def report_of() -> Callable[[Target], Any]:
    """Return the session-wide memoised runner: one kit run per target."""
    return report_for


def known_issue(target: Target) -> Any:
    """pytest.param marks for a target with a known kit issue (strict xfail)."""
    reason = KNOWN_KIT_ISSUES.get(target.name)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(target, id=target.name, marks=marks)


JSON_OUTCOMES = {"passed", "failed", "skipped", "error"}


def assert_json_shape(data: object) -> None:
    """Assert ``data`` is exactly the DESIGN.md ``--json`` object (extra keys allowed)."""
    assert isinstance(data, dict), f"expected a JSON object, got {type(data).__name__}"
    for key, kind in (("target", str), ("contracts", list), ("passed", bool), ("checks", list)):
        assert key in data, f"missing key {key!r} in {sorted(data)}"
        assert isinstance(data[key], kind), f"{key!r} is {type(data[key]).__name__}"
    assert all(isinstance(c, str) for c in data["contracts"]), data["contracts"]
    assert data["checks"], "no checks reported"
    for check in data["checks"]:
        assert isinstance(check, dict), check
        assert set(check) >= {"id", "contract", "severity", "outcome", "message", "example"}
        assert isinstance(check["id"], str) and check["id"], check
        assert isinstance(check["contract"], str), check
        assert check["severity"] in {"must", "should"}, check
        assert check["outcome"] in JSON_OUTCOMES, check
        assert isinstance(check["message"], str), check
        assert check["example"] is None or isinstance(check["example"], str), check
    musts_ok = all(
        c["outcome"] != "failed" and c["outcome"] != "error"
        for c in data["checks"]
        if c["severity"] == "must"
    )
    assert data["passed"] is musts_ok, "'passed' disagrees with the must checks' outcomes"
