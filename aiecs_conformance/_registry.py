"""The registry of checks, the contract names and the kit levels."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

from aiecs_contracts import (
    ExecutionInterface,
    IAsyncContextExecutor,
    ICacheProvider,
    IInterfaceMonitor,
    IOperationExecutor,
    IRetryingToolExecutor,
    IToolExecutor,
    IToolExecutorV2,
    IToolProvider,
    VersionedInterface,
)

from ._info import CheckInfo
from ._texts import CHECKS

__all__ = [
    "BORROWED",
    "CONTRACTS",
    "HARNESSES",
    "KIT_VERSION",
    "PROTOCOLS",
    "all_checks",
    "check_info",
    "checks_for",
    "closest_ids",
    "parse_level",
    "resolve_contract",
]

KIT_VERSION = "0.1.0"

CONTRACTS: tuple[str, ...] = (
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

PROTOCOLS: dict[str, type] = {
    "tool-provider": IToolProvider,
    "tool-executor": IToolExecutor,
    "cache-provider": ICacheProvider,
    "operation-executor": IOperationExecutor,
    "execution-interface": ExecutionInterface,
    "retrying-executor": IRetryingToolExecutor,
    "tool-executor-v2": IToolExecutorV2,
    "async-context-executor": IAsyncContextExecutor,
    "versioned": VersionedInterface,
    "interface-monitor": IInterfaceMonitor,
}

HARNESSES: dict[str, tuple[str, ...]] = {
    "tool-provider": ("tools",),
    "tool-executor": (),
    "cache-provider": (),
    "operation-executor": ("tools",),
    "execution-interface": ("tools", "tasks"),
    "retrying-executor": (),
    "tool-executor-v2": (),
    "async-context-executor": ("tools",),
    "versioned": (),
    "interface-monitor": (),
}
"""The arguments each contract's factory takes (DESIGN.md's harness conventions)."""


def _execute_view(target: Any) -> Any:
    from .checks._ext_probes import execute_view

    return execute_view(target)


BORROWED: dict[str, tuple[tuple[str, ...], Callable[[Any], Any]]] = {
    # CONTRACTS.md: IToolExecutorV2's ``execute`` is held to these executor checks; they
    # run on a view of the target whose sync and async paths are both its ``execute``.
    "tool-executor-v2": (
        (
            "executor.sync.result",
            "executor.sync.no_coroutine_leak",
            "executor.params.passthrough",
            "executor.errors.propagate",
            "executor.errors.typed",
            "executor.unknown_op",
            "executor.private_refused",
        ),
        _execute_view,
    ),
}
"""Checks of another contract a contract runs too, and the view of the target they see."""

_BY_ID: dict[str, CheckInfo] = {c.id: c for c in CHECKS}


def all_checks() -> list[CheckInfo]:
    """Return every check in CONTRACTS.md order (signature checks once, as "signature")."""
    return list(CHECKS)


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
    picked = [c for c in CHECKS if c.contract == "signature"]
    picked += [c for c in CHECKS if c.contract == contract]
    borrowed = BORROWED.get(contract, ((), None))[0]
    picked += [c for c in CHECKS if c.id in borrowed]
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


_ALIASES: dict[str, str] = {}
for _name, _proto in PROTOCOLS.items():
    _ALIASES[_name] = _name
    _ALIASES[_proto.__name__] = _name
    _ALIASES[_proto.__name__.lower()] = _name
    _ALIASES[_name.replace("-", "_")] = _name


def resolve_contract(contract: str | type) -> str:
    """Map a contract name, Protocol name or Protocol class to the contract name."""
    if isinstance(contract, type):
        for name, proto in PROTOCOLS.items():
            if proto is contract:
                return name
        raise ValueError(
            f"{contract.__name__} is not one of the checked Protocols; expected one of "
            f"{', '.join(p.__name__ for p in PROTOCOLS.values())}"
        )
    key = str(contract).strip()
    found = _ALIASES.get(key) or _ALIASES.get(key.lower())
    if found is None:
        close = difflib.get_close_matches(key, list(_ALIASES), n=2, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"unknown contract {contract!r}{hint}; expected one of {', '.join(CONTRACTS)} "
            f"(or a Protocol name such as ICacheProvider)"
        )
    return found


def validate_ids(ids: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` for the first id in ``ids`` that is not a check id."""
    for check_id in ids:
        if check_id not in _BY_ID:
            raise ValueError(f"{what}: {unknown_id_message(check_id)}")
