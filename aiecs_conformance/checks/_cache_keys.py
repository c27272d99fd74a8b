"""cache.key.*: keys are strings, total, deterministic, stable across processes, distinct."""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Sequence
from typing import Any, cast

from hypothesis import strategies as st

from .._context import CheckFailure, CheckSkip, Context, first_line, short
from .._identity import class_path
from .._neighbours import leaf_pairs, leaf_variants, must_differ, neighbour_candidates
from .._values import Envelope, to_source
from . import implements
from ._fresh import keys_in_fresh_interpreter
from ._keys import (
    CONFUSABLE,
    FIELDS,
    SEPARATORS,
    KeyInput,
    extremes,
    key_inputs,
    leaf_types,
    order_probes,
    place,
    reorderings,
)

__all__ = ["KEY", "generate", "key_or_fail"]

KEY = ("generate_cache_key",)
_KEY = KEY


def generate(cache: Any, inp: KeyInput) -> Any:
    """Call ``generate_cache_key`` with the five fields of ``inp``."""
    op, user, task, args, kwargs = inp
    return cache.generate_cache_key(op, user, task, args, kwargs)


def key_or_fail(cache: Any, inp: KeyInput, what: str | None = None) -> Any:
    """The key of ``inp``; a raise is a failure that names the input."""
    try:
        return generate(cache, inp)
    except Exception as exc:
        raise CheckFailure(
            f"generate_cache_key raised {first_line(exc)}" + (f" for {what}" if what else ""),
            short(inp),
        ) from exc


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
        key = generate(cache, inp)
        if not isinstance(key, str) or not key:
            raise CheckFailure(f"generate_cache_key returned {short(key)}, not a non-empty str")

    ctx.property(body, {"inp": simple}, examples=({"inp": ("", "", "", (), {})},))


@implements("cache.key.total", uses=_KEY, budget=2.0)
def key_total(ctx: Context) -> None:
    """Every params value gives a key without raising: huge ints, 1 MB strings, deep nesting."""
    cache = ctx.build()
    for label, value in extremes():
        # Not drawn by hypothesis: an int past 4,300 digits has no repr to print.
        placed: list[tuple[str, KeyInput]] = [
            ("an arg", ("op", "u", "t", (value,), {})),
            ("a kwarg", ("op", "u", "t", (), {"v": value})),
        ]
        for where, inp in placed:
            try:
                generate(cache, inp)
            except Exception as exc:
                raise CheckFailure(
                    f"generate_cache_key raised {first_line(exc)} for {label} as {where}",
                    f"generate_cache_key('op', 'u', 't', ...) with {label} as {where}",
                ) from exc

    def body(inp: KeyInput) -> None:
        try:
            generate(cache, inp)
        except Exception as exc:
            raise CheckFailure(f"generate_cache_key raised {first_line(exc)}") from exc

    ctx.property(body, {"inp": key_inputs(4)})


@implements("cache.key.deterministic", uses=_KEY)
def key_deterministic(ctx: Context) -> None:
    """Separately built, structurally identical inputs give equal keys, in any order."""
    cache = ctx.build()
    for label, a, b in order_probes():
        ka, kb = key_or_fail(cache, a), key_or_fail(cache, b)
        if ka != kb:
            raise CheckFailure(
                f"{label} gave two keys: {short(ka, 80)} then {short(kb, 80)}; a key must not "
                f"depend on set iteration or dict insertion order",
                f"{short(a)} and {short(b)}",
            )

    def body(inp: KeyInput) -> None:
        first = generate(cache, inp)
        again = generate(cache, reorderings(inp))
        if first != again:
            raise CheckFailure(
                f"an identical input built separately (dict order / set order changed) gave "
                f"another key: {short(first, 80)} then {short(again, 80)}"
            )

    ctx.property(body, {"inp": key_inputs()})


# -- distinct -------------------------------------------------------------------------------


