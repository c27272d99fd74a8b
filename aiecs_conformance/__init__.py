"""The conformance kit: check any implementation against the execution contracts.

    >>> import aiecs_conformance as ac
    >>> report = ac.check("mypkg.cache:MyCache", "cache-provider")
    >>> report.passed, report.level, report.failed_ids()

Every invariant of the contracts is one check with that id; `all_checks()` lists them.
The target runs in a child process the kit supervises (``check(..., isolate=False)``
keeps it in this process, for debugging); the contracts are `Contract` objects in one
registry, and a run's options are one frozen `RunOptions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import strategies
from ._contracts import Contract, contracts
from ._info import CheckInfo
from ._options import RunOptions
from ._registry import CONTRACTS, KIT_VERSION, all_checks
from ._report import CheckResult, ConformanceReport
from ._runner import check
from ._target import TargetError

if TYPE_CHECKING:
    from .suites import (
        CacheProviderSuite,
        ExecutionInterfaceSuite,
        OperationExecutorSuite,
        ToolExecutorSuite,
        ToolProviderSuite,
    )

__all__ = [
    "CONTRACTS",
    "KIT_VERSION",
    "CacheProviderSuite",
    "CheckInfo",
    "CheckResult",
    "ConformanceReport",
    "Contract",
    "ExecutionInterfaceSuite",
    "OperationExecutorSuite",
    "RunOptions",
    "TargetError",
    "ToolExecutorSuite",
    "ToolProviderSuite",
    "all_checks",
    "check",
    "strategies",
]


def __getattr__(name: str) -> Any:
    # The suites import pytest; load them only when asked for, so the library and the CLI
    # work without pytest being imported. Every registered contract's suite name resolves.
    if name in {c.suite for c in contracts()}:
        from . import suites

        return getattr(suites, name)
    raise AttributeError(f"module 'aiecs_conformance' has no attribute {name!r}")
