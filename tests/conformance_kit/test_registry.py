"""The registry matches CONTRACTS.md exactly, and every check has an implementation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import aiecs_conformance as ac
from aiecs_conformance import _texts
from aiecs_conformance._registry import checks_for, parse_level, resolve_contract
from aiecs_conformance.checks import load_all

REPO = Path(__file__).resolve().parents[2]
CONTRACTS_MD = REPO.parent / "shared" / "CONTRACTS.md"


# The ids of CONTRACTS.md not implemented yet. This set may only shrink: the test fails
# when it names an id that is implemented, or when an id is missing and not named here.
PENDING: frozenset[str] = frozenset()


def _table() -> list[tuple[str, str, str]]:
    if not CONTRACTS_MD.is_file():
        pytest.skip(f"{CONTRACTS_MD} is absent (shared/ is expected beside the clone)")
    rows = []
    for line in CONTRACTS_MD.read_text().splitlines():
        m = re.match(r"^\| ([a-z_.]+) \| ([^|]+) \| (.*) \|$", line)
        if m and m.group(1) != "id":
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def _rendered(text: str) -> str:
    """CONTRACTS.md's text as the registry spells it: an empty code span (a bare pair of
    backticks, meaning the empty string) is written `''`, which renders visibly."""
    return re.sub(r"(?<!`)``(?!`)", "`''`", text)


def test_empty_name_reads_as_quotes() -> None:
    text = next(c.text for c in ac.all_checks() if c.id == "executor.private_refused")
    assert "`''`" in text and "``" not in text


def test_ids_severities_and_texts_match_contracts_md() -> None:
    table = [row for row in _table() if row[0] not in PENDING]
    ours = ac.all_checks()
    assert [c.id for c in ours] == [row[0] for row in table]
    for info, (check_id, severity, text) in zip(ours, table, strict=True):
        assert info.text == _rendered(text), check_id
        want = severity.split(",")[0]
        assert info.severity == want, check_id
        condition = severity.partition(", ")[2] or None
        assert info.condition == condition, check_id


def test_pending_is_exactly_what_is_missing() -> None:
    table = {row[0] for row in _table()}
    ours = {c.id for c in ac.all_checks()}
    assert table - ours == PENDING, "update PENDING: it must name exactly the ids not implemented"
    assert PENDING == _texts.PENDING
    assert not ours - table, "the registry has ids CONTRACTS.md does not"


def test_pending_texts_are_kept() -> None:
    # The texts of pending ids live in the registry's table already (one source of truth).
    assert {c.id for c in _texts._ALL} == {c.id for c in ac.all_checks()} | PENDING


def test_every_check_is_implemented() -> None:
    assert set(load_all()) == {c.id for c in ac.all_checks()}


def test_contracts_and_version() -> None:
    assert ac.KIT_VERSION == "0.2.1"
    assert ac.CONTRACTS == (
        "tool-provider",
        "tool-executor",
        "cache-provider",
        "operation-executor",
        "execution-interface",
        "retrying-executor",
        "tool-executor-v2",
        "async-context-executor",
        "versioned",
        "interface-monitor",
    )
    assert {c.contract for c in ac.all_checks()} == {*ac.CONTRACTS, "signature"}


def test_signature_checks_run_first_for_every_contract() -> None:
    for contract in ac.CONTRACTS:
        ids = [c.id for c in checks_for(contract)]
        assert ids[:4] == [
            "signature.members",
            "signature.async",
            "signature.parameters",
            "signature.annotations",
        ]
        assert len(ids) > 4


def test_contract_aliases() -> None:
    assert resolve_contract("ICacheProvider") == "cache-provider"
    assert resolve_contract("cache-provider") == "cache-provider"
    from aiecs_contracts import ExecutionInterface

    assert resolve_contract(ExecutionInterface) == "execution-interface"
    with pytest.raises(ValueError, match="cache-provider"):
        resolve_contract("cache-provder")


def test_kit_levels() -> None:
    assert parse_level("0.1") == parse_level("0.1.0") == (0, 1)
    assert checks_for("cache-provider", parse_level("0.0")) == []
    first = [c for c in checks_for("cache-provider") if c.since == "0.1"]
    assert checks_for("cache-provider", parse_level("0.1")) == first
    assert "cache.inputs.unchanged" not in {c.id for c in first}  # new in 0.2
    with pytest.raises(ValueError, match="not a version"):
        parse_level("latest")
