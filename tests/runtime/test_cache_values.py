"""Issue 13, items 7, 8, 10, 12 and 16, without a server: cache values and the wire.

Each test replays an attack of the review and fails on the code before the fix.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import subprocess
import sys
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiecs_runtime import MemoryCache, ToolExecutor
from aiecs_runtime._frozen import PICKLED, SHARED, freeze
from aiecs_runtime._wire import dumps, loads

# -- item 10: a cached value is never another caller's mutable object ---------------------


class Rows:
    def rows(self, n: int) -> list[int]:
        return list(range(n))

    def frozen(self, n: int) -> tuple[int, ...]:
        return tuple(range(n))


def test_callers_of_a_cached_op_never_share_a_list() -> None:
    executor = ToolExecutor(cache=MemoryCache())
    tool = Rows()
    first = executor.execute(tool, "rows", n=2)
    first.append(99)  # the first caller changes its result
    second = executor.execute(tool, "rows", n=2)
    assert second == [0, 1]
    second.append(98)
    assert executor.execute(tool, "rows", n=2) == [0, 1]


def test_memory_cache_copies_in_and_out_but_shares_immutables() -> None:
    cache = MemoryCache()
    value = {"a": [1, {"b": {2}}]}
    cache.add_to_cache("k", value)
    value["a"].append(3)
    got = cache.get_from_cache("k")
    assert got == {"a": [1, {"b": {2}}]}
    got["a"][1]["b"].add(5)
    assert cache.get_from_cache("k") == {"a": [1, {"b": {2}}]}
    immutable = (1, "x", frozenset({b"y"}), dt.date(2024, 1, 1))
    cache.add_to_cache("i", immutable)
    assert cache.get_from_cache("i") is immutable  # the fast path: no copy


class Colour(enum.Enum):
    RED = [1]  # an Enum member is a singleton: shared even with a mutable value


@pytest.mark.parametrize(
    ("value", "how"),
    [
        ("s", SHARED),
        (10**50, SHARED),
        ((1, (2, "x")), SHARED),
        (Colour.RED, SHARED),
        ((1, [2]), PICKLED),
        ([], PICKLED),
        (bytearray(b"x"), PICKLED),
    ],
)
def test_what_counts_as_immutable(value: Any, how: int) -> None:
    assert freeze(value)[1] == how


def test_self_containing_and_local_values_never_make_add_raise() -> None:
    cache = MemoryCache()
    looped: list[Any] = []
    looped.append(looped)
    cache.add_to_cache("loop", looped)
    back = cache.get_from_cache("loop")
    assert back is not looped and back[0] is back

    class Local:  # not picklable: copied instead
        def __init__(self) -> None:
            self.items = [1]

    local = Local()
    cache.add_to_cache("local", local)
    got = cache.get_from_cache("local")
    assert got is not local and got.items == [1]
    cache.add_to_cache("gen", (x for x in ()))  # neither: not stored, no error
    assert cache.get_from_cache("gen") is None


# -- items 8 and 12: ints of any size and DST folds round-trip the wire -------------------


@pytest.mark.parametrize(
    "value",
    [10**5000, -(10**5000), 2**1024, -(2**1024), 2**1024 - 1, [10**4301, {"n": 10**9000}]],
    ids=["10**5000", "-10**5000", "2**1024", "-2**1024", "2**1024-1", "nested"],
)
def test_ints_over_the_digit_limit_roundtrip(value: Any) -> None:
    back = loads(dumps(value))
    assert back == value and type(back) is type(value)


FOLD = dt.datetime(2021, 11, 7, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=1)


@pytest.mark.parametrize(
    "value",
    [
        FOLD,
        FOLD.replace(fold=0),
        dt.datetime(2021, 11, 7, 1, 30, fold=1),  # naive, fold kept too
        dt.time(1, 30, fold=1),
        dt.datetime(2024, 3, 10, 12, tzinfo=ZoneInfo("Europe/Paris")),
    ],
)
def test_zoneinfo_datetimes_and_folds_roundtrip(value: Any) -> None:
    back = loads(dumps(value))
    assert back == value
    assert back.fold == value.fold
    assert back.tzinfo == value.tzinfo
    assert back.utcoffset() == value.utcoffset()


@settings(max_examples=150, deadline=None)
@given(st.datetimes(timezones=st.timezones(), allow_imaginary=False))
def test_every_aware_datetime_keeps_zone_offset_and_fold(value: dt.datetime) -> None:
    back = loads(dumps(value))
    assert (back, back.fold, back.tzinfo, back.utcoffset()) == (
        value,
        value.fold,
        value.tzinfo,
        value.utcoffset(),
    )


# -- item 16: the runtime imports without the runtime extra's old packages ---------------

_BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"tenacity", "cachetools"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
import aiecs_runtime
from aiecs_runtime import RetryPolicy, ToolExecutor
class Flaky:
    calls = 0
    def op(self):
        Flaky.calls += 1
        if Flaky.calls < 3:
            raise ConnectionError("again")
        return "ok"
policy = RetryPolicy(attempts=3, on=ConnectionError, initial=0.0, jitter=0.0)
print(ToolExecutor(retry=policy, timeout=5.0).execute(Flaky(), "op"), Flaky.calls)
"""


def test_import_needs_neither_tenacity_nor_cachetools() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKER],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "3"]
