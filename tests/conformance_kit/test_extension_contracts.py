"""The five extension contracts: registered, auto-detected, suites, borrowed executor checks."""

from __future__ import annotations

from typing import Any

import pytest

import aiecs_conformance as ac
from aiecs_conformance import suites
from aiecs_conformance._contracts import contract_named
from aiecs_conformance._registry import checks_for

pytest_plugins = ["pytester"]

EXTENSIONS = {
    "retrying-executor": ("retrying_executor", "RetryingExecutorSuite", "retry."),
    "tool-executor-v2": ("tool_executor_v2", "ToolExecutorV2Suite", "metrics."),
    "async-context-executor": ("async_context_executor", "AsyncContextExecutorSuite", "context."),
    "versioned": ("versioned", "VersionedSuite", "version."),
    "interface-monitor": ("interface_monitor", "InterfaceMonitorSuite", "monitor."),
}


@pytest.mark.parametrize("contract", list(EXTENSIONS))
def test_registered_with_their_own_checks_and_suite(contract: str) -> None:
    _, suite, prefix = EXTENSIONS[contract]
    assert contract in ac.CONTRACTS
    own = [c.id for c in checks_for(contract) if c.contract == contract]
    assert own and all(i.startswith(prefix) for i in own)
    assert getattr(suites, suite).contract == contract


@pytest.mark.parametrize("contract", list(EXTENSIONS))
def test_auto_detection_finds_the_runtime_factory(contract: str) -> None:
    factory = EXTENSIONS[contract][0]
    report = ac.check(f"aiecs_runtime.factories:{factory}", seed=1, max_examples=2)
    assert contract in report.contracts


def test_v2_runs_the_executor_checks_on_execute() -> None:
    borrowed = contract_named("tool-executor-v2").borrows
    assert "executor.errors.propagate" in borrowed and "executor.private_refused" in borrowed
    ids = [c.id for c in checks_for("tool-executor-v2")]
    assert set(borrowed) <= set(ids)
    assert not any(i.startswith("executor.async.") for i in ids)  # V2 has no execute_async


class _SwallowingV2:
    """A V2 whose ``execute`` turns the op's failure into ``None``; metrics are right."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        if not operation_name.isidentifier() or operation_name.startswith("_"):
            raise ValueError(operation_name)
        try:
            return getattr(tool, operation_name)(**params)
        except AttributeError:
            raise
        except Exception:
            return None

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        if not operation_name.isidentifier() or operation_name.startswith("_"):
            raise ValueError(operation_name)
        result = getattr(tool, operation_name)(**params)
        return await result if hasattr(result, "__await__") else result


def test_a_broken_execute_fails_the_borrowed_id_under_v2() -> None:
    report = ac.check(
        _SwallowingV2, "tool-executor-v2", seed=3, max_examples=5,
        only=["executor.errors.propagate", "metrics.result"],
    )  # fmt: skip
    outcomes = {r.id: (r.contract, r.outcome) for r in report.results}
    assert outcomes["executor.errors.propagate"] == ("tool-executor-v2", "failed")
    assert outcomes["metrics.result"] == ("tool-executor-v2", "passed")


SUITE_FILE = """
from aiecs_conformance.suites import InterfaceMonitorSuite, VersionedSuite
from conformance.targets import correct_versioned, version_v_prefix, monitor_live_report

class TestGoodVersion(VersionedSuite):
    factory = staticmethod(correct_versioned.factory)

class TestTaggedVersion(VersionedSuite):
    factory = staticmethod(version_v_prefix.factory)

class TestLiveMonitor(InterfaceMonitorSuite):
    factory = staticmethod(monitor_live_report.factory)
    xfail = {"monitor.isolation": "hands out its own dicts, known",
             "monitor.report.consistent": "follows from the live dicts"}
"""


def test_suites_of_the_extensions_run_under_pytest(pytester: pytest.Pytester) -> None:
    import pathlib

    pytester.syspathinsert(str(pathlib.Path(__file__).resolve().parents[2]))
    pytester.makepyfile(test_ext=SUITE_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider", "-q", "--aiecs-seed", "1")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines(["*TestTaggedVersion*version.format*"])
    assert outcomes.get("xfailed") == 2
