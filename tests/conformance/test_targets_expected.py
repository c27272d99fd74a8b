"""Every target fails exactly the check ids it declares; correct targets reach ``full``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest

import aiecs_conformance
from conformance._catalog import Target, discover
from conformance.generate_matrix import all_targets

from .conftest import assert_json_shape, known_issue

CATALOGUE = discover()
EVERY = all_targets()
CORRECT = [t for t in CATALOGUE if t.correct]
FLAWED = [t for t in CATALOGUE if not t.correct]
Report = Callable[[Target], Any]


def test_catalogue_has_enough_targets() -> None:
    """At least one correct and three flawed targets per contract."""
    for contract in aiecs_conformance.CONTRACTS:
        assert any(t.contract == contract for t in CORRECT), f"no correct {contract} target"
        flawed = [t.name for t in FLAWED if t.contract == contract]
        assert len(flawed) >= 3, f"{contract}: only {flawed}"


def test_declared_ids_exist() -> None:
    """Every id a target expects to fail is a real check of its contract (or signature.*)."""
    known = {(c.contract, c.id) for c in aiecs_conformance.all_checks()}
    for t in CATALOGUE:
        for check_id in (t.expected_must or frozenset()) | (t.expected_should or frozenset()):
            contract = "signature" if check_id.startswith("signature.") else t.contract
            assert (contract, check_id) in known, f"{t.name}: unknown check id {check_id!r}"


@pytest.mark.parametrize("target", [known_issue(t) for t in CATALOGUE])
def test_exact_failures(target: Target, report_of: Report) -> None:
    """The kit fails exactly the declared must ids (and should ids) of each target."""
    report = report_of(target)
    assert set(report.failed_ids("must")) == target.expected_must
    assert set(report.failed_ids("should")) == target.expected_should
    assert report.level == target.expected_level
    assert not [r.id for r in report.results if r.outcome == "error"], "a check crashed"


@pytest.mark.parametrize("target", [pytest.param(t, id=t.name) for t in CORRECT])
def test_correct_targets_are_full(target: Target, report_of: Report) -> None:
    """Independent correct implementations pass every must and should check."""
    report = report_of(target)
    assert report.passed
    assert report.level == "full", [(r.id, r.message) for r in report.failed()]


@pytest.mark.parametrize("target", [pytest.param(t, id=t.name) for t in FLAWED])
def test_docstring_names_its_checks(target: Target) -> None:
    """Each flawed target's docstring says which check(s) must catch it."""
    module = importlib.import_module(target.spec.partition(":")[0])
    doc = module.__doc__ or ""
    for check_id in (target.expected_must or frozenset()) | (target.expected_should or set()):
        assert f"``{check_id}``" in doc, f"{target.name}: docstring does not name {check_id}"


@pytest.mark.parametrize("target", [pytest.param(t, id=t.name) for t in EVERY])
def test_json_shape(target: Target, report_of: Report) -> None:
    """``ConformanceReport.to_json()`` has the DESIGN.md shape for every target."""
    assert_json_shape(report_of(target).to_json())


def test_every_check_fails_somewhere(report_of: Report) -> None:
    """A check that never fails on any target is itself a defect."""
    failed: set[str] = set()
    for target in CATALOGUE:
        report = report_of(target)
        failed |= set(report.failed_ids("must")) | set(report.failed_ids("should"))
    every = {c.id for c in aiecs_conformance.all_checks()}
    assert every - failed == set(), f"no target makes these checks fail: {sorted(every - failed)}"


def test_reference_runtime_conforms(report_of: Report) -> None:
    """The reference runtime, when present, passes every must check."""
    runtime = [t for t in EVERY if t.name.startswith("runtime:")]
    if not runtime:
        pytest.skip("aiecs_runtime.factories does not exist yet")
    for target in runtime:
        report = report_of(target)
        assert report.passed, (target.name, sorted(report.failed_ids("must")))
