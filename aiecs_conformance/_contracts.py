"""The contracts the kit checks, as objects: one frozen `Contract` per contract, one registry.

Everything that differs between contracts lives here — its name and aliases, its Protocol,
how the harness builds the factory's arguments from fresh probe tools and tasks, the human
convention string (``"(tools, tasks)"``), the pytest suite class name and the docs page.
The runner, the CLI, the suites, `_registry` and ``conformance/generate_matrix.py`` read
these objects and never branch on a contract's name.

Adding a contract is one entry here plus its check module in ``checks/``::

    from aiecs_conformance._contracts import TOOLS, Contract, register

    register(
        Contract(
            name="retrying-executor",
            protocol=IRetryingExecutor,
            harness=TOOLS,                      # or NO_ARGS, TOOLS_AND_TASKS, your own
            convention="(tools)",
            suite="RetryingExecutorSuite",
            docs="retrying-executor",
            summary="retries of a failing op",
        )
    )

``register`` is best called from this module (append to `_BUILTIN`) so every process —
including the child the supervisor starts — sees the same registry on import.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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

from ._probes import CallLog, ProbeTool, make_tasks

__all__ = [
    "NO_ARGS",
    "TOOLS",
    "TOOLS_AND_TASKS",
    "Contract",
    "Harness",
    "Probes",
    "contract_named",
    "contracts",
    "fresh_probes",
    "register",
]


@dataclass(frozen=True)
class Probes:
    """Fresh probe tools ``t`` and ``other`` and the engine tasks, all recording in ``log``."""

    log: CallLog
    tools: Mapping[str, ProbeTool]
    tasks: Mapping[str, Callable[..., Any]]

    @property
    def tool(self) -> ProbeTool:
        """The probe tool ``t`` most checks call."""
        return self.tools["t"]


def fresh_probes() -> Probes:
    """New probes sharing one new `CallLog`."""
    log = CallLog()
    tools = {"t": ProbeTool("t", log), "other": ProbeTool("other", log)}
    return Probes(log, tools, make_tasks(log))


Harness = Callable[[Probes], tuple[Any, ...]]
"""Builds the factory's positional arguments from fresh probes."""


def _no_args(probes: Probes) -> tuple[Any, ...]:
    del probes
    return ()


def _tools(probes: Probes) -> tuple[Any, ...]:
    return (dict(probes.tools),)


def _tools_and_tasks(probes: Probes) -> tuple[Any, ...]:
    return (dict(probes.tools), dict(probes.tasks))


NO_ARGS: Harness = _no_args
TOOLS: Harness = _tools
TOOLS_AND_TASKS: Harness = _tools_and_tasks


@dataclass(frozen=True)
class Contract:
    """One checked contract: what it is called, what it checks and how it builds a target."""

    name: str
    protocol: type
    harness: Harness
    convention: str
    """How the factory is called, for people: ``"()"``, ``"(tools)"``, ``"(tools, tasks)"``."""
    suite: str
    """The pytest suite class name in `aiecs_conformance.suites`."""
    docs: str
    """The slug of the contract's docs page."""
    summary: str = ""
    aliases: tuple[str, ...] = field(default=())
    """Extra names accepted for ``--contract`` (the Protocol's names are always accepted)."""
    borrows: tuple[str, ...] = field(default=())
    """Ids of other contracts' checks this contract also runs, on ``view(target)``."""
    view: Callable[[Any], Any] | None = None
    """How the borrowed checks see the target (``None``: as it is)."""

    def args(self, probes: Probes | None = None) -> tuple[Any, ...]:
        """The factory's arguments, built from ``probes`` (fresh ones when omitted)."""
        return self.harness(probes if probes is not None else fresh_probes())

    def names(self) -> tuple[str, ...]:
        """Every name this contract answers to."""
        proto = self.protocol.__name__
        return (self.name, self.name.replace("-", "_"), proto, proto.lower(), *self.aliases)


_REGISTRY: dict[str, Contract] = {}


def register(contract: Contract) -> Contract:
    """Add ``contract`` to the registry (its name and aliases must be new); return it."""
    if contract.name in _REGISTRY:
        raise ValueError(f"contract {contract.name!r} is registered twice")
    taken = {n: c.name for c in _REGISTRY.values() for n in c.names()}
    for alias in contract.names():
        if alias in taken:
            raise ValueError(
                f"contract {contract.name!r}: name {alias!r} already means {taken[alias]!r}"
            )
    _REGISTRY[contract.name] = contract
    return contract


