"""The pytest suites and plugin, run through pytester."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SUITE_FILE = """
from tests.conformance_kit import impls
from aiecs_conformance import CacheProviderSuite, ToolProviderSuite

class TestGoodCache(CacheProviderSuite):
    factory = staticmethod(impls.Cache)

class TestFalsyCache(CacheProviderSuite):
    factory = staticmethod(impls.FalsyCache)

class TestFalsyWaived(CacheProviderSuite):
    factory = staticmethod(impls.FalsyCache)
    xfail = {"cache.roundtrip": "falsy values are a known gap", "cache.miss": "wrongly waived"}
    skip = ("cache.threads",)

class TestProvider(ToolProviderSuite):
    factory = staticmethod(impls.Provider)
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.syspathinsert(str(pytester.path))
    import pathlib

    repo = pathlib.Path(__file__).resolve().parents[2]
    pytester.syspathinsert(str(repo))
    pytester.makepyfile(test_mine=SUITE_FILE)
    return pytester


def test_one_test_per_id_and_outcomes(suite: pytest.Pytester) -> None:
    result = suite.runpytest(
        "-q", "--aiecs-max-examples", "5", "--aiecs-seed", "3", "-p", "no:cacheprovider"
    )
    outcomes = result.parseoutcomes()
    # 16 cache ids x 3 classes + 11 provider ids
    assert sum(outcomes.get(k, 0) for k in ("passed", "failed", "skipped", "xfailed")) == 59
    result.stdout.fnmatch_lines(["*TestFalsyCache::test_conformance[[]cache.roundtrip[]]*"])
    result.stdout.fnmatch_lines(["*smallest example*"])
    text = result.stdout.str()
    assert "TestGoodCache::test_conformance" not in text.split("short test summary")[-1]
    assert "XPASS(strict)" in text or "[XPASS(strict)]" in text
    assert outcomes["xfailed"] == 1


def test_k_selects_by_id(suite: pytest.Pytester) -> None:
    result = suite.runpytest(
        "-q", "-k", "TestGoodCache and cache.roundtrip", "--aiecs-max-examples", "5"
    )
    result.assert_outcomes(passed=1)


def test_header_prints_the_seed(suite: pytest.Pytester) -> None:
    result = suite.runpytest("-k", "TestProvider and provider.total", "--aiecs-seed", "1234")
    result.stdout.fnmatch_lines(["aiecs-conformance: seed 1234*"])
    result.assert_outcomes(passed=1)


def test_xfail_without_reason_is_an_error(pytester: pytest.Pytester) -> None:
    import pathlib

    pytester.syspathinsert(str(pathlib.Path(__file__).resolve().parents[2]))
    pytester.makepyfile(
        test_bad="""
from tests.conformance_kit import impls
from aiecs_conformance import CacheProviderSuite

class TestBad(CacheProviderSuite):
    factory = staticmethod(impls.Cache)
    xfail = {"cache.roundtrip": ""}
"""
    )
    result = pytester.runpytest("-q")
    result.stdout.fnmatch_lines(["*has no reason*"])
    assert result.ret != 0
