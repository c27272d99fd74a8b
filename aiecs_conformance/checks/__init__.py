"""Check implementations, one function per id, registered with `implements`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .._context import Context

__all__ = ["IMPLEMENTATIONS", "Implementation", "implements", "load_all"]

CheckFunction = Callable[[Context], None]


@dataclass(frozen=True)
class Implementation:
    """How to run one check, and which members of the target it calls."""

    id: str
    function: CheckFunction
    uses: tuple[str, ...]
    budget: float = 1.0  # multiple of the per-call timeout the whole check may take


IMPLEMENTATIONS: dict[str, Implementation] = {}


def implements(
    check_id: str, *, uses: tuple[str, ...] = (), budget: float = 1.0
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the implementation of ``check_id``."""

    def decorate(function: CheckFunction) -> CheckFunction:
        assert check_id not in IMPLEMENTATIONS, f"{check_id} implemented twice"
        IMPLEMENTATIONS[check_id] = Implementation(check_id, function, uses, budget)
        return function

    return decorate


def load_all() -> dict[str, Implementation]:
    """Import every check module (registering them) and return the registry."""
    from . import (
        _cache,
        _context_exec,
        _engine,
        _executor,
        _metrics,
        _monitor,
        _operations,
        _provider,
        _retry,
        _signature,
        _version,
    )

    del _cache, _engine, _executor, _operations, _provider, _signature
    del _context_exec, _metrics, _monitor, _retry, _version
    return IMPLEMENTATIONS
