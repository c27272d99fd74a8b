"""check(): detection, verdicts on inline targets, waivers, seeds, timeouts, target errors."""

from __future__ import annotations

from typing import Any

import pytest

import aiecs_conformance as ac

from . import impls

CORRECT = [
    (impls.Provider, "tool-provider"),
    (impls.Executor, "tool-executor"),
    (impls.Cache, "cache-provider"),
    (impls.Operations, "operation-executor"),
    (impls.Engine, "execution-interface"),
]


@pytest.mark.parametrize(("factory", "contract"), CORRECT, ids=[c for _, c in CORRECT])
def test_correct_implementations_are_full(factory: Any, contract: str) -> None:
    report = ac.check(factory, contract, seed=1, max_examples=15)
    assert report.failed() == [], [(r.id, r.message) for r in report.failed()]
    assert report.passed and report.level == "full"
    assert report.contracts == [contract]


FLAWED = [
    (impls.HashKeyCache, {"cache.key.stable_across_processes", "cache.key.deterministic"}),
    (impls.FalsyCache, {"cache.roundtrip"}),
    (impls.UnboundedCache, {"cache.bounded"}),
    (impls.NoUserCache, {"cache.key.user_isolation", "cache.key.distinct"}),
    (impls.CaseInsensitiveProvider, {"provider.has_tool.exact", "provider.get_tool.missing"}),
    (impls.NoneForMissingProvider, {"provider.get_tool.missing"}),
    (impls.GetattrExecutor, {"executor.private_refused"}),
    (impls.LaxRegistrationEngine, {"engine.register_executor"}),
]


@pytest.mark.parametrize(("factory", "must_fail"), FLAWED, ids=[f.__name__ for f, _ in FLAWED])
def test_flawed_implementations_fail_their_checks(factory: Any, must_fail: set[str]) -> None:
    report = ac.check(factory, seed=2, max_examples=15)
    assert must_fail <= report.failed_ids()
    assert not report.passed and report.level == "non-conforming"
    for result in report.failed():
        assert result.message


def test_sequential_parallel_fails_by_timeout() -> None:
    report = ac.check(
        impls.SequentialParallelOperations, "operation-executor", seed=3, max_examples=5,
        only=["operations.parallel.concurrent", "operations.parallel.shape"], timeout=1.0,
    )  # fmt: skip
    assert report.failed_ids() == {"operations.parallel.concurrent"}
    assert "barrier" in report.result("operations.parallel.concurrent").message


def test_detection_checks_every_contract_the_object_satisfies() -> None:
    report = ac.check(impls.Everything, seed=4, max_examples=5)
    assert report.contracts == ["tool-provider", "cache-provider"]
    assert report.passed
    # signature checks are reported once per contract
    assert len([r for r in report.results if r.id == "signature.members"]) == 2


def test_missing_member_fails_signature_and_skips_what_needs_it() -> None:
    report = ac.check(impls.MissingAddCache, "ICacheProvider", seed=5, max_examples=5)
    assert "signature.members" in report.failed_ids()
    roundtrip = report.result("cache.roundtrip")
    assert roundtrip.outcome == "skipped"
    assert "add_to_cache" in roundtrip.message
    # checks that do not need the missing member still run
    assert report.result("cache.key.type").outcome == "passed"


def test_same_seed_same_result() -> None:
    runs = [ac.check(impls.NoUserCache, seed=77, max_examples=10) for _ in range(2)]
    a, b = (r.to_json() for r in runs)
    assert a == b
    assert a["seed"] == 77


def test_seed_is_recorded_when_not_given() -> None:
    report = ac.check(impls.Provider, seed=None, max_examples=3, only=["provider.total"])
    assert isinstance(report.seed, int)


def test_skip() -> None:
    report = ac.check(impls.FalsyCache, seed=1, max_examples=5, skip=["cache.roundtrip"])
    result = report.result("cache.roundtrip")
    assert result.outcome == "skipped" and "request" in result.message
    assert report.passed
    assert report.level != "full"  # a waived check caps the level
    with pytest.raises(ValueError, match=r"cache\.roundtrip"):
        ac.check(impls.Cache, skip=["cache.roundtrp"])


def test_xfail_needs_a_reason() -> None:
    for reason in ("", "   "):
        with pytest.raises(ValueError, match="no reason"):
            ac.check(impls.FalsyCache, xfail={"cache.roundtrip": reason})


