"""Regressions for conformance/KIT_FINDINGS.md 1-7, on inline targets (one mistake each)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pytest

import aiecs_conformance as ac
from aiecs_conformance.checks._keys import SEPARATORS
from aiecs_contracts import ErrorCode, TaskStatus, TaskStepResult, ToolNotFoundError

from . import impls

# -- 1: separator boundary shifts ---------------------------------------------------------


class JoinedKeyCache(impls.Cache):
    """Joins the fields with a separator it does not escape."""

    sep = "|"

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        rest = super().generate_cache_key("", "", "", args, kwargs)
        return self.sep.join([operation_type, user_id, task_id, rest])


@pytest.mark.parametrize("sep", [":", "|", "::", "\x00", " - "])
def test_distinct_catches_every_unescaped_joiner(sep: str) -> None:
    cache = type("Joined", (JoinedKeyCache,), {"sep": sep})
    report = ac.check(cache, "cache-provider", seed=1, max_examples=10,
                      only=["cache.key.distinct"])  # fmt: skip
    result = report.result("cache.key.distinct")
    assert result.outcome == "failed", result.message
    assert "boundary" in result.message


def test_separators_cover_the_common_joiners() -> None:
    assert {":", "|", "/", "-", "_", ".", ",", " ", "\x00"} <= set(SEPARATORS)


def test_joined_args_are_caught_too() -> None:
    class JoinedArgs(impls.Cache):
        def generate_cache_key(
            self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
            kwargs: dict[str, Any],
        ) -> str:  # fmt: skip
            joined = ",".join(str(a) for a in args)
            return super().generate_cache_key(operation_type, user_id, task_id, (joined,), kwargs)

    report = ac.check(JoinedArgs, "cache-provider", seed=1, max_examples=10,
                      only=["cache.key.distinct"])  # fmt: skip
    assert report.failed_ids() == {"cache.key.distinct"}


# -- 2: a stable key that is not a str ----------------------------------------------------


class DigestCache(impls.Cache):
    def generate_cache_key(  # type: ignore[override]
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> bytes:  # fmt: skip
        text = super().generate_cache_key(operation_type, user_id, task_id, args, kwargs)
        return hashlib.sha256(text.encode()).digest()


def digest_cache() -> DigestCache:
    """Module-level, so a fresh interpreter can import it."""
    return DigestCache()


def test_stable_bytes_keys_are_only_a_type_failure() -> None:
    report = ac.check(digest_cache, "cache-provider", seed=1, max_examples=10,
                      only=["cache.key.type", "cache.key.stable_across_processes"])  # fmt: skip
    assert report.result("cache.key.stable_across_processes").outcome == "passed"
    assert report.failed_ids() == {"cache.key.type"}


class SaltedBytesCache(impls.Cache):
    def generate_cache_key(  # type: ignore[override]
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> bytes:  # fmt: skip
        return str(hash((operation_type, user_id, task_id))).encode()


def salted_bytes_cache() -> SaltedBytesCache:
    """Module-level, so a fresh interpreter can import it."""
    return SaltedBytesCache()


def test_unstable_bytes_keys_still_fail_across_processes() -> None:
    report = ac.check(salted_bytes_cache, "cache-provider", seed=1, max_examples=10,
                      only=["cache.key.stable_across_processes"])  # fmt: skip
    result = report.result("cache.key.stable_across_processes")
    assert result.outcome == "failed"
    assert "fresh interpreter" in result.message and "b'" in result.message


# -- 3 and 7: bounded caches evict under threads; the threads run for a time budget -------


class UnlockedLru:
    """A dict + list LRU without a lock, bounded at 4 (eviction on almost every add)."""

    def __init__(self, max_size: int = 4) -> None:
        self.max_size = max_size
        self._data: dict[str, Any] = {}
        self._order: list[str] = []

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        return impls.Cache().generate_cache_key(operation_type, user_id, task_id, args, kwargs)

    def get_from_cache(self, cache_key: str) -> Any:
        if cache_key not in self._data:
            return None
        self._order.remove(cache_key)
        self._order.append(cache_key)
        return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        if cache_key in self._data:
            self._order.remove(cache_key)
        self._order.append(cache_key)
        self._data[cache_key] = value
        if len(self._data) > self.max_size:
            del self._data[self._order.pop(0)]

    def __len__(self) -> int:
        return len(self._data)


def test_cache_threads_evicts_a_small_bounded_cache() -> None:
    """KIT_FINDINGS #3: 4 keys against max_size=4 never evicted, so this passed."""
    report = ac.check(UnlockedLru, "cache-provider", seed=5, only=["cache.threads"])
    result = report.result("cache.threads")
    assert result.outcome == "failed", result.message
    assert result.example is not None and "max_size=4" in result.example


