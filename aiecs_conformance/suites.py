"""pytest suites: subclass one, set ``factory``, and get one test per check id.

    class TestMyCache(CacheProviderSuite):
        factory = staticmethod(MyCache)
        xfail = {"cache.threads": "not thread-safe yet, issue 12"}
        skip = ("cache.key.stable_across_processes",)

Tests are named ``test_conformance[<check id>]``, so ``-k cache.roundtrip`` selects one.
A failure shows the reason, the smallest example and the seed to reproduce it.

Every contract of the registry (`aiecs_conformance._contracts`) has a suite named by its
``Contract.suite``: the five built-in ones are written out below (so type checkers see
them); any other registered contract's suite is made on first access by `suite_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import pytest

from ._contracts import Contract, contract_named, contracts
from ._registry import checks_for, validate_ids
from ._report import ConformanceReport
from ._runner import check
from .pytest_plugin import session_seed

__all__ = [
    "CacheProviderSuite",
    "ExecutionInterfaceSuite",
    "OperationExecutorSuite",
    "ToolExecutorSuite",
    "ToolProviderSuite",
    "suite_for",
]


class _Suite:
    """One test per check of ``contract``, run against ``factory``."""

    contract: ClassVar[str] = ""
    factory: ClassVar[Callable[..., Any] | None] = None
    xfail: ClassVar[Mapping[str, str]] = {}
    skip: ClassVar[tuple[str, ...]] = ()
    max_examples: ClassVar[int | None] = None
    seed: ClassVar[int | None] = None
    timeout: ClassVar[float] = 5.0

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize ``test_conformance`` with every check id of the contract."""
        if "check_id" not in metafunc.fixturenames:
            return
        cls = type(self)
        validate_ids(cls.xfail, f"{cls.__name__}.xfail")
        validate_ids(cls.skip, f"{cls.__name__}.skip")
        params: list[Any] = []
        for info in checks_for(cls.contract):
            marks: list[pytest.MarkDecorator] = []
            reason: object = cls.xfail.get(info.id)
            if reason is not None:
                if not isinstance(reason, str) or not reason.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
                    raise ValueError(
                        f"{cls.__name__}.xfail[{info.id!r}] has no reason; say why it is "
                        f"expected to fail"
                    )
                marks.append(pytest.mark.xfail(reason=str(reason), strict=True))
            if info.id in cls.skip:
                marks.append(pytest.mark.skip(reason=f"{info.id} skipped by {cls.__name__}.skip"))
            params.append(pytest.param(info.id, id=info.id, marks=marks))
        metafunc.parametrize("check_id", params)

    def test_conformance(self, check_id: str, request: pytest.FixtureRequest) -> None:
        """Assert this id's outcome in the class's shared, supervised run; fail with its reason.

        The first test of a class runs every selected id of the contract in one child
        process the kit supervises (a target that exits or crashes errs its check, never
        the pytest session); the other tests read their own id's result from that run.
        """
        cls = type(self)
        if cls.factory is None:
            pytest.fail(f"{cls.__name__} sets no factory; add `factory = staticmethod(...)`")
        report = _shared_report(cls, request)
        try:
            result = report.result(check_id, cls.contract)
        except KeyError:
            pytest.skip(f"{check_id} was not run for {cls.__name__} (not selected)")
        if result.outcome == "skipped":
            pytest.skip(result.message)
        if result.failing:
            lines = [f"{check_id} {result.outcome}: {result.message}"]
            if result.example:
                lines.append(f"smallest example: {result.example}")
            if result.output:
                lines.append(f"target output:\n{result.output}")
            lines.append(f"reproduce with: pytest -k '{check_id}' --aiecs-seed {report.seed}")
            pytest.fail("\n".join(lines), pytrace=False)


_REPORTS = pytest.StashKey[dict[tuple[Any, ...], ConformanceReport]]()


def _shared_report(cls: type[_Suite], request: pytest.FixtureRequest) -> ConformanceReport:
    """One supervised run per suite class and settings, over the ids this session selected."""
    config = request.config
    max_examples = cls.max_examples or config.getoption("aiecs_max_examples", None)
    seed = cls.seed if cls.seed is not None else config.getoption("aiecs_seed", None)
    if seed is None:
        seed = session_seed(config)
    key = (cls, seed, max_examples, cls.timeout)
    store = config.stash.setdefault(_REPORTS, {})
    if key not in store:
        selected: list[str] = [
            str(item.callspec.params["check_id"])
            for item in request.session.items
            if isinstance(item, pytest.Function) and item.cls is cls and hasattr(item, "callspec")
        ]
        only = [i for i in selected if i not in cls.skip] if selected else None
        store[key] = check(
            cls.factory,
            cls.contract,
            max_examples=max_examples,
            seed=seed,
            only=only,
            skip=cls.skip,
            timeout=cls.timeout,
        )
    return store[key]


def _suite_class(spec: Contract) -> type[_Suite]:
    doc = f"{spec.summary or spec.name}; ``factory{spec.convention}`` builds the target."
    return type(spec.suite, (_Suite,), {"contract": spec.name, "__doc__": doc})


class ToolProviderSuite(_Suite):
    """provider.* and signature.* checks; ``factory(tools)`` builds the provider."""

    contract = "tool-provider"


class ToolExecutorSuite(_Suite):
    """executor.* and signature.* checks; ``factory()`` builds the executor."""

    contract = "tool-executor"


class CacheProviderSuite(_Suite):
    """cache.* and signature.* checks; ``factory()`` builds a fresh empty cache."""

    contract = "cache-provider"


class OperationExecutorSuite(_Suite):
    """operations.* and signature.* checks; ``factory(tools)`` builds the executor."""

    contract = "operation-executor"


class ExecutionInterfaceSuite(_Suite):
    """engine.* and signature.* checks; ``factory(tools, tasks)`` builds the engine."""

    contract = "execution-interface"


_SUITES: dict[str, type[_Suite]] = {
    cls.contract: cls
    for cls in (
        ToolProviderSuite,
        ToolExecutorSuite,
        CacheProviderSuite,
        OperationExecutorSuite,
        ExecutionInterfaceSuite,
    )
}


def suite_for(contract: str | type | Contract) -> type[_Suite]:
    """The suite class of ``contract`` (made from its registry entry on first use)."""
    spec = contract_named(contract)
    if spec.name not in _SUITES:
        _SUITES[spec.name] = _suite_class(spec)
    return _SUITES[spec.name]


def __getattr__(name: str) -> Any:
    # Suites of contracts registered beyond the built-in five, by their Contract.suite name.
    for spec in contracts():
        if spec.suite == name:
            return suite_for(spec)
    raise AttributeError(f"module 'aiecs_conformance.suites' has no attribute {name!r}")
