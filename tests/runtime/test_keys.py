"""cache_key / canonical_bytes: the guarantees of CONTRACTS.md's ``cache.key.*`` rows.

Explicit cases here; hypothesis properties in ``test_keys_properties.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import os
import subprocess
import sys
import threading
import typing
import unicodedata
import uuid
from decimal import Decimal
from typing import Any, cast

import pydantic
import pytest

from aiecs_runtime import cache_key, canonical_bytes
from aiecs_runtime._keys_classes import class_identity

from ._key_values import (
    FALLBACK,
    RICH,
    Color,
    Couple,
    Level,
    Mode,
    Model,
    Other,
    Pair,
    Point,
    Secret,
    Shade,
    Spot,
    Typed,
    make_labelled,
    make_model,
    make_tagged,
    nested,
)


def key(kwargs: Any, args: tuple[Any, ...] = ()) -> str:
    return cache_key("t.op", "u", "t", args, kwargs)


# -- stability ------------------------------------------------------------------------------

_CHILD = (
    f"import sys; sys.path.insert(0, {os.getcwd()!r})\n"
    "from tests.runtime._key_values import RICH, FALLBACK\n"
    "from aiecs_runtime import cache_key\n"
    "print(cache_key('t.op', 'u', 't', (1, 'a'), RICH))\n"
    "print(cache_key('t.op', 'u', 't', (), FALLBACK))\n"
)


def test_key_is_stable_across_processes_with_different_hash_seeds() -> None:
    """Both encoders (msgpack and the token fallback), four hash seeds, fresh interpreters."""
    here = (key(RICH, (1, "a")), key(FALLBACK))
    seen: set[tuple[str, ...]] = set()
    for seed in ("0", "1", "12345", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True
        )
        seen.add(tuple(out.stdout.split()))
    assert seen == {here}


# Recorded once for key version 2: a change here moves every stored key. If ormsgpack's set
# of natively written types changes (a new release), this fails instead of keys drifting.
_RECORDED: dict[str, tuple[dict[Any, Any], str]] = {
    "plain": (
        {"q": "select", "n": 10, "f": [1.5, None, True], "b": b"\xff"},
        "ee8387f492c5a510f5bbbcd189a0d085",
    ),
    "tagged": (
        {
            "s": {3, 1, "x"},
            "d": dt.datetime(2020, 1, 1),
            "a": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            "m": Decimal("1.10"),
            "u": uuid.UUID(int=5),
            "big": 2**70,
        },
        "a98c30e40c9c228eb644c56c9cf6d171",
    ),
    "fallback": ({1: "a", "s": "\ud800"}, "ca11ba68602f9bc383e8a0b6564e2a8d"),
    "classes": (
        {"e": Color.RED, "i": Level.LOW, "m": Model(a=1, b=[2]), "d": Point(1), "t": Pair(1, 2)},
        "07b85cd4c8def69e1bd51d5c6c124ca7",
    ),
}


@pytest.mark.parametrize("name", sorted(_RECORDED))
def test_key_matches_the_recorded_value(name: str) -> None:
    params, recorded = _RECORDED[name]
    assert cache_key("t.op", "u", "t", (1, "a"), params) == recorded


def test_the_two_encoders_are_domain_separated() -> None:
    """msgpack output starts with an array header, token output with K2: never the same."""
    assert canonical_bytes(RICH)[:1] == b"M"
    for value in FALLBACK.values():
        assert canonical_bytes(value)[:1] == b"T"
    assert canonical_bytes("\ud800")[:4] == b"TK2,"


# -- the confusable pairs of cache.key.distinct ---------------------------------------------

_NAIVE = dt.datetime(2024, 5, 17, 12, 30)
_LONG = "x" * 1000
_FI = "\ufb01"  # the "fi" ligature
_E_NFC = unicodedata.normalize("NFC", "caf\u00e9")
_E_NFD = unicodedata.normalize("NFD", "caf\u00e9")

CONFUSABLE: list[tuple[str, Any, Any]] = [
    ("int/str", 1, "1"),
    ("int/float", 1, 1.0),
    ("int/bool", 1, True),
    ("float/bool", 1.0, True),
    ("str/bool", "1", True),
    ("0/False", 0, False),
    ("None/'None'", None, "None"),
    ("None/0", None, 0),
    ("Decimal/str", Decimal("1"), "1"),
    ("Decimal/int", Decimal("1"), 1),
    ("Decimal NaN/str", Decimal("NaN"), "NaN"),
    ("Decimal NaN/float nan", Decimal("NaN"), float("nan")),
    ("Decimal -0/0", Decimal("-0"), Decimal("0")),
    ("Decimal Infinity/float inf", Decimal("Infinity"), float("inf")),
    ("bytes/str", b"x", "x"),
    ("bytes/list", b"\x01", [1]),
    ("datetime/isoformat", _NAIVE, _NAIVE.isoformat()),
    ("date/isoformat", _NAIVE.date(), _NAIVE.date().isoformat()),
    ("time/isoformat", _NAIVE.time(), _NAIVE.time().isoformat()),
    ("datetime/date", dt.datetime(2024, 5, 17), dt.date(2024, 5, 17)),
    ("naive/aware", _NAIVE, _NAIVE.replace(tzinfo=dt.UTC)),
    ("aware +0/+2", _NAIVE.replace(tzinfo=dt.UTC), _NAIVE.replace(tzinfo=RICH["plus2"].tzinfo)),
    ("naive/aware time", dt.time(1, 2), dt.time(1, 2, tzinfo=dt.UTC)),
    ("UUID/str", uuid.UUID(int=5), str(uuid.UUID(int=5))),
    ("UUID/bytes", uuid.UUID(int=5), uuid.UUID(int=5).bytes),
    ("enum/value", Color.RED, 1),
    ("two enums", Color.RED, Shade.RED),
    ("IntEnum/Enum", Level.LOW, Color.RED),
    ("IntEnum/int", Level.LOW, 1),
    ("StrEnum/str", Mode.FAST, "fast"),
    ("dataclass/dict", Point(1), {"x": 1, "y": "a"}),
    ("two dataclasses", Point(1), Spot(1)),
    ("model/dict", Model(a=1, b=[2]), {"a": 1, "b": [2]}),
    ("two models", Model(a=1, b=[2]), Other(a=1, b=[2])),
    ("model/dataclass", Model(a=1, b=[2]), Point(1)),
    ("two named tuples", Pair(1, 2), Couple(1, 2)),
    ("named tuple/tuple", Pair(1, 2), (1, 2)),
    ("typed named tuple/collections", Typed(1, 2), Pair(1, 2)),
    ("set/list", {1}, [1]),
    ("set/dict", {"a"}, {"a": None}),
    ("empty set/list", set(), []),
    ("str-key/int-key", {"1": 1}, {1: 1}),
    ("None value/absent", {"a": None}, {}),
    ("boundary", ("ab", "c"), ("a", "bc")),
    ("nesting", [[1], 2], [[1, 2]]),
    ("long strings", _LONG + "a", _LONG + "b"),
    ("case", "Select", "select"),
    ("ligature", _FI, "fi"),
    ("NFC/NFD", _E_NFC, _E_NFD),
    ("0.0/-0.0 float bits", 0.0, -0.0),
    ("big ints", 10**5000, 10**5000 + 1),
    ("big int/str", 10**30, str(10**30)),
    ("u64/i64 edge", 2**64, 2**64 - 1),
    ("negative big", -(2**63) - 1, -(2**63)),
    ("big int/float", 2**70, float(2**70)),
]


@pytest.mark.parametrize(("name", "a", "b"), CONFUSABLE, ids=[c[0] for c in CONFUSABLE])
def test_confusable_values_get_distinct_keys(name: str, a: Any, b: Any) -> None:
    assert canonical_bytes(a) != canonical_bytes(b)
    assert key({"v": a}) != key({"v": b})
    assert key({}, (a,)) != key({}, (b,))
    # The same pair inside a dict with a non-str key: the token encoder must keep it too.
    assert key({0: a}) != key({0: b})


def test_confusable_pairs_are_pairwise_distinct_as_one_set() -> None:
    values = [v for _, a, b in CONFUSABLE for v in (a, b)]
    by_encoding: dict[bytes, Any] = {}
    for v in values:
        enc = canonical_bytes(v)
        if enc in by_encoding:
            assert by_encoding[enc] is v or repr(by_encoding[enc]) == repr(v)
        by_encoding[enc] = v


def test_each_part_of_the_call_is_its_own_field() -> None:
    assert cache_key("a", "b", "c", (), {}) != cache_key("a", "bc", "", (), {})
    assert cache_key("a", "b", "c", (), {}) != cache_key("ab", "", "c", (), {})
    assert cache_key("op", "alice", "t", (), {}) != cache_key("op", "bob", "t", (), {})
    assert cache_key("op", "u", "t", ("x",), {}) != cache_key("op", "u", "t", (), {"x": None})
    assert cache_key("op", "u", "t", (), {}) != cache_key("op", "u", "t", ({},), {})


# -- class identity (issue 13 item 13) -------------------------------------------------------


def test_factory_made_models_with_different_shapes_differ() -> None:
    as_int, as_float = make_model(int), make_model(float)
    as_optional = make_model(cast("type[Any]", int | None))
    assert as_int.__qualname__ == as_float.__qualname__ == as_optional.__qualname__
    keys = {key({"m": cls(value=1)}) for cls in (as_int, as_float, as_optional)}
    assert len(keys) == 3


def test_factory_made_models_with_the_same_shape_share_an_identity() -> None:
    """The documented limit: no stable scheme can tell these apart in a fresh process."""
    assert class_identity(make_model(int)) == class_identity(make_model(int))


def test_factory_arguments_that_change_no_field_still_make_different_classes() -> None:
    """What a method closes over, a class constant: values another process recomputes."""
    a, b = make_labelled("a"), make_labelled("b")
    assert a.__qualname__ == b.__qualname__ and a.model_fields.keys() == b.model_fields.keys()
    assert key({"m": a(value=1)}) != key({"m": b(value=1)})
    assert key({"m": a(value=1)}) == key({"m": make_labelled("a")(value=1)})
    assert key({"d": make_tagged("x")(1)}) != key({"d": make_tagged("y")(1)})


def test_classes_reaching_themselves_in_their_description_have_an_identity() -> None:
    class Node(pydantic.BaseModel):
        children: list[Node] = []
        ROOT: typing.ClassVar[Any] = None

    Node.ROOT = Node()
    assert key({"n": Node(children=[Node()])}) != key({"n": Node()})

    class Ring(enum.Enum):
        A = 1

        def nxt(self) -> Ring:
            return Ring.A

    assert key({"r": Ring.A}) != key({"r": 1})


def test_functional_enums_with_the_same_qualname_differ_by_members() -> None:
    first = enum.Enum("Color", ["RED", "GREEN"])  # type: ignore[misc]
    second = enum.Enum("Color", ["RED", "BLUE"])  # type: ignore[misc]
    third = enum.Enum("Color", {"RED": 2})  # type: ignore[misc]
    assert first.__qualname__ == second.__qualname__ == third.__qualname__
    assert len({key({"c": e.RED}) for e in (first, second, third)}) == 3


def test_module_and_qualname_are_never_joined_ambiguously() -> None:
    """``pkg.Outer:C`` and ``pkg:Outer.C`` were one text when joined with a dot."""

    def dataclass_named(module: str, qualname: str) -> type[Any]:
        cls = dataclasses.make_dataclass("C", [("x", int)])
        cls.__module__, cls.__qualname__ = module, qualname
        return cls

    a = dataclass_named("pkg.Outer", "C")
    b = dataclass_named("pkg", "Outer.C")
    assert key({"v": a(1)}) != key({"v": b(1)})
    assert class_identity(a) != class_identity(b)


def test_dataclasses_with_the_same_qualname_differ_by_field_types() -> None:
    a = dataclasses.make_dataclass("C", [("x", int)])
    b = dataclasses.make_dataclass("C", [("x", float)])
    c = dataclasses.make_dataclass("C", [("x", int, dataclasses.field(default=0))])
    assert len({class_identity(cls) for cls in (a, b, c)}) == 3


def test_a_models_key_is_what_its_equality_compares() -> None:
    """Declared fields, extras and private attributes; not model_fields_set."""
    plain, changed = Secret(a=1), Secret(a=1)
    changed._token = "other"  # pyright: ignore[reportPrivateUsage]
    assert plain != changed
    assert key({"m": plain}) != key({"m": changed})
    assert key({"m": Secret(a=1)}) == key({"m": Secret.model_construct(a=1)})

    class Open(pydantic.BaseModel, extra="allow"):
        a: int

    assert key({"m": Open(a=1)}) != key({"m": Open.model_validate({"a": 1, "b": 2})})


def test_model_missing_a_field_is_refused() -> None:
    partial = Model.model_construct(a=1)  # type: ignore[call-arg]  # no "b": not even a default to fall back on
    with pytest.raises(AttributeError):
        canonical_bytes(partial)


# -- totality --------------------------------------------------------------------------------


def test_ints_of_any_size_and_megabyte_strings_have_keys() -> None:
    huge = 10**5000  # past int->str's 4,300-digit limit
    assert key({"n": huge}) != key({"n": -huge})
    assert key({1: huge}) != key({1: huge + 1})  # the token encoder too
    mb = "é" * (1 << 19)
    assert key({"s": mb}) != key({"s": mb[:-1] + "e"})
    assert key({"s": mb + "\ud800"}) != key({"s": mb + "\ud801"})


def test_the_params_domain_edges_have_keys() -> None:
    assert key(RICH) == key(dict(reversed(list(RICH.items()))))
    assert key({"deep": nested(260)}) != key({"deep": nested(261)})


def test_subclasses_of_plain_types_encode_as_their_equal_plain_value() -> None:
    class Text(str):
        pass

    class Number(int):
        pass

    class Items(list[int]):
        pass

    assert canonical_bytes(Text("a")) == canonical_bytes("a")
    assert canonical_bytes(Number(2**80)) == canonical_bytes(2**80)
    assert canonical_bytes(Items([1])) == canonical_bytes([1])
    assert canonical_bytes({"a", Text("b")}) == canonical_bytes({"a", "b"})


def test_order_never_matters() -> None:
    assert canonical_bytes({"a": 1, "b": 2}) == canonical_bytes({"b": 2, "a": 1})
    many = [f"m{i}" for i in range(50)]
    assert canonical_bytes(set(many)) == canonical_bytes(set(reversed(many)))
    mixed = [1, "a", b"x", (1, 2), None, 2.5]
    assert canonical_bytes(set(mixed)) == canonical_bytes(set(reversed(mixed)))
    assert canonical_bytes({1: "a", "b": 2}) == canonical_bytes({"b": 2, 1: "a"})


def test_unknown_type_raises_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match=r"builtins\.object"):
        canonical_bytes({"x": object()})
    with pytest.raises(TypeError, match=r"builtins\.complex"):
        key({"x": [1, {2j}]})


def test_cycle_raises_value_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="containing itself"):
        canonical_bytes(loop)
    with pytest.raises(ValueError, match="containing itself"):
        key({"x": loop})


# -- installation and threads ----------------------------------------------------------------

_WITHOUT_ORMSGPACK = (
    f"import sys; sys.path.insert(0, {os.getcwd()!r})\n"
    "class Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] == 'ormsgpack':\n"
    "            raise ImportError('No module named ormsgpack')\n"
    "sys.meta_path.insert(0, Block())\n"
    "try:\n"
    "    import aiecs_runtime\n"
    "except ImportError as exc:\n"
    "    print(exc)\n"
)


def test_a_missing_ormsgpack_names_the_extra_to_install() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _WITHOUT_ORMSGPACK], capture_output=True, text=True, check=True
    )
    assert "pip install 'aiecs-contracts[runtime]'" in out.stdout


def test_keys_computed_from_many_threads_at_once_are_the_sequential_ones() -> None:
    """First sight of a class (identity, hook learning) races with other threads safely."""
    models = [make_labelled(f"k{i}")(value=i) for i in range(40)]
    dataclass_values = [make_tagged(f"t{i}")(i) for i in range(40)]
    values = [{"v": v} for v in [*models, *dataclass_values]]
    results: dict[int, list[str]] = {}
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        results[n] = [key(v) for v in values]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sequential = [key(v) for v in values]
    assert all(r == sequential for r in results.values()) and len(results) == 8
    assert len(set(sequential)) == len(values)
