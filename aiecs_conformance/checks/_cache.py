"""cache.*: key generation, storage semantics, threads, bounds and clear."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
import time
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from .._context import CheckFailure, CheckSkip, Context, first_line, short
from .._values import to_source
from ..strategies import params_values
from . import implements
from ._keys import CONFUSABLE, SEPARATORS, KeyInput, differ, key_inputs, rebuild
from ._threads import Step, hammer

_KEY = ("generate_cache_key",)
_STORE = ("add_to_cache", "get_from_cache")


def _key(cache: Any, inp: KeyInput) -> Any:
    op, user, task, args, kwargs = inp
    return cache.generate_cache_key(op, user, task, args, kwargs)


def _key_or_fail(cache: Any, inp: KeyInput) -> Any:
    try:
        return _key(cache, inp)
    except Exception as exc:
        raise CheckFailure(f"generate_cache_key raised {first_line(exc)}", short(inp)) from exc


@implements("cache.key.type", uses=_KEY)
def key_type(ctx: Context) -> None:
    """Keys are non-empty strings."""
    cache = ctx.build()
    simple = st.tuples(
        st.text(max_size=6), st.text(max_size=6), st.text(max_size=6),
        st.lists(st.integers() | st.text(max_size=4), max_size=2).map(tuple),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )  # fmt: skip

    def body(inp: KeyInput) -> None:
        key = _key(cache, inp)
        if not isinstance(key, str) or not key:
            raise CheckFailure(f"generate_cache_key returned {short(key)}, not a non-empty str")

    ctx.property(body, {"inp": simple}, examples=({"inp": ("", "", "", (), {})},))


@implements("cache.key.total", uses=_KEY)
def key_total(ctx: Context) -> None:
    """Every params value gives a key without raising."""
    cache = ctx.build()

    def body(inp: KeyInput) -> None:
        try:
            _key(cache, inp)
        except Exception as exc:
            raise CheckFailure(f"generate_cache_key raised {first_line(exc)}") from exc

    ctx.property(body, {"inp": key_inputs()})


@implements("cache.key.deterministic", uses=_KEY)
def key_deterministic(ctx: Context) -> None:
    """Separately built, structurally identical inputs give equal keys."""
    cache = ctx.build()

    def body(inp: KeyInput) -> None:
        first = _key(cache, inp)
        again = _key(cache, rebuild(inp))
        if first != again:
            raise CheckFailure(
                f"an identical input built separately (dict order / set order changed) gave "
                f"another key: {short(first, 80)} then {short(again, 80)}"
            )

    fixed = ("op", "u", "t", ({"b": 1, "a": {3, 1, 2}},), {"z": frozenset({"x", "y"}), "a": 1})
    ctx.property(body, {"inp": key_inputs()}, examples=({"inp": fixed},))


@implements("cache.key.distinct", uses=_KEY)
def key_distinct(ctx: Context) -> None:
    """Inputs that differ in one field give different keys (confusable pairs included)."""
    cache = ctx.build()
    for label, a, b in CONFUSABLE:
        ka, kb = _key_or_fail(cache, a), _key_or_fail(cache, b)
        if ka == kb:
            raise CheckFailure(
                f"two different inputs ({label}) share the key {short(ka, 80)}",
                f"{short(a)} and {short(b)}",
            )
    fields = st.sampled_from(range(5))

    def body(inp: KeyInput, field: int, other: KeyInput) -> None:
        if not differ(inp[field], other[field]):
            return
        changed = list(inp)
        changed[field] = other[field]
        changed_input: Any = tuple(changed)
        ka, kb = _key(cache, inp), _key(cache, changed_input)
        if ka == kb:
            names = ("operation_type", "user_id", "task_id", "args", "kwargs")
            raise CheckFailure(
                f"inputs differing only in {names[field]} ({short(inp[field], 60)} vs "
                f"{short(other[field], 60)}) share the key {short(ka, 80)}"
            )

    ctx.property(body, {"inp": key_inputs(), "field": fields, "other": key_inputs()})
    _boundary_shifts(ctx, cache)


def _boundary_shifts(ctx: Context, cache: Any) -> None:
    """Generated boundary shifts: ``a+sep+b | c`` vs ``a | b+sep+c`` across adjacent fields."""
    names = ("operation_type", "user_id", "task_id")
    seps = st.sampled_from(SEPARATORS) | st.text(min_size=1, max_size=3)
    parts = st.text(max_size=4)

    def body(left: int, sep: str, a: str, b: str, c: str, inp: KeyInput) -> None:
        one, two = list(inp), list(inp)
        one[left], one[left + 1] = f"{a}{sep}{b}", c
        two[left], two[left + 1] = a, f"{b}{sep}{c}"
        first: Any = tuple(one)
        second: Any = tuple(two)
        ka, kb = _key(cache, first), _key(cache, second)
        if ka == kb:
            raise CheckFailure(
                f"moving {sep!r} across the {names[left]}/{names[left + 1]} boundary "
                f"({short(one[left], 30)}, {short(one[left + 1], 30)}) vs "
                f"({short(two[left], 30)}, {short(two[left + 1], 30)}) keeps the key "
                f"{short(ka, 80)}; escape or length-prefix each field"
            )

    ctx.property(
        body,
        {"left": st.sampled_from([0, 1]), "sep": seps, "a": parts, "b": parts, "c": parts,
         "inp": key_inputs()},
        max_examples=max(10, ctx.max_examples // 2),
    )  # fmt: skip


@implements("cache.key.user_isolation", uses=_KEY)
def key_user_isolation(ctx: Context) -> None:
    """Two different user ids never share a key."""
    cache = ctx.build()

    def body(inp: KeyInput, other_user: str) -> None:
        if other_user == inp[1]:
            return
        ka = _key(cache, inp)
        kb = _key(cache, (inp[0], other_user, inp[2], inp[3], inp[4]))
        if ka == kb:
            raise CheckFailure(f"users {inp[1]!r} and {other_user!r} share the key {short(ka, 80)}")

    users = st.one_of(
        st.sampled_from(["", "alice", "Alice", "alice ", "bob", "0", "None"]), st.text(max_size=6)
    )
    ctx.property(
        body,
        {"inp": key_inputs(), "other_user": users},
        examples=({"inp": ("op", "alice", "t", (), {}), "other_user": "bob"},),
    )


# -- storage ------------------------------------------------------------------------------

_FALSY: tuple[Any, ...] = (0, "", [], False, 0.0, (), {}, b"")


@implements("cache.roundtrip", uses=_STORE)
def roundtrip(ctx: Context) -> None:
    """A stored value reads back equal, falsy values included."""

    def body(key: str, value: Any) -> None:
        cache = ctx.build()
        cache.add_to_cache(key, value)
        got = cache.get_from_cache(key)
        if not _same(got, value):
            raise CheckFailure(
                f"get_from_cache returned {short(got, 80)} after add_to_cache stored "
                f"{short(value, 80)}"
            )

    examples = tuple({"key": f"k{i}", "value": v} for i, v in enumerate(_FALSY))
    ctx.property(
        body, {"key": st.text(min_size=1, max_size=12), "value": params_values()},
        examples=examples,
    )  # fmt: skip


def _same(got: Any, value: Any) -> bool:
    try:
        return bool(got == value)
    except Exception:
        return False


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
    """The last add wins; checked as a state machine against a dict model."""
    bounded = _bounds(ctx.sample) is not None

    class CacheMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.cache = ctx.build()
            self.model: dict[str, Any] = {}

        @rule(key=st.sampled_from(["a", "b", "c", "d"]), value=params_values(1))
        def add(self, key: str, value: Any) -> None:
            self.cache.add_to_cache(key, value)
            self.model[key] = value

        @rule(key=st.sampled_from(["a", "b", "c", "d"]))
        def get(self, key: str) -> None:
            got = self.cache.get_from_cache(key)
            if key not in self.model:
                return
            want = self.model[key]
            if not _same(got, want) and not (bounded and got is None):
                raise CheckFailure(
                    f"get_from_cache({key!r}) returned {short(got, 60)}; the last "
                    f"add_to_cache({key!r}, ...) stored {short(want, 60)}"
                )

        @invariant()
        def latest_wins(self) -> None:
            for key, want in self.model.items():
                got = self.cache.get_from_cache(key)
                if not _same(got, want) and not (bounded and got is None):
                    raise CheckFailure(
                        f"after overwriting, get_from_cache({key!r}) returned "
                        f"{short(got, 60)}, not the last stored {short(want, 60)}"
                    )

    ctx.machine(CacheMachine)


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


# -- across processes ---------------------------------------------------------------------

_CHILD = """
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
from aiecs_conformance._target import load_factory
from aiecs_conformance._values import from_source
cache = load_factory(sys.argv[2])()
out = []
for line in sys.stdin.read().splitlines():
    op, user, task, args, kwargs = from_source(line)
    key = cache.generate_cache_key(op, user, task, args, kwargs)
    out.append([type(key).__qualname__, repr(key)])