def test_cache_threads_passes_a_locked_bounded_cache_within_its_budget() -> None:
    report = ac.check(lambda: impls.Cache(max_size=8), "cache-provider", seed=5,
                      only=["cache.threads", "cache.bounded"])  # fmt: skip
    assert report.failed() == []
    took = report.result("cache.threads").duration
    assert 0.35 <= took < 8.0, took  # 4 rounds of >= 0.1 s, more only under load


# -- 4: threads are judged against one thread, not against the served dict ----------------


class Forgiving(impls.Provider):
    """Wrong (case-insensitive) but the same from every thread."""

    def has_tool(self, tool_name: str) -> bool:
        return tool_name.lower() in {n.lower() for n in self._tools}

    def get_tool(self, tool_name: str) -> Any:
        for name, tool in self._tools.items():
            if name.lower() == tool_name.lower():
                return tool
        raise ToolNotFoundError(tool_name)


def test_provider_threads_judges_consistency_only() -> None:
    report = ac.check(Forgiving, "tool-provider", seed=6, max_examples=10)
    assert report.result("provider.threads").outcome == "passed"
    assert {"provider.has_tool.exact", "provider.get_tool.missing"} <= report.failed_ids()


def _pause() -> None:
    return None


class SharedAnswer(impls.Provider):
    """Routes every lookup through one unlocked instance attribute: a wide race."""

    def get_tool(self, tool_name: str) -> Any:
        self._current = tool_name
        _pause()  # a Python-level call: a thread switch point inside the window
        found = self._tools.get(self._current)
        if found is None:
            raise ToolNotFoundError(tool_name)
        return found


def test_provider_threads_catches_a_race() -> None:
    # provider.threads is a timing check (marked so): under a loaded machine one run can miss
    # this narrow window (measured 9-10 of 12 seeds here), so the test asks for one of three.
    results = []
    for seed in (6, 7, 8):
        report = ac.check(SharedAnswer, "tool-provider", seed=seed, only=["provider.threads"])
        results.append(report.result("provider.threads"))
        if results[-1].outcome == "failed":
            break
    result = results[-1]
    assert result.timing
    assert result.outcome == "failed", [r.message for r in results]
    assert "under threads; in one thread it" in result.message


# -- 5: a malformed failed step is reported by the checks that spell out its fields --------


class TerseFailures(impls.Operations):
    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        step = await super()._step(op)
        if step.status is TaskStatus.FAILED:
            code = ErrorCode.EXECUTION_ERROR
            return TaskStepResult(step=step.step, status="failed", error_code=code)
        return step


def test_failed_step_fields_map_to_their_own_ids() -> None:
    report = ac.check(TerseFailures, "operation-executor", seed=7, max_examples=10)
    assert report.failed_ids() == {"operations.sequence.continue", "operations.results.consistent"}


class NotFailedOnError(impls.Operations):
    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        step = await super()._step(op)
        if step.status is TaskStatus.FAILED:
            return TaskStepResult(step=step.step, result=None, status="cancelled")
        return step


def test_stop_and_parallel_still_require_status_failed() -> None:
    report = ac.check(NotFailedOnError, "operation-executor", seed=7, max_examples=10,
                      only=["operations.sequence.stop", "operations.parallel.shape"])  # fmt: skip
    assert report.failed_ids() == {"operations.sequence.stop", "operations.parallel.shape"}
    assert "status='failed'" in report.result("operations.parallel.shape").message


# -- 6: one instance, several calls -------------------------------------------------------


class MemoOperations(impls.Operations):
    def __init__(self, tools: Mapping[str, Any]) -> None:
        super().__init__(tools)
        self._memo: dict[str, Any] = {}

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        if operation_spec not in self._memo:
            self._memo[operation_spec] = await super().execute_operation(operation_spec, params)
        return self._memo[operation_spec]


def test_single_result_calls_one_instance_several_times() -> None:
    report = ac.check(MemoOperations, "operation-executor", seed=8, max_examples=10,
                      only=["operations.single.result"])  # fmt: skip
    result = report.result("operations.single.result")
    assert result.outcome == "failed"
    assert "on one instance" in result.message
