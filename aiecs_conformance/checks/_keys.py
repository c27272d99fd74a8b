"""Inputs for the cache-key checks: call contexts, reordered copies, probes, confusables."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import itertools
import unicodedata
import uuid
from collections.abc import Iterable
from typing import Any, cast

from hypothesis import strategies as st
from pydantic import BaseModel

from .. import _namesakes as ns
from .._identity import class_path
from .._neighbours import must_differ
from .._scripted import OPTION_NAMES
from .._values import (
    Color,
    Envelope,
    Hue,
    Level,
    Mode,
    Parcel,
    Point,
    SampleModel,
    SampleRecord,
    TwinModel,
    TwinPoint,
    TwinRecord,
)
from ..strategies import _texts, params, params_values  # pyright: ignore[reportPrivateUsage]

__all__ = [
    "CONFUSABLE",
    "FIELDS",
    "SEPARATORS",
    "KeyInput",
    "differ",
    "extremes",
    "key_inputs",
    "leaf_types",
    "order_probes",
    "place",
    "reorderings",
]

KeyInput = tuple[str, str, str, tuple[Any, ...], dict[str, Any]]
"""(operation_type, user_id, task_id, args, kwargs), as ``generate_cache_key`` takes them."""

FIELDS = ("operation_type", "user_id", "task_id", "args", "kwargs")

_IDS = st.one_of(st.sampled_from(["", "u", "user-1", "t;1", "a b", "U"]), _texts())


def key_inputs(max_depth: int = 2) -> st.SearchStrategy[KeyInput]:
    """Generated call contexts from the params value domain, nested ``max_depth`` deep."""
    kwargs = st.one_of(
        params(max_size=3, max_depth=max_depth),
        st.dictionaries(_texts(), params_values(max_depth), max_size=2),
        # Names a cache may be tempted to leave out of its key (options, "private" keys).
        st.dictionaries(st.sampled_from(OPTION_NAMES), params_values(max_depth), min_size=1,
                        max_size=2),
    )  # fmt: skip
    return st.tuples(
        st.one_of(st.sampled_from(["op", "search.run", "db.query"]), _texts()),
        _IDS,
        _IDS,
        st.lists(params_values(max_depth), max_size=3).map(tuple),
        kwargs,
    )


def differ(a: Any, b: Any) -> bool:
    """Whether two values must give different keys (see `aiecs_conformance._neighbours`)."""
    return must_differ(a, b)


# -- order: the same value, built so that dicts and sets iterate in another order ----------


def _insert(kind: type[Any], members: Iterable[Any], pad: int = 0) -> Any:
    # A table grown by padding (then emptied) keeps its size, so members land in other
    # slots and iterate in another order than in a small table.
    padding = [("aiecs-pad", i) for i in range(pad)]
    out: set[Any] = set(padding)
    for m in members:
        out.add(m)
    out.difference_update(padding)
    return frozenset(out) if kind is frozenset else out


def _reordered_set(value: set[Any] | frozenset[Any]) -> Any:
    members = [reorder(m) for m in value]
    kind = type(value)
    tries = (members[::-1], members[1:] + members[:1])
    built = [_insert(kind, order) for order in tries]
    built += [_insert(kind, order, pad=64) for order in tries]
    for candidate in built:
        if list(candidate) != list(value):
            return candidate
    return built[0]


def _untyped(value: object) -> Any:
    return value


def reorder(value: Any) -> Any:
    """A structurally identical copy, built separately, iterating in another order."""
    value = _untyped(value)
    if isinstance(value, dict):
        items = [(k, reorder(v)) for k, v in _untyped(value).items()]  # pyright: ignore[reportUnknownArgumentType]
        return dict(reversed(items))
    if isinstance(value, (set, frozenset)):
        return _reordered_set(cast("frozenset[Any]", value))
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):  # pyright: ignore[reportUnknownArgumentType]
        return type(value)(*(reorder(v) for v in _untyped(value)))  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if isinstance(value, list):
        return [reorder(v) for v in _untyped(value)]  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, tuple):
        return tuple(reorder(v) for v in _untyped(value))  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, BaseModel):
        fields = {n: reorder(getattr(value, n)) for n in type(value).model_fields}
        return type(value)(**fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: reorder(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return type(value)(**fields)
    return value


def reorderings(inp: KeyInput) -> KeyInput:
    """``inp`` rebuilt: every dict in reverse insertion order, every set re-inserted."""
    op, user, task, args, kwargs = inp
    return (op, user, task, reorder(args), reorder(kwargs))


def _orders_differ(members: list[Any]) -> bool:
    return list(_insert(set, members)) != list(_insert(set, members[::-1]))


def _colliding_strings(count: int) -> list[str]:
    # Strings whose hashes (in this process, whatever PYTHONHASHSEED is) share a slot of an
    # 8-slot table and whose set iterates in insertion order, as 1, 9 and 17 do.
    by_slot: dict[int, list[str]] = {}
    for i in itertools.count():
        text = f"s{i}"
        slot = by_slot.setdefault(hash(text) & 7, [])
        slot.append(text)
        if len(slot) == count:
            if _orders_differ(slot):
                return slot
            slot.pop(0)
    raise AssertionError("unreachable")


def order_probes() -> list[tuple[str, KeyInput, KeyInput]]:
    """Pairs of identical inputs whose sets or dicts iterate in another order, on any seed.

    ``1``, ``9`` and ``17`` share a slot of an 8-slot set, so their insertion order is
    their iteration order; strings are searched for the same property in this process.
    """
    strs = _colliding_strings(3)
    out: list[tuple[str, KeyInput, KeyInput]] = []
    for label, members in (("ints", [1, 9, 17]), ("strings", strs), ("mixed", [1, strs[0], 9])):
        if not _orders_differ(members):
            continue  # only "mixed" can: a string may take the slot the ints would swap
        for kind in (set, frozenset):
            a, b = _insert(kind, members), _insert(kind, members[::-1])
            name = f"a {kind.__name__} of {label} built in two orders"
            out += [
                (name + " (arg)", ("op", "u", "t", (a,), {}), ("op", "u", "t", (b,), {})),
                (name + " (kwarg)", ("op", "u", "t", (), {"s": a}), ("op", "u", "t", (), {"s": b})),
                (name + " (nested)", ("op", "u", "t", ([{"in": a}],), {}),
                 ("op", "u", "t", ([{"in": b}],), {})),
                (name + " (in an object)", ("op", "u", "t", (Envelope(a), Point(a, 1)), {}),
                 ("op", "u", "t", (Envelope(b), Point(b, 1)), {})),
            ]  # fmt: skip
    d1 = {"a": 1, "b": [2], "c": None}
    d2 = {"c": None, "b": [2], "a": 1}
    out += [
        ("kwargs in two insertion orders", ("op", "u", "t", (), d1), ("op", "u", "t", (), d2)),
        ("a dict arg in two insertion orders", ("op", "u", "t", (d1,), {}),
         ("op", "u", "t", (d2,), {})),
        ("a nested dict in two insertion orders", ("op", "u", "t", (), {"x": [d1]}),
         ("op", "u", "t", (), {"x": [d2]})),
    ]  # fmt: skip
    return out


# -- total: the extremes of the domain -----------------------------------------------------


def _deep(levels: int) -> Any:
    value: Any = 1
    for i in range(levels):
        value = [value] if i % 3 == 0 else {"d": value} if i % 3 == 1 else (value, Envelope(i))
    return value


def extremes() -> list[tuple[str, Any]]:
    """Values a key must still handle: huge ints, 1 MB strings, every type, deep nesting."""
    huge = 10**5000 + 7
    aware = datetime.timezone(datetime.timedelta(hours=-9, minutes=-30))
    every: list[tuple[str, Any]] = [
        ("an int of 5,001 digits", huge),
        ("a negative int of 4,400 digits", -(10**4400) - 3),
        ("a 1 MB ASCII string", "x" * 2**20),
        ("a 1 MB string of 4-byte characters", "\U0001f600" * 2**18),
        ("a 1 MB string with NUL and quotes", "\x00';--\"" * (2**20 // 6)),
        ("1 MB of bytes", b"\xff\x00" * 2**19),
        ("Decimal NaN", decimal.Decimal("NaN")),
        ("Decimal -Infinity", decimal.Decimal("-Infinity")),
        ("Decimal -0", decimal.Decimal("-0")),
        ("Decimal 1E+999999", decimal.Decimal("1E+999999")),
        ("an aware time", datetime.time(23, 59, 59, 999999, tzinfo=aware)),
        ("an aware datetime", datetime.datetime(1, 1, 1, tzinfo=datetime.timezone(
            datetime.timedelta(hours=23, minutes=59)))),
        ("datetime.max", datetime.datetime.max),
        ("a date", datetime.date(9999, 12, 31)),
        ("a UUID", uuid.UUID(int=2**128 - 1)),
        ("enum members", [Color.BLUE, Hue.RED, Level.HIGH, Mode.READ]),
        ("models", [SampleModel(name="\x00"), TwinModel(name="", tags=("a",))]),
        ("dataclasses", [SampleRecord(x=huge), TwinRecord(x=-1), Envelope({1, 2}), Parcel()]),
        ("named tuples", [Point(huge, None), TwinPoint([], {})]),
        ("sets of every hashable", {None, True, 2, "s", b"b", decimal.Decimal("1.5"), Color.RED,
                                    datetime.date(2020, 1, 1), SampleRecord(x=1)}),
        ("a float", 1e308),
        ("-0.0", -0.0),
        ("empty containers", [[], (), {}, set(), frozenset(), "", b""]),
        ("nesting 5 deep", _deep(5)),
        ("nesting 12 deep", _deep(12)),
        ("a dict with 2,000 keys", {f"k{i}": i for i in range(2000)}),
    ]  # fmt: skip
    return every


# -- explicit confusable pairs -------------------------------------------------------------

_NOW = datetime.datetime(2024, 5, 17, 12, 30, tzinfo=datetime.UTC)
_UID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def _base(**change: Any) -> KeyInput:
    fields: dict[str, Any] = {
        "operation_type": "op",
        "user_id": "u",
        "task_id": "t",
        "args": (),
        "kwargs": {},
    }
    fields.update(change)
    return (
        fields["operation_type"],
        fields["user_id"],
        fields["task_id"],
        fields["args"],
        fields["kwargs"],
    )


def _scalar_pairs() -> list[tuple[Any, Any]]:
    typed = [1, "1", 1.0, True]
    pairs = [(a, b) for i, a in enumerate(typed) for b in typed[i + 1 :]]
    long = "p" * 1000
    pairs += [
        (0, False), (0, None), ("", None), ("None", None), ("", b""), (0, 0.0), (False, None),
        (decimal.Decimal("1"), "1"), (decimal.Decimal("1"), 1), (decimal.Decimal("1.5"), 1.5),
        (decimal.Decimal("1.5"), decimal.Decimal("1.6")), (decimal.Decimal("NaN"), "NaN"),
        (decimal.Decimal("Infinity"), "Infinity"),
        (decimal.Decimal("-0"), decimal.Decimal("1")),
        (b"x", "x"), (_NOW, _NOW.isoformat()), (_NOW.date(), _NOW.date().isoformat()),
        (_NOW, _NOW.replace(tzinfo=None)), (_NOW, _NOW.replace(microsecond=1)),
        (_NOW.timetz(), _NOW.time()), (_NOW.timetz(), _NOW.timetz().isoformat()),
        (_NOW.timetz(), _NOW.timetz().replace(
            tzinfo=datetime.timezone(datetime.timedelta(hours=1)))),
        (_UID, str(_UID)), (_UID, uuid.UUID(int=_UID.int + 1)),
        ([1, [2]], [[1], 2]), ({"a": 1}, {"b": 1}), ({"a": 1}, {"a": "1"}), ("a,b", ["a", "b"]),
        ({1}, {"1"}), (frozenset({1, 2}), frozenset({"1", 2})), ([1], ["1"]), ((None,), ("None",)),
        (long + "a", long + "b"), ("a" + long, "b" + long), ("\ufb01", "fi"), ("Ab", "ab"),
        ("\u00e9", unicodedata.normalize("NFD", "\u00e9")), ("STRASSE", "Straße"),
        (Color.RED, "red"), (Color.RED, Hue.RED), (Color.BLUE, 3), (Color.RED, "RED"),
        (SampleModel(name="a"), TwinModel(name="a")),
        (SampleModel(name="a"), {"name": "a", "count": 0, "tags": ()}),
        (SampleRecord(x=1), TwinRecord(x=1)), (SampleRecord(x=1), {"x": 1, "label": ""}),
        (Envelope(1), Parcel(1)), (Envelope(None), None),
        (Point(1, 2), TwinPoint(1, 2)), (Point(1, 2), {"x": 1, "y": 2}),
        # Namesakes: same __name__ and __qualname__, another module.
        (Color.RED, ns.Color.RED), (SampleModel(name="a"), ns.SampleModel(name="a")),
        (SampleRecord(x=1), ns.SampleRecord(x=1)), (Envelope(1), ns.Envelope(1)),
        (Point(1, 2), ns.Point(1, 2)),
        (2**53, 2**53 + 1), (2**64, 2**64 + 1), (10**30, 10**30 + 1),
    ]  # fmt: skip
    return [(a, b) for a, b in pairs if must_differ(a, b)]


SEPARATORS = (
    ":", "::", "|", "||", " | ", "/", "\\", "-", "--", "_", "__", ".", ",", ";", " ", "\t",
    "\n", "\x00", "\x1f", "#", "@", "=", "&", "+", "~", "'", '"', ": ", ", ", " - ", "->",
)  # fmt: skip
"""Joiners a hand-built key may put between fields (``f"{a}:{b}"``, ``"|".join(...)``)."""

_STRING_FIELDS = ("operation_type", "user_id", "task_id")


def _separator_shifts() -> list[tuple[str, KeyInput, KeyInput]]:
    """Move a separator across each boundary of adjacent string fields, and between args.

    A key that joins the fields with ``sep`` (and does not escape it) maps
    ``("a{sep}b", "c")`` and ``("a", "b{sep}c")`` to the same text.
    """
    out: list[tuple[str, KeyInput, KeyInput]] = []
    pairs = list(itertools.pairwise(_STRING_FIELDS))
    for sep in SEPARATORS:
        for left, right in pairs:
            out.append((
                f"{left}/{right} boundary shift over {sep!r}",
                _base(**{left: f"a{sep}b", right: "c"}),
                _base(**{left: "a", right: f"b{sep}c"}),
            ))  # fmt: skip
        out.append((
            f"args boundary shift over {sep!r}",
            _base(args=(f"a{sep}b", "c")),
            _base(args=("a", f"b{sep}c")),
        ))  # fmt: skip
    return out


def _confusables() -> list[tuple[str, KeyInput, KeyInput]]:
    out: list[tuple[str, KeyInput, KeyInput]] = [
        ("args boundary", _base(args=("ab", "c")), _base(args=("a", "bc"))),
        ("op/user boundary", _base(operation_type="ab", user_id="c"),
         _base(operation_type="a", user_id="bc")),
        ("user/task boundary", _base(user_id="u1", task_id="t"), _base(user_id="u", task_id="1t")),
        ("user/task swapped", _base(user_id="a", task_id="b"), _base(user_id="b", task_id="a")),
        ("None vs absent kwarg", _base(kwargs={"a": None}), _base(kwargs={})),
        ("None vs absent arg", _base(args=(None,)), _base(args=())),
        ("kwarg name", _base(kwargs={"a": 1}), _base(kwargs={"b": 1})),
        *((f"a kwarg {n!r} vs none", _base(kwargs={n: 1}), _base(kwargs={})) for n in OPTION_NAMES),
        ("kwarg name case", _base(kwargs={"a": 1}), _base(kwargs={"A": 1})),
        ("an arg vs a kwarg", _base(args=(1,)), _base(kwargs={"0": 1})),
        ("task id", _base(task_id="t1"), _base(task_id="t2")),
        ("operation type", _base(operation_type="a.run"), _base(operation_type="b.run")),
        ("operation type case", _base(operation_type="a.Run"), _base(operation_type="a.run")),
        ("long task ids", _base(task_id="t" * 1000 + "1"), _base(task_id="t" * 1000 + "2")),
    ]  # fmt: skip
    out += _separator_shifts()
    for a, b in _scalar_pairs():
        if repr(a) == repr(b):  # namesakes read the same: name their modules
            a_is, b_is = class_path(a), class_path(b)
            label = f"{a!r:.60} as {a_is} vs as {b_is}"
            out.append((f"args {label}", _base(args=(a,)), _base(args=(b,))))
            out.append((f"kwargs {label}", _base(kwargs={"v": a}), _base(kwargs={"v": b})))
            continue
        out.append((f"args {a!r:.60} vs {b!r:.60}", _base(args=(a,)), _base(args=(b,))))
        out.append((f"kwargs {a!r:.60} vs {b!r:.60}", _base(kwargs={"v": a}),
                    _base(kwargs={"v": b})))  # fmt: skip
    return out


CONFUSABLE: list[tuple[str, KeyInput, KeyInput]] = _confusables()
"""Pairs the contract names explicitly: each pair must give two different keys."""


# -- one leaf of every type, placed deep inside a generated input --------------------------


def _cased(text: str) -> str:
    return text + "Ab"  # at least one cased letter, so case variants differ


def _with_zone(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    return moment.replace(tzinfo=zone)


def leaf_types() -> list[tuple[str, st.SearchStrategy[Any]]]:
    """One strategy per type of the domain whose values have same-type unequal variants."""
    from .. import strategies as s

    p = cast("Any", s)  # the private building blocks of the params domain
    naive = st.datetimes(min_value=datetime.datetime(1900, 1, 1))
    aware = st.builds(_with_zone, naive, p._OFFSETS)
    naive_time = st.times()
    aware_time = st.times(timezones=p._OFFSETS)
    inner = params_values(0)
    scalars: list[tuple[str, st.SearchStrategy[Any]]] = [
        ("bool", st.booleans()), ("int", p._integers()),
        ("float", st.floats(allow_nan=False, allow_infinity=False)),
        ("str", _texts().map(_cased)), ("bytes", st.binary(max_size=8)),
        ("Decimal", p._decimals()), ("UUID", st.uuids()),
        ("naive datetime", naive), ("aware datetime", aware), ("date", st.dates()),
        ("naive time", naive_time), ("aware time", aware_time),
        *((f"{cls.__name__} member", st.sampled_from(cls)) for cls in (Color, Hue, Level, Mode)),
    ]  # fmt: skip
    objects: list[tuple[str, st.SearchStrategy[Any]]] = [
        ("pydantic model", p._models()), ("dataclass", p._records()),
        ("dataclass of any value", st.builds(Envelope, inner) | st.builds(Parcel, inner)),
        ("named tuple", st.builds(Point, inner, inner) | st.builds(TwinPoint, inner, inner)),
        # Two items at least: a key that ignores order can then show it.
        ("list", st.lists(inner, min_size=2, max_size=3)),
        ("tuple", st.lists(inner, min_size=2, max_size=3).map(tuple)),
        ("dict", st.dictionaries(_texts(), inner, min_size=1, max_size=3)),
        ("set", st.sets(p._hashables(), min_size=1, max_size=3)),
        ("frozenset", st.frozensets(p._hashables(), min_size=1, max_size=3)),
    ]  # fmt: skip
    return scalars + objects


def _wrap(i: int, leaf: Any) -> Any:
    # Each leaf sits in another kind of container, so a key that loses one kind's
    # contents shows on some type.
    kind = i % 5
    if kind == 0:
        return [leaf]
    if kind == 1:
        return {"k": leaf}
    if kind == 2:
        return (0, leaf)
    if kind == 3:
        return Point(leaf, None)
    return Envelope([leaf])


def place(
    i: int, leaf: Any, skeleton: Any, in_args: bool
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``(args, kwargs)`` holding ``skeleton`` and ``leaf`` three levels deep.

    ``i`` picks the kind of container around the leaf (a list, a dict, a tuple, a named
    tuple, a dataclass), so a key that loses one kind's contents shows on some type.
    """
    wrapped = [_wrap(i, leaf)]
    if in_args:
        return (skeleton, wrapped), {"s": skeleton}
    return (skeleton,), {"s": skeleton, "leaves": wrapped}
