"""The registry of checks, the contract names and the kit levels.

The contracts themselves are `Contract` objects in `_contracts`; ``CONTRACTS``,
``PROTOCOLS`` and `resolve_contract` here are views of that registry, kept for callers.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable

from ._contracts import contract_named, contracts
from ._info import CheckInfo
from ._texts import CHECKS

__all__ = [
    "CONTRACTS",
    "KIT_VERSION",
    "PROTOCOLS",
    "TIMING_IDS",
    "all_checks",
    "check_info",
    "checks_for",
    "closest_ids",
    "parse_level",
    "resolve_contract",
]

KIT_VERSION = "0.2.1"

CONTRACTS: tuple[str, ...] = tuple(c.name for c in contracts())
"""The built-in contract names (a snapshot; `_contracts.contracts()` is the live registry)."""

PROTOCOLS: dict[str, type] = {c.name: c.protocol for c in contracts()}
"""Contract name -> Protocol (a snapshot of the registry, kept for callers)."""

TIMING_IDS: frozenset[str] = frozenset(
    {
        "cache.threads",
        "provider.threads",
        "provider.registry.threads",
        "executor.async.nonblocking",
        "executor.concurrency",
        "executor.cancel",
        "operations.parallel.concurrent",
        "operations.cancel",
        "monitor.threads",
        "monitor.report.consistent",
        "retry.backoff",
        "retry.refusals",
        "metrics.counts",
        "metrics.times",
        "context.cleanup",
        "version.stable",
    }
)
"""Checks whose verdict depends on timing (threads racing, overlap, cancellation, spacing).

Every other check's verdict is a function of (target, kit version, seed). A new check that
measures timing adds its id here; `list`, the JSON and the table then mark it."""

_CHECKS: tuple[CheckInfo, ...] = tuple(
    dataclasses.replace(c, timing=c.id in TIMING_IDS) for c in CHECKS
)
_BY_ID: dict[str, CheckInfo] = {c.id: c for c in _CHECKS}


def all_checks() -> list[CheckInfo]:
    """Return every check in contract-page order (signature checks once, as "signature")."""
    return list(_CHECKS)


def check_info(check_id: str) -> CheckInfo:
    """Return the `CheckInfo` of ``check_id``; raise ``KeyError`` naming the closest ids."""
    try:
        return _BY_ID[check_id]
    except KeyError:
        raise KeyError(unknown_id_message(check_id)) from None


def unknown_id_message(check_id: str) -> str:
    """Say that ``check_id`` is unknown and which ids are closest."""
    close = closest_ids(check_id)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown check id {check_id!r}{hint} (`aiecs-conformance list` prints every id)"


def closest_ids(check_id: str, n: int = 3) -> list[str]:
    """Return up to ``n`` known check ids closest to ``check_id``."""
    return difflib.get_close_matches(check_id, list(_BY_ID), n=n, cutoff=0.5)


def checks_for(contract: str, level: tuple[int, ...] | None = None) -> list[CheckInfo]:
    """Return the checks run for ``contract``: the signature checks first, then its own."""
    picked = [c for c in _CHECKS if c.contract == "signature"]
    picked += [c for c in _CHECKS if c.contract == contract]
    borrowed = contract_named(contract).borrows
    picked += [c for c in _CHECKS if c.id in borrowed]
    if level is not None:
        picked = [c for c in picked if parse_level(c.since) <= level]
    return picked


def parse_level(version: str) -> tuple[int, ...]:
    """Parse a kit level such as ``"0.1"`` or ``"0.1.0"``; raise ``ValueError`` otherwise."""
    parts = str(version).strip().split(".")
    try:
        numbers = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(
            f"kit level {version!r} is not a version; expected numbers separated by dots, "
            f"such as '0.1' (the current kit is {KIT_VERSION})"
        ) from None
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers = numbers[:-1]
    return numbers


def resolve_contract(contract: str | type) -> str:
    """Map a contract name, Protocol name or Protocol class to the contract name."""
    return contract_named(contract).name


def validate_ids(ids: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` for the first id in ``ids`` that is not a check id."""
    for check_id in ids:
        if check_id not in _BY_ID:
            raise ValueError(f"{what}: {unknown_id_message(check_id)}")