def test_xfail_and_xpass() -> None:
    report = ac.check(
        impls.FalsyCache, seed=1, max_examples=5,
        xfail={"cache.roundtrip": "falsy values are a known gap", "cache.miss": "flaky?"},
    )  # fmt: skip
    failed = report.result("cache.roundtrip")
    assert failed.outcome == "xfailed"
    assert failed.to_json()["outcome"] == "skipped"
    assert failed.message.startswith("xfail: falsy values are a known gap")
    passed = report.result("cache.miss")
    assert passed.outcome == "xpassed"
    assert passed.to_json()["outcome"] == "failed"
    assert "xfail passed" in passed.message
    assert not report.passed  # an xfail that passes is reported as a failure


def test_hung_async_implementation_times_out() -> None:
    report = ac.check(
        impls.HangingExecutor, "tool-executor", seed=1, max_examples=5, timeout=0.3,
        only=["executor.async.result", "executor.concurrency"],
    )  # fmt: skip
    assert report.failed_ids() == {"executor.async.result", "executor.concurrency"}
    assert all("timed out" in r.message for r in report.failed())
    assert report.duration < 10


def test_hung_sync_implementation_times_out() -> None:
    report = ac.check(
        impls.BlockingHangExecutor, "tool-executor", seed=1, max_examples=5, timeout=0.2,
        only=["executor.sync.result"],
    )  # fmt: skip
    result = report.result("executor.sync.result")
    assert result.outcome == "error" and "timed out" in result.message
    assert "no progress" in result.message and result.aborted and not report.passed
    assert report.duration < 10


def test_kit_level_filters_checks() -> None:
    report = ac.check(impls.Provider, "tool-provider", kit_level="0.0", seed=1)
    assert report.results == []
    with pytest.raises(ValueError, match="profile"):
        ac.check(impls.Provider, profile="fast")


def test_target_errors() -> None:
    with pytest.raises(ac.TargetError, match="no such file"):
        ac.check("does/not/exist.py:factory")
    with pytest.raises(ac.TargetError, match="cannot import"):
        ac.check("no_such_module_xyz:factory")
    with pytest.raises(ac.TargetError, match="no attribute"):
        ac.check("tests.conformance_kit.impls:Nope")
    with pytest.raises(ac.TargetError, match="not callable"):
        ac.check(42)

    def broken(tools: Any) -> Any:
        raise RuntimeError("database down")

    with pytest.raises(ac.TargetError, match="database down"):
        ac.check(broken, "tool-provider")
    with pytest.raises(ac.TargetError, match="none of the contracts"):
        ac.check(lambda: object())


def test_import_string_targets() -> None:
    report = ac.check("tests.conformance_kit.impls:Cache", seed=1, max_examples=5)
    assert report.target == "tests.conformance_kit.impls:Cache"
    assert report.result("cache.key.stable_across_processes").outcome == "passed"


def test_stable_across_processes_skips_unimportable_factories() -> None:
    def local_factory() -> impls.Cache:
        return impls.Cache()

    report = ac.check(local_factory, seed=1, max_examples=5,
                      only=["cache.key.stable_across_processes"])  # fmt: skip
    result = report.result("cache.key.stable_across_processes")
    assert result.outcome == "skipped" and "cannot be imported" in result.message


def test_file_targets_import_their_neighbours(tmp_path: Any) -> None:
    """Like `python file.py`: a target file may import a module beside it."""
    (tmp_path / "provider_impl.py").write_text(
        "class Provider:\n"
        "    def __init__(self, tools):\n"
        "        self._tools = dict(tools)\n"
        "    def get_tool(self, tool_name: str):\n"
        "        return self._tools[tool_name]\n"
        "    def has_tool(self, tool_name: str) -> bool:\n"
        "        return tool_name in self._tools\n"
    )
    (tmp_path / "target.py").write_text(
        "from provider_impl import Provider\n\ndef factory(tools):\n    return Provider(tools)\n"
    )
    report = ac.check(f"{tmp_path / 'target.py'}:factory", "tool-provider", max_examples=5)
    assert report.passed, [r for r in report.results if r.outcome != "passed"]


class _RaisesTypeError:
    def __init__(self, tools: dict[str, Any]) -> None:
        raise TypeError("unexpected keyword 'registry'")


def _needs_three(a: object, b: object, c: object) -> object:
    return object()


def test_detection_shows_each_factory_error_once() -> None:
    with pytest.raises(ac.TargetError) as info:
        ac.check(_RaisesTypeError, seed=1, isolate=False)
    message = str(info.value)
    assert message.count("TypeError: unexpected keyword 'registry'") == 1, message
    assert "factory(tools) raised" in message


def test_detection_says_why_no_convention_fits() -> None:
    with pytest.raises(ac.TargetError, match=r"takes none of the contracts. arguments: its sig"):
        ac.check(_needs_three, seed=1, isolate=False)


def test_detection_names_the_closest_contract() -> None:
    with pytest.raises(ac.TargetError, match="closest is"):
        ac.check(dict, seed=1, isolate=False)