def _pair(a: Any, b: Any, width: int | None = None) -> str:
    """``a vs b``; where both read the same, the classes too (namesakes from two modules)."""
    left, right = (short(a, width), short(b, width)) if width else (short(a), short(b))
    if left != right:
        return f"{left} vs {right}"
    kinds = [class_path(v) for v in (a, b)]
    if kinds[0] == kinds[1]:
        return f"{left} vs {right}"
    return f"{left} vs {right} (instances of {kinds[0]} and {kinds[1]})"


def _differs(cache: Any, a: KeyInput, b: KeyInput, what: str) -> None:
    ka, kb = generate(cache, a), generate(cache, b)
    if ka == kb:
        raise CheckFailure(f"{what} share the key {short(ka, 80)}")


def _with(inp: KeyInput, field: int, value: Any) -> KeyInput:
    changed: list[Any] = list(inp)
    changed[field] = value
    op, user, task, args, kwargs = changed
    return (op, user, task, args, kwargs)


def _field_neighbours(value: Any, field: int) -> list[Any]:
    if field < 3:  # the string fields stay strings
        return [b for a, b in leaf_pairs(value) if a is value]
    return neighbour_candidates(value, keep_type=True)


@implements("cache.key.distinct", uses=_KEY, budget=2.0)
def key_distinct(ctx: Context) -> None:
    """Inputs that differ in one field give different keys (confusables, neighbours, leaves)."""
    cache = ctx.build()
    for label, a, b in CONFUSABLE:
        ka, kb = key_or_fail(cache, a, label), key_or_fail(cache, b, label)
        if ka == kb:
            raise CheckFailure(
                f"two different inputs ({label}) share the key {short(ka, 80)}",
                _pair(a, b),
            )
    _one_leaf(ctx, cache)
    _neighbours(ctx, cache)
    _random_pairs(ctx, cache)
    _boundary_shifts(ctx, cache)


def _leaf_merge(cache: Any, i: int, leaf: Any, skeleton: Any, in_args: bool) -> str | None:
    """How two inputs differing only in (a variant of) ``leaf`` share a key, if they do."""
    pairs = leaf_pairs(leaf)
    if not leaf_variants(leaf):  # objects and containers: vary one leaf inside
        pairs = [(leaf, n) for n in neighbour_candidates(leaf, keep_type=True, limit=12)]
    if type(leaf) in (list, tuple):
        # The same items in two orders, whatever was drawn: [1, 2] is not [2, 1].
        items: list[Any] = list(cast("Sequence[Any]", leaf))
        pairs.append((type(leaf)([*items, 0, "1"]), type(leaf)([*items, "1", 0])))
    base_args, base_kwargs = place(i, leaf, skeleton, in_args)
    base_key = generate(cache, ("op", "u", "t", base_args, base_kwargs))
    for a, b in pairs:
        shown = _pair(a, b, 60)  # before a target can change them
        keys: list[Any] = []
        for side in (a, b):
            if side is leaf:
                keys.append(base_key)
                continue
            args, kwargs = place(i, side, skeleton, in_args)
            keys.append(generate(cache, ("op", "u", "t", args, kwargs)))
        if keys[0] == keys[1]:
            where = "an arg" if in_args else "a kwarg"
            return f"({shown}, {where} nested three levels deep) share the key {short(keys[0], 80)}"
    return None


