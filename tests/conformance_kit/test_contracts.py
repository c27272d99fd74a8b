"""Contracts as objects: one registry read by the runner, CLI, suites; options as one object."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import aiecs_conformance as ac
import aiecs_conformance._contracts as _contracts
from aiecs_conformance import suites
from aiecs_conformance._options import PROFILES, RunOptions, profile_named
from aiecs_conformance._registry import CONTRACTS, PROTOCOLS, resolve_contract

PACKAGE = Path(ac.__file__).parent
_NO_BRANCHES = ("_runner.py", "cli.py", "suites.py", "_supervisor.py", "_worker.py")


def test_registry_views_follow_the_contract_objects() -> None:
    names = tuple(c.name for c in _contracts.contracts())
    assert names == CONTRACTS
    for spec in _contracts.contracts():
        assert PROTOCOLS[spec.name] is spec.protocol
        assert resolve_contract(spec.protocol) == spec.name
        assert resolve_contract(spec.protocol.__name__) == spec.name
        assert resolve_contract(spec.name.replace("-", "_")) == spec.name


@pytest.mark.parametrize("spec", _contracts.contracts(), ids=lambda c: c.name)
def test_harness_matches_the_convention(spec: _contracts.Contract) -> None:
    args = spec.args()
    assert len(args) == spec.convention.count(",") + (spec.convention != "()")
    for arg in args:
        assert isinstance(arg, dict) and arg  # tools or tasks, freshly built
    if args:
        assert spec.args()[0] is not args[0]  # fresh probes per call


@pytest.mark.parametrize("spec", _contracts.contracts(), ids=lambda c: c.name)
def test_every_contract_has_a_suite(spec: _contracts.Contract) -> None:
    cls = getattr(suites, spec.suite)
    assert cls.contract == spec.name
    assert getattr(ac, spec.suite) is cls


def test_registering_a_contract_makes_its_suite_and_refuses_duplicates() -> None:
    extra = _contracts.Contract(
        name="toy-contract",
        protocol=type("IToyThing", (), {}),
        harness=_contracts.NO_ARGS,
        convention="()",
        suite="ToyContractSuite",
        docs="toy-contract",
    )
    _contracts.register(extra)
    try:
        assert _contracts.contract_named("itoything") is extra
        assert suites.ToyContractSuite.contract == "toy-contract"
        with pytest.raises(ValueError, match="registered twice"):
            _contracts.register(extra)
    finally:
        del _contracts._REGISTRY["toy-contract"]  # pyright: ignore[reportPrivateUsage]


def test_unknown_contract_names_the_closest() -> None:
    with pytest.raises(ValueError, match="did you mean 'cache-provider'"):
        resolve_contract("cache-provider2")


def test_no_branch_on_a_contract_name_in_the_runner_cli_or_suites() -> None:
    names = "|".join(re.escape(c.name) for c in _contracts.contracts())
    branch = re.compile(rf"(==|!=|\bin\b|\bif\b)[^\n]*[\"']({names})[\"']")
    for name in _NO_BRANCHES:
        path = PACKAGE / name
        if not path.exists():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not branch.search(line), f"{name}:{n} branches on a contract name: {line}"


def test_run_options_are_one_frozen_validated_object() -> None:
    opts = RunOptions.build(seed=3, max_examples=4, timeout=2)
    assert (opts.seed, opts.max_examples, opts.timeout, opts.profile) == (3, 4, 2.0, "dev")
    with pytest.raises(AttributeError):
        opts.seed = 4  # type: ignore[misc]
    assert RunOptions.build(profile="ci").derandomize
    assert PROFILES["ci"]["max_examples"] == profile_named("ci").max_examples


@pytest.mark.parametrize("bad", [0, -1, math.inf, math.nan, "5"])
def test_timeout_must_be_finite_and_positive(bad: object) -> None:
    with pytest.raises(ValueError, match="timeout"):
        RunOptions.build(timeout=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -2, True, 2.5])
def test_max_examples_must_be_a_positive_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="max_examples"):
        RunOptions.build(max_examples=bad)  # type: ignore[arg-type]
