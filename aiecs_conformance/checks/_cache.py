"""cache.*: storage semantics, inputs never changed, threads, bounds and clear.

The key checks live in `_cache_keys` (imported here, so loading this module registers
every ``cache.*`` id).
"""

from __future__ import annotations

import contextlib
import copy
import decimal
import itertools
import random
import time
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, CheckSkip, Context, short
from .._inputs import InputChanged, first_difference
from ..strategies import params_values
from . import _cache_keys, implements
from ._keys import KeyInput, key_inputs
from ._threads import Step, hammer

_STORE = ("add_to_cache", "get_from_cache")


# -- storage ------------------------------------------------------------------------------

_EMPTY: tuple[list[Any], dict[str, Any], set[Any], frozenset[Any]] = ([], {}, set(), frozenset())
_FALSY: tuple[Any, ...] = (
    0, "", False, 0.0, (), b"", None, *_EMPTY, decimal.Decimal(0),
    decimal.Decimal("NaN"),
)  # fmt: skip


def _call(name: str, *args: Any) -> str:
    return f"cache.{name}(" + ", ".join(short(a, 60) for a in args) + ")"


def _mismatch(want: Any, got: Any) -> str | None:
    """How ``got`` differs from the snapshot ``want`` (type-strict, NaN by repr), or None."""
    found = first_difference(want, got)
    if found is None:
        return None
    path, how = found
    where = "".join(f"[{k!r}]" if kind == "[]" else f".{k}" for kind, k in path)
    return f"the value{where} {how}" if where else f"it {how}"


@implements("cache.roundtrip", uses=_STORE)
def roundtrip(ctx: Context) -> None:
    """A stored value reads back equal to a copy taken before the add, falsy ones included."""

    def body(key: str, value: Any, full: bool) -> None:
        value = copy.deepcopy(value)  # what hypothesis holds stays as drawn, for the report
        cache = ctx.build()
        add = _call("add_to_cache", key, value)
        limit = _bounds(cache)
        if full and limit is not None and 0 < limit <= _MAX_EVICTING:
            # A bounded cache at capacity: this add evicts, and must not evict itself.
            for i in range(limit):
                cache.add_to_cache(f"fill-{i}|{key}", i)
            add = f"{limit} adds of other keys (max_size={limit}, full); {add}"
        watch = ctx.watch(add, value=value)
        cache.add_to_cache(key, value)
        watch.verify()
        want = watch.before["value"]
        for attempt in ("", " again"):
            got = cache.get_from_cache(key)
            how = _mismatch(want, got)
            if how is not None:
                raise CheckFailure(
                    f"get_from_cache returned {short(got, 80)}{attempt} after add_to_cache "
                    f"stored {short(want, 80)}: {how}",
                    f"{add}; {_call('get_from_cache', key)}" + ("x2" if attempt else ""),
                )

    examples = tuple(
        {"key": f"k{i}", "value": copy.deepcopy(v), "full": i % 2 == 1}
        for i, v in enumerate(_FALSY)
    )
    ctx.property(
        body,
        {"key": st.text(min_size=1, max_size=12), "value": params_values(),
         "full": st.booleans()},
        examples=examples,
    )  # fmt: skip


_Op = tuple[str, str, Any]  # ("add", key, value) or ("get", key, None)


def _ops(values: st.SearchStrategy[Any], keys: tuple[str, ...]) -> st.SearchStrategy[list[_Op]]:
    add = st.tuples(st.just("add"), st.sampled_from(keys), values)
    get = st.tuples(st.just("get"), st.sampled_from(keys), st.none())
    return st.lists(st.one_of(add, get), min_size=1, max_size=12)


_VALUES = st.one_of(st.sampled_from(_FALSY).map(copy.deepcopy), params_values(1))


