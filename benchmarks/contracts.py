"""Rows for the structural checks: ``conforms`` and Protocol ``isinstance`` against an ABC."""

from __future__ import annotations

import abc
import time
from collections.abc import Callable
from typing import Any

from aiecs_contracts import ICacheProvider, conforms

from ._harness import Bench, Measurement, Settings, compare_times

__all__ = ["BENCHES"]


class CacheABC(abc.ABC):
    """The nominal alternative a user would otherwise write: an ABC to inherit from."""

    @abc.abstractmethod
    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str: ...

    @abc.abstractmethod
    def get_from_cache(self, cache_key: str) -> Any | None: ...

    @abc.abstractmethod
    def add_to_cache(self, cache_key: str, value: Any) -> None: ...


class GoodCache(CacheABC):
    """Conforms to ICacheProvider and inherits the ABC."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        return f"{operation_type}:{user_id}:{task_id}"

    def get_from_cache(self, cache_key: str) -> Any | None:
        return None

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        return None


class BadCache(CacheABC):
    """Inherits the ABC (so it is an instance of it) but misnames a parameter."""

    # The misnamed parameter is the point: the ABC accepts it, `conforms` must not.
    def generate_cache_key(  # pyright: ignore[reportIncompatibleMethodOverride]
        self,
        op: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        return op

    def get_from_cache(self, cache_key: str) -> Any | None:
        return None

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        return None


def _check_setup() -> tuple[object, object]:
    # returned as `object`, as at a real call site, so no check is decided statically
    good, bad = GoodCache(), BadCache()
    # "already seen": the verdicts are computed (and memoised) before timing starts
    if not conforms(good, ICacheProvider) or conforms(bad, ICacheProvider):
        raise AssertionError("conforms() gave the wrong verdict on GoodCache/BadCache")
    return good, bad


# Ten calls per iteration, five on each object, so the loop itself is ~1 % of the time. One
# loop body for every row: candidate and baseline differ only in the check they call.
_Check = Callable[[object, type], bool]


def _timed(check: _Check, cls: type, n: int) -> int:
    good, bad = _check_setup()
    f, c = check, cls
    start = time.perf_counter_ns()
    for _ in range(n):
        f(good, c)
        f(bad, c)
        f(good, c)
        f(bad, c)
        f(good, c)
        f(bad, c)
        f(good, c)
        f(bad, c)
        f(good, c)
        f(bad, c)
    return time.perf_counter_ns() - start


def _conforms_loop(n: int) -> int:
    return _timed(conforms, ICacheProvider, n)


def _abc_loop(n: int) -> int:
    return _timed(isinstance, CacheABC, n)


def _protocol_loop(n: int) -> int:
    return _timed(isinstance, ICacheProvider, n)


def _conforms_seen(settings: Settings) -> Measurement:
    m = compare_times(_conforms_loop, _abc_loop, settings, ops_per_iteration=10)
    m.detail["objects"] = "half conforming (GoodCache), half not (BadCache: a misnamed param)"
    return m


def _protocol_isinstance(settings: Settings) -> Measurement:
    m = compare_times(_protocol_loop, _abc_loop, settings, ops_per_iteration=10)
    m.detail["objects"] = "GoodCache and BadCache alternately (both pass isinstance)"
    return m


BENCHES = [
    Bench(
        id="conforms.seen",
        measured="conforms(obj, ICacheProvider) on an already-seen type, conforming and not",
        baseline="isinstance(obj, SomeABC) the object inherits from",
        goal=1.0,
        run=_conforms_seen,
    ),
    Bench(
        id="protocol.isinstance",
        measured="isinstance(obj, ICacheProvider)",
        baseline="isinstance(obj, SomeABC) the object inherits from",
        goal=None,
        run=_protocol_isinstance,
    ),
]