def _one_leaf(ctx: Context, cache: Any) -> None:
    """Inputs holding one leaf of every type; each leaf in turn is varied alone.

    The sweep over every type only finds the first type whose leaves merge; a second
    property over that type alone then shrinks the example (cheap: one leaf per run).
    """
    types = leaf_types()
    found: list[tuple[int, int, Any, Any, bool]] = []

    # ``shift`` turns which container holds which type: every type meets every container
    # (list, dict, tuple, named tuple, dataclass) over the examples.
    def sweep(leaves: list[Any], skeleton: Any, in_args: bool, shift: int) -> None:
        for i, leaf in enumerate(leaves):
            for box in (i + shift, i + shift + 2):  # two containers per leaf and example
                if not found and _leaf_merge(cache, box, leaf, skeleton, in_args) is not None:
                    found.append((i, box, leaf, skeleton, in_args))

    skeletons = st.one_of(st.none(), st.integers(), st.text(max_size=4))
    ctx.property(
        sweep,
        {"leaves": st.tuples(*(s for _, s in types)).map(list), "skeleton": skeletons,
         "in_args": st.booleans(), "shift": st.integers(0, 4)},
        max_examples=max(5, ctx.max_examples // 4),
    )  # fmt: skip
    if not found:
        return
    index, box, leaf, skeleton, in_args = found[0]
    name = types[index][0]

    def one(leaf: Any, skeleton: Any, in_args: bool) -> None:
        how = _leaf_merge(cache, box, leaf, skeleton, in_args)
        if how is not None:
            raise CheckFailure(f"two inputs that differ only in one {name} {how}")

    # Generated again for a shrunk example; if generation misses it, report the sweep's.
    ctx.property(one, {"leaf": types[index][1], "skeleton": skeletons, "in_args": st.booleans()})
    how = _leaf_merge(cache, box, leaf, skeleton, in_args)
    raise CheckFailure(f"two inputs that differ only in one {name} {how}")


def _neighbours(ctx: Context, cache: Any) -> None:
    """Generated inputs vs neighbours of one of their fields."""

    def body(inp: KeyInput, field: int, rnd: random.Random) -> None:
        found = _field_neighbours(inp[field], field)[:200]
        rnd.shuffle(found)
        base = generate(cache, inp)
        before = short(inp[field], 80)
        for other in found[:24]:
            shown = short(other, 80)  # before a target can change it
            if generate(cache, _with(inp, field, other)) == base:
                raise CheckFailure(
                    f"inputs differing only in {FIELDS[field]} ({before} vs its look-alike "
                    f"{shown}) share the key {short(base, 80)}"
                )

    ctx.property(body, {"inp": key_inputs(), "field": st.sampled_from(range(5)),
                        "rnd": st.randoms(use_true_random=False)})  # fmt: skip


def _random_pairs(ctx: Context, cache: Any) -> None:
    def body(inp: KeyInput, field: int, other: KeyInput) -> None:
        if not must_differ(inp[field], other[field]):
            return
        _differs(
            cache, inp, _with(inp, field, other[field]),
            f"inputs differing only in {FIELDS[field]} ({short(inp[field], 60)} vs "
            f"{short(other[field], 60)})",
        )  # fmt: skip

    ctx.property(
        body, {"inp": key_inputs(), "field": st.sampled_from(range(5)), "other": key_inputs()},
        max_examples=max(5, ctx.max_examples // 2),
    )  # fmt: skip


def _boundary_shifts(ctx: Context, cache: Any) -> None:
    """Generated boundary shifts: ``a+sep+b | c`` vs ``a | b+sep+c`` across adjacent fields."""
    seps = st.sampled_from(SEPARATORS) | st.text(min_size=1, max_size=3)
    parts = st.text(max_size=4)

    def body(left: int, sep: str, a: str, b: str, c: str, inp: KeyInput) -> None:
        one = _with(_with(inp, left, f"{a}{sep}{b}"), left + 1, c)
        two = _with(_with(inp, left, a), left + 1, f"{b}{sep}{c}")
        ka, kb = generate(cache, one), generate(cache, two)
        if ka == kb:
            raise CheckFailure(
                f"moving {sep!r} across the {FIELDS[left]}/{FIELDS[left + 1]} boundary "
                f"({short(one[left], 30)}, {short(one[left + 1], 30)}) vs "
                f"({short(two[left], 30)}, {short(two[left + 1], 30)}) keeps the key "
                f"{short(ka, 80)}; escape or length-prefix each field"
            )

    ctx.property(
        body,
        {"left": st.sampled_from([0, 1]), "sep": seps, "a": parts, "b": parts, "c": parts,
         "inp": key_inputs(1)},
        max_examples=max(10, ctx.max_examples // 2),
    )  # fmt: skip


@implements("cache.key.user_isolation", uses=_KEY)
def key_user_isolation(ctx: Context) -> None:
    """Two different user ids never share a key (look-alike ids included)."""
    cache = ctx.build()

    def body(inp: KeyInput, other_user: str) -> None:
        user = inp[1]
        others = [other_user, *(b for a, b in leaf_pairs(user) if a is user)]
        base = generate(cache, inp)
        for other in others:
            if other == user:
                continue
            if generate(cache, _with(inp, 1, other)) == base:
                raise CheckFailure(f"users {user!r:.80} and {other!r:.80} share the key "
                                   f"{short(base, 80)}")  # fmt: skip

    users = st.one_of(
        st.sampled_from(["", "alice", "Alice", "alice ", "bob", "0", "None"]), st.text(max_size=6)
    )
    ctx.property(
        body,
        {"inp": key_inputs(1), "other_user": users},
        examples=({"inp": ("op", "alice", "t", (), {}), "other_user": "bob"},),
    )


# -- across processes ---------------------------------------------------------------------


@implements("cache.key.stable_across_processes", uses=_KEY, budget=2.0)
def stable_across_processes(ctx: Context) -> None:
    """A fresh interpreter with another PYTHONHASHSEED computes the same keys."""
    if ctx.target_spec is None:
        raise CheckSkip(
            "not checked: the factory cannot be imported by a fresh interpreter (define it at "
            "module level, or pass an import string 'module:attr')"
        )
    # Sets of several strings iterate in hash order, which a fresh interpreter with another
    # PYTHONHASHSEED changes (8 members: the same order twice is a 1-in-40,000 chance).
    words = [f"w{i}" for i in range(8)]
    inputs: list[KeyInput] = [
        ("op", "u", "t", ("a", frozenset(words)), {"s": set(words[:6])}),
        ("op", "u", "t", (), {"nested": [{"in": frozenset(words)}], "e": Envelope(set(words))}),
        *(a for _, a, _ in order_probes()[::4]),
    ]
    inputs.append(("search.run", "alice", "t-1", ({"k": "v", "w": b"b"},), {"q": "SELECT 1; --"}))
    huge: KeyInput = ("op", "u", "t", (10**5000 + 1,), {})
    with contextlib.suppress(Exception):  # a key that cannot take it fails cache.key.total
        generate(ctx.sample, huge)
        inputs.append(huge)
    collect: list[KeyInput] = []
    ctx.property(lambda inp: collect.append(inp), {"inp": key_inputs()},  # pyright: ignore[reportUnknownArgumentType, reportUnknownLambdaType]
                 max_examples=min(ctx.max_examples, 20))  # fmt: skip
    inputs += collect
    cache = ctx.build()
    # The fresh interpreter gets the inputs as they were before any call here (rule 2),
    # and a call that changes its input is reported under cache.inputs.unchanged.
    sources = [to_source(inp) for inp in inputs]
    ours: list[Any] = []
    for inp in inputs:
        watch = ctx.watch("generate_cache_key(operation_type, user_id, task_id, args, kwargs)",
                          inp=inp)  # fmt: skip
        ours.append(key_or_fail(cache, inp))
        watch.verify()
    hash_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    # The child sends back (type, repr) of each key, so keys of any type (bytes, tuples)
    # are compared here; whether a key is a str at all is cache.key.type's business.
    theirs = keys_in_fresh_interpreter(
        list(ctx.sys_path), ctx.target_spec, sources, hash_seed, ctx.timeout * 6,
    )  # fmt: skip
    for inp, mine, (kind, text) in zip(inputs, ours, theirs, strict=True):
        if [type(mine).__qualname__, _repr(mine)] != [kind, text]:
            there = text if kind == type(mine).__qualname__ else f"{text} ({kind})"
            raise CheckFailure(
                f"the key differs in a fresh interpreter (PYTHONHASHSEED={hash_seed}): "
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