print(json.dumps(out))
sys.stdout.flush()
import os; os._exit(0)  # threads or atexit hooks the target left must not hang this child
"""


@implements("cache.key.stable_across_processes", uses=_KEY, budget=2.0)
def stable_across_processes(ctx: Context) -> None:
    """A fresh interpreter with another PYTHONHASHSEED computes the same keys."""
    if ctx.target_spec is None:
        raise CheckSkip(
            "not checked: the factory cannot be imported by a fresh interpreter (define it at "
            "module level, or pass an import string 'module:attr')"
        )
    inputs: list[KeyInput] = [
        ("op", "u", "t", ("a", frozenset({"x", "y", "z"})), {"s": {"p", "q", "r"}}),
        ("search.run", "alice", "t-1", ({"k": "v", "w": b"b"},), {"q": "SELECT 1; --"}),
    ]
    collect: list[KeyInput] = []
    ctx.property(lambda inp: collect.append(inp), {"inp": key_inputs()},  # pyright: ignore[reportUnknownArgumentType, reportUnknownLambdaType]
                 max_examples=min(ctx.max_examples, 20))  # fmt: skip
    inputs += collect
    cache = ctx.build()
    ours = [_key_or_fail(cache, inp) for inp in inputs]
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(list(ctx.sys_path)), ctx.target_spec],
            input="\n".join(to_source(inp) for inp in inputs),
            capture_output=True,
            text=True,
            env=env,
            timeout=ctx.timeout * 6,
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckFailure(
            f"the fresh interpreter did not finish in {ctx.timeout * 6:g} s"
        ) from exc
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise CheckFailure(f"computing keys in a fresh interpreter failed: {tail}")
    # The child sends back (type, repr) of each key, so keys of any type (bytes, tuples)
    # are compared here; whether a key is a str at all is cache.key.type's business.
    theirs = json.loads(proc.stdout.strip().splitlines()[-1])
    for inp, mine, (kind, text) in zip(inputs, ours, theirs, strict=True):
        if [type(mine).__qualname__, _repr(mine)] != [kind, text]:
            there = text if kind == type(mine).__qualname__ else f"{text} ({kind})"
            raise CheckFailure(
                f"the key differs in a fresh interpreter (PYTHONHASHSEED={env['PYTHONHASHSEED']}): "
                f"{short(mine, 60)} here, {_cut(there, 60)} there",
                short(inp),
            )


def _repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception as exc:  # the child would have failed on it too
        return f"<repr failed: {exc!r}>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