@implements("cache.inputs.unchanged", uses=(*_cache_keys.KEY, *_STORE))
def inputs_unchanged(ctx: Context) -> None:
    """No call changes what it was handed, or a value it returned, then or later."""
    cache = ctx.build()

    def keys(inp: KeyInput) -> None:
        op, user, task, args, kwargs = copy.deepcopy(inp)
        watch = ctx.watch(
            "generate_cache_key(operation_type, user_id, task_id, args, kwargs)",
            args=args, kwargs=kwargs,
        )  # fmt: skip
        with contextlib.suppress(Exception):  # raising is other checks' business; changing is ours
            cache.generate_cache_key(op, user, task, args, kwargs)
        watch.verify()

    sortable: KeyInput = (
        "op", "u", "t", ([3, 1, 2], {"b": [2, 1], "a": {3, 1}}),
        {"z": [9, 1, 5], "a": {"y": 1, "x": [2, 0]}, "m": None},
    )  # fmt: skip
    ctx.property(keys, {"inp": key_inputs()}, examples=({"inp": sortable},))

    def store(ops: list[_Op]) -> None:
        ops = copy.deepcopy(ops)
        fresh = ctx.build()
        calls = ["cache = factory()"]
        watches: list[Any] = []
        for kind, key, value in ops:
            if kind == "add":
                calls.append(_call("add_to_cache", key, value))
                watches.append(ctx.watch(f"the value handed to {calls[-1]}", value=value))
                with contextlib.suppress(Exception):
                    fresh.add_to_cache(key, value)
            else:
                calls.append(_call("get_from_cache", key))
                try:
                    got = fresh.get_from_cache(key)
                except Exception:
                    continue
                watches.append(ctx.watch(f"the value {calls[-1]} returned", value=got))
            for watch in watches:
                try:
                    watch.verify()
                except InputChanged as exc:
                    raise InputChanged(
                        f"{exc.args[0]}; seen right after {calls[-1]}; calls: " + "; ".join(calls),
                        exc.example,
                        check_id=exc.check_id,
                    ) from exc

    mutable = st.one_of(
        st.lists(_VALUES, max_size=3),
        st.dictionaries(st.text(max_size=3), _VALUES, max_size=3),
        _VALUES,
    )
    ctx.property(
        store, {"ops": _ops(mutable, ("a", "b"))},
        examples=({"ops": [("add", "a", [2, 1]), ("get", "a", None), ("add", "b", {"x": [1]}),
                           ("get", "a", None), ("get", "b", None), ("add", "a", [0])]},),
    )  # fmt: skip


@implements("cache.miss", uses=_STORE)
def miss(ctx: Context) -> None:
    """A never-added key reads back ``None``."""

    def body(stored: dict[str, Any], probe: str) -> None:
        if probe in stored:
            return
        cache = ctx.build()
        for k, v in stored.items():
            cache.add_to_cache(k, v)
        got = cache.get_from_cache(probe)
        if got is not None:
            raise CheckFailure(f"get_from_cache of a never-added key returned {short(got, 80)}")

    keys = st.text(max_size=8)
    ctx.property(
        body,
        {"stored": st.dictionaries(keys, params_values(1), max_size=4), "probe": keys},
        examples=({"stored": {"a": 1}, "probe": "b"}, {"stored": {}, "probe": ""}),
    )


@implements("cache.overwrite", uses=_STORE)
def overwrite(ctx: Context) -> None:
    """The last add wins, checked on sequences of direct calls against a dict model."""
    bounded = _bounds(ctx.sample) is not None

    def body(ops: list[_Op]) -> None:
        ops = copy.deepcopy(ops)
        cache = ctx.build()
        model: dict[str, Any] = {}
        calls = ["cache = factory()"]

        def read(key: str) -> None:
            calls.append(_call("get_from_cache", key))
            got = cache.get_from_cache(key)
            if key not in model:
                return
            how = _mismatch(model[key], got)
            if how is not None and not (bounded and got is None):
                raise CheckFailure(
                    f"get_from_cache({key!r}) returned {short(got, 60)}, but the last "
                    f"add_to_cache({key!r}, ...) stored {short(model[key], 60)} ({how}); "
                    f"calls: " + "; ".join(calls)
                )

        for kind, key, value in ops:
            if kind == "add":
                calls.append(_call("add_to_cache", key, value))
                snapshot = ctx.watch(calls[-1], value=value).before["value"]
                cache.add_to_cache(key, value)
                model[key] = snapshot
            else:
                read(key)
        for key in sorted(model):
            read(key)

    pair = [("add", "a", 1), ("add", "a", 2), ("get", "a", None)]
    ctx.property(body, {"ops": _ops(_VALUES, ("a", "b", "c"))},
                 examples=({"ops": pair},))  # fmt: skip


_HOT = tuple(f"key-{i}" for i in range(4))
_MAX_EVICTING = 4096  # above this max_size, filling the cache would cost more than the check