def contracts() -> tuple[Contract, ...]:
    """Every registered contract, in registration order (the order of the contract pages)."""
    return tuple(_REGISTRY.values())


def contract_named(contract: str | type | Contract) -> Contract:
    """The `Contract` for a name, an alias, a Protocol class or a `Contract`."""
    if isinstance(contract, Contract):
        return contract
    if isinstance(contract, type):
        for c in _REGISTRY.values():
            if c.protocol is contract:
                return c
        raise ValueError(
            f"{contract.__name__} is not one of the checked Protocols; expected one of "
            f"{', '.join(c.protocol.__name__ for c in _REGISTRY.values())}"
        )
    key = str(contract).strip()
    aliases = {n: c for c in _REGISTRY.values() for n in c.names()}
    found = aliases.get(key) or aliases.get(key.lower())
    if found is None:
        close = difflib.get_close_matches(key, list(aliases), n=2, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"unknown contract {contract!r}{hint}; expected one of "
            f"{', '.join(_REGISTRY)} (or a Protocol name such as ICacheProvider)"
        )
    return found


_BUILTIN: tuple[Contract, ...] = (
    Contract(
        name="tool-provider",
        protocol=IToolProvider,
        harness=TOOLS,
        convention="(tools)",
        suite="ToolProviderSuite",
        docs="tool-provider",
        summary="provider.* checks; factory(tools) builds the provider",
    ),
    Contract(
        name="tool-executor",
        protocol=IToolExecutor,
        harness=NO_ARGS,
        convention="()",
        suite="ToolExecutorSuite",
        docs="tool-executor",
        summary="executor.* checks; factory() builds the executor",
    ),
    Contract(
        name="cache-provider",
        protocol=ICacheProvider,
        harness=NO_ARGS,
        convention="()",
        suite="CacheProviderSuite",
        docs="cache-provider",
        summary="cache.* checks; factory() builds a fresh empty cache",
    ),
    Contract(
        name="operation-executor",
        protocol=IOperationExecutor,
        harness=TOOLS,
        convention="(tools)",
        suite="OperationExecutorSuite",
        docs="operation-executor",
        summary="operations.* checks; factory(tools) builds the executor",
    ),
    Contract(
        name="execution-interface",
        protocol=ExecutionInterface,
        harness=TOOLS_AND_TASKS,
        convention="(tools, tasks)",
        suite="ExecutionInterfaceSuite",
        docs="execution-interface",
        summary="engine.* checks; factory(tools, tasks) builds the engine",
    ),
)


def _execute_view(target: Any) -> Any:
    from .checks._ext_probes import execute_view

    return execute_view(target)


# The seed's extension contracts (docs/contracts: retrying executor ... interface monitor).
_EXTENSIONS: tuple[Contract, ...] = (
    Contract(
        name="retrying-executor",
        protocol=IRetryingToolExecutor,
        harness=NO_ARGS,
        convention="()",
        suite="RetryingExecutorSuite",
        docs="retrying-executor",
        summary="retry.* checks of the retrying executor",
    ),
    Contract(
        name="tool-executor-v2",
        protocol=IToolExecutorV2,
        harness=NO_ARGS,
        convention="()",
        suite="ToolExecutorV2Suite",
        docs="tool-executor-v2",
        summary="metrics.* checks, and the executor checks on execute",
        # IToolExecutorV2's execute is held to these executor checks; they run on a view
        # whose sync and async paths are both the target's execute.
        borrows=(
            "executor.sync.result",
            "executor.sync.no_coroutine_leak",
            "executor.params.passthrough",
            "executor.errors.propagate",
            "executor.errors.typed",
            "executor.unknown_op",
            "executor.private_refused",
        ),
        view=_execute_view,
    ),
    Contract(
        name="async-context-executor",
        protocol=IAsyncContextExecutor,
        harness=TOOLS,
        convention="(tools)",
        suite="AsyncContextExecutorSuite",
        docs="async-context-executor",
        summary="context.* checks of the executor used in async with",
    ),
    Contract(
        name="versioned",
        protocol=VersionedInterface,
        harness=NO_ARGS,
        convention="()",
        suite="VersionedSuite",
        docs="versioned",
        summary="version.* checks of a versioned implementation",
    ),
    Contract(
        name="interface-monitor",
        protocol=IInterfaceMonitor,
        harness=NO_ARGS,
        convention="()",
        suite="InterfaceMonitorSuite",
        docs="interface-monitor",
        summary="monitor.* checks of a fresh, empty interface monitor",
    ),
)

for _contract in (*_BUILTIN, *_EXTENSIONS):
    register(_contract)
