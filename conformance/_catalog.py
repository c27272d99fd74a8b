"""The catalogue of conformance targets and one deterministic way to run the kit on them.

Shared by ``generate_matrix.py`` and ``tests/conformance`` so both judge the same runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

__all__ = [
    "CONTRACTS",
    "KNOWN_KIT_ISSUES",
    "MAX_EXAMPLES",
    "RUNTIME_MODULE",
    "SEED",
    "Target",
    "discover",
    "runtime_targets",
]

SEED = 20240601
"""The fixed seed every catalogued run uses, so the matrix is reproducible."""

MAX_EXAMPLES: int | None = None
"""Examples per property: ``None`` keeps the kit's default profile."""

CONTRACTS = (
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

# Targets on which the kit disagrees with the contract pages (conformance/KIT_FINDINGS.md). The
# tests on these are strict xfails, so this table cannot outlive the kit's fixes. Empty
# since kit commit 410ad86 fixed findings 1-7.
KNOWN_KIT_ISSUES: dict[str, str] = {}

RUNTIME_MODULE = "aiecs_runtime.factories"
_RUNTIME_ATTRS = {
    "tool-provider": "tool_provider",
    "tool-executor": "tool_executor",
    "cache-provider": "cache_provider",
    "operation-executor": "operation_executor",
    "execution-interface": "execution_interface",
    "retrying-executor": "retrying_executor",
    "tool-executor-v2": "tool_executor_v2",
    "async-context-executor": "async_context_executor",
    "versioned": "versioned",
    "interface-monitor": "interface_monitor",
}

# Modules in conformance/targets that are not single-contract targets.
_NOT_TARGETS = frozenset({"broken_import", "correct_all"})

TARGETS_DIR = Path(__file__).parent / "targets"


@dataclass(frozen=True)
class Target:
    """One implementation to check against one contract, with the outcome it must produce."""

    name: str
    spec: str
    contract: str
    expected_must: frozenset[str] | None
    expected_should: frozenset[str] | None
    doc: str = ""

    @property
    def correct(self) -> bool:
        """True for targets expected to pass every must and should check."""
        return self.expected_must == frozenset() and self.expected_should == frozenset()

    @property
    def expected_level(self) -> str | None:
        """The conformance level the expected failures imply (None when not stated)."""
        if self.expected_must is None or self.expected_should is None:
            return None
        if self.expected_must:
            return "non-conforming"
        return "conforming" if self.expected_should else "full"


def _summary(module: Any) -> str:
    doc = getattr(module, "__doc__", None) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _ids(values: frozenset[object]) -> frozenset[str]:
    return frozenset(str(v) for v in values)


def discover() -> list[Target]:
    """Import every target module in ``conformance/targets`` and describe it."""
    out: list[Target] = []
    for info in sorted(pkgutil.iter_modules([str(TARGETS_DIR)]), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _NOT_TARGETS:
            continue
        module = importlib.import_module(f"conformance.targets.{info.name}")
        contract = getattr(module, "CONTRACT", None)
        if contract not in CONTRACTS:
            raise ValueError(
                f"conformance/targets/{info.name}.py has CONTRACT={contract!r}; expected one "
                f"of {', '.join(CONTRACTS)}"
            )
        must: object = getattr(module, "EXPECTED_MUST_FAILURES", None)
        should: object = getattr(module, "EXPECTED_SHOULD_FAILURES", frozenset[str]())
        if not isinstance(must, frozenset) or not isinstance(should, frozenset):
            raise ValueError(
                f"conformance/targets/{info.name}.py needs EXPECTED_MUST_FAILURES (and may "
                f"have EXPECTED_SHOULD_FAILURES): frozensets of check ids, empty for a "
                f"correct target"
            )
        out.append(
            Target(
                name=info.name,
                spec=f"conformance.targets.{info.name}:factory",
                contract=str(contract),
                expected_must=_ids(cast("frozenset[object]", must)),
                expected_should=_ids(cast("frozenset[object]", should)),
                doc=_summary(module),
            )
        )
    return out


def runtime_targets() -> list[Target]:
    """The reference runtime's factories, when ``aiecs_runtime.factories`` exists."""
    try:
        found = importlib.util.find_spec(RUNTIME_MODULE) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        return []
    module = importlib.import_module(RUNTIME_MODULE)
    return [
        Target(
            name=f"runtime:{attr}",
            spec=f"{RUNTIME_MODULE}:{attr}",
            contract=contract,
            expected_must=frozenset(),
            expected_should=None,  # the runtime's should-level results are reported only
            doc=f"aiecs_runtime reference implementation ({attr})",
        )
        for contract, attr in _RUNTIME_ATTRS.items()
        if callable(getattr(module, attr, None))
    ]