@implements("cache.threads", uses=_STORE, budget=2.0)
def threads(ctx: Context) -> None:
    """8 threads of mixed add/get over overlapping keys: nothing raises, reads are never foreign.

    Rounds on fresh caches, each for a time budget: a few hot keys every thread reads and
    writes, plus (for a bounded cache) twice ``max_size`` cold keys on a cache filled
    beforehand, so evictions run while other threads read and touch the same entries.
    """
    rounds, calls, began = 0, 0, time.perf_counter()
    while rounds < 4 or (calls < 40_000 and time.perf_counter() - began < 1.6):
        rounds += 1
        cache = ctx.build()
        limit = _bounds(cache)
        evicting = limit is not None and 0 < limit <= _MAX_EVICTING
        cold = [f"cold-{i}" for i in range(2 * limit if evicting and limit else 12)]
        if evicting:
            for i, key in enumerate(cold[: limit or 0]):
                cache.add_to_cache(key, f"{key}|fill|{i}")
        step = _cache_step(cache, cold, limit if evicting else None)
        run = hammer(ctx, step, seconds=0.1, min_calls=8_000, max_seconds=0.4, salt=rounds)
        calls += run.calls
        if run.problem is not None:
            keys = f"{len(_HOT)} hot keys and {len(cold)} cold keys"
            bound = f" (max_size={limit}, filled first)" if evicting else ""
            raise CheckFailure(
                f"round {rounds}: {run.problem}",
                f"8 threads x mixed add/get over {keys}{bound}, {run.calls} calls in "
                f"{run.seconds:.2f} s",
            )
        if rounds >= 12:
            break


def _cache_step(cache: Any, cold: list[str], limit: int | None) -> Step:
    # The cache starts filled with cold[:limit]; every cold write adds the next absent key,
    # so each one evicts.
    writes = itertools.count(limit or 0)
    last = [limit or 0]  # the latest cold write ticket (a list item: written atomically)

    def step(rng: random.Random, n: int) -> str | None:
        pick = rng.random()
        if pick < 0.5:
            key = rng.choice(_HOT)
        elif not limit:
            key = rng.choice(cold)
        elif pick < 0.75:
            # Cold keys are written in turn, so the oldest entries (next to be evicted)
            # are those written about max_size writes ago: read and touch them while
            # other threads evict them.
            key = cold[(last[0] - limit + rng.randrange(8)) % len(cold)]
            return _read(cache, key)
        else:
            last[0] = ticket = next(writes)
            key = cold[ticket % len(cold)]
            cache.add_to_cache(key, f"{key}|{n}|{pick}")
            return None
        if rng.random() < 0.5:
            cache.add_to_cache(key, f"{key}|{n}|{pick}")
            return None
        return _read(cache, key)

    return step


def _read(cache: Any, key: str) -> str | None:
    got = cache.get_from_cache(key)
    if got is not None and not (isinstance(got, str) and got.startswith(key + "|")):
        return f"get_from_cache({key!r}) returned {short(got, 60)}"
    return None


def _bounds(cache: Any) -> int | None:
    size = getattr(cache, "max_size", None)
    has_len = callable(getattr(type(cache), "__len__", None))  # pyright: ignore[reportUnknownArgumentType]
    if has_len and isinstance(size, int) and not isinstance(size, bool):
        return size
    return None


@implements("cache.bounded", uses=("add_to_cache",))
def bounded(ctx: Context) -> None:
    """``len(cache) <= max_size`` after any sequence of adds."""
    if _bounds(ctx.sample) is None:
        raise CheckSkip("not applicable: the cache has no __len__ with an int max_size")

    def body(keys: list[int]) -> None:
        cache = ctx.build()
        limit = _bounds(cache)
        assert limit is not None
        extra = list(range(min(limit + 5, 5000)))
        for i, key in enumerate([*keys, *extra]):
            cache.add_to_cache(f"k{key}", i)
            if len(cache) > limit:
                raise CheckFailure(
                    f"len(cache) is {len(cache)} after {i + 1} adds, above max_size={limit}"
                )

    ctx.property(body, {"keys": st.lists(st.integers(0, 40), max_size=60)},
                 max_examples=max(5, ctx.max_examples // 3))  # fmt: skip


@implements("cache.clear", uses=_STORE)
def clear(ctx: Context) -> None:
    """After ``clear()`` every previously added key misses."""
    if not callable(getattr(ctx.sample, "clear", None)):
        raise CheckSkip("not applicable: the cache has no clear()")

    def body(stored: dict[str, Any]) -> None:
        cache = ctx.build()
        for k, v in stored.items():
            cache.add_to_cache(k, v)
        cache.clear()
        for k in stored:
            got = cache.get_from_cache(k)
            if got is not None:
                raise CheckFailure(f"after clear(), get_from_cache({k!r}) returned {short(got)}")

    ctx.property(
        body, {"stored": st.dictionaries(st.text(max_size=6), params_values(1), min_size=1,
                                         max_size=5)},
    )  # fmt: skip
