"""cache_key / canonical_bytes: stable, distinct, total over the params value domain."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiecs_runtime import cache_key, canonical_bytes


class Color(enum.Enum):
    RED = 1


class Level(enum.IntEnum):
    LOW = 1


@dataclasses.dataclass
class Point:
    x: int
    y: str = "a"


class Model(pydantic.BaseModel):
    a: int
    b: list[int]


RICH: dict[str, Any] = {
    "s": {3, 1, "x"},
    "fs": frozenset({b"a", b"b"}),
    "dt": dt.datetime(2020, 1, 1, 12, 0),
    "aware": dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.UTC),
    "d": dt.date(2020, 1, 1),
    "t": dt.time(1, 2),
    "m": Decimal("1.10"),
    "u": uuid.UUID(int=5),
    "e": Color.RED,
    "ie": Level.LOW,
    "dc": Point(1),
    "model": Model(a=1, b=[2]),
    "b": b"\xff\x00",
    "n": None,
    "nested": [[1, (2, 3)], {"k": {"z": 1.5}}],
    "text": "'; DROP TABLE x; -- SELECT \x00 \ud800",
}


def test_key_is_stable_across_processes_with_different_hash_seeds() -> None:
    """Original flaw: keys built from hash() changed between processes."""
    code = (
        f"import sys; sys.path.insert(0, {os.getcwd()!r})\n"
        "from tests.runtime.test_keys import RICH\n"
        "from aiecs_runtime import cache_key\n"
        "print(cache_key('t.op', 'u', 't', (1, 'a'), RICH))\n"
    )
    keys = set()
    for seed in ("1", "2", "12345", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        keys.add(out.stdout.strip())
    assert len(keys) == 1


def test_key_matches_the_recorded_value() -> None:
    """The encoding is versioned: this value must never change silently."""
    params = {
        "s": {3, 1, "x"},
        "b": b"\xff",
        "d": dt.datetime(2020, 1, 1),
        "m": Decimal("1.10"),
        "u": uuid.UUID(int=5),
        "l": [1.5, None, True],
    }
    assert cache_key("t.op", "u", "t", (1, "a"), params) == "38fb0c6342f451b9a21e3c2a1256e5d3"


def test_confusable_values_get_distinct_encodings() -> None:
    values: list[Any] = [
        1,
        1.0,
        True,
        "1",
        Decimal("1"),
        b"1",
        "x",
        b"x",
        [1],
        (1,),
        {1},
        frozenset({1}),
        {"1": 1},
        {1: 1},
        Color.RED,
        Level.LOW,
        None,
        "None",
        dt.datetime(2020, 1, 1),
        dt.datetime(2020, 1, 1).isoformat(),
        dt.date(2020, 1, 1),
        "2020-01-01",
    ]
    encodings = [canonical_bytes(v) for v in values]
    assert len(set(encodings)) == len(values)


def test_boundaries_and_argument_positions_matter() -> None:
    assert canonical_bytes(("ab", "c")) != canonical_bytes(("a", "bc"))
    assert cache_key("a", "b", "c", (), {}) != cache_key("a", "bc", "", (), {})
    assert cache_key("op", "alice", "t", (), {}) != cache_key("op", "bob", "t", (), {})
    assert cache_key("op", "u", "t", (), {"a": None}) != cache_key("op", "u", "t", (), {})


def test_order_does_not_matter() -> None:
    assert canonical_bytes({"a": 1, "b": 2}) == canonical_bytes({"b": 2, "a": 1})
    many = [f"m{i}" for i in range(50)]
    assert canonical_bytes(set(many)) == canonical_bytes(set(reversed(many)))
    assert canonical_bytes({1: "a", "b": 2}) == canonical_bytes({"b": 2, 1: "a"})


def test_unknown_type_raises_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match=r"builtins\.object"):
        canonical_bytes({"x": object()})


def test_cycle_raises_value_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="containing itself"):
        canonical_bytes(loop)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
    | st.decimals(allow_nan=False)
    | st.uuids()
    | st.datetimes()
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.frozensets(st.integers() | st.text(max_size=3), max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(values, values)
def test_equal_encodings_only_for_equal_values(a: Any, b: Any) -> None:
    if canonical_bytes(a) == canonical_bytes(b):
        assert a == b or repr(a) == repr(b)


def _rebuilt(v: Any) -> Any:
    """A structurally equal copy built separately, dicts and sets in reverse order."""
    if isinstance(v, dict):
        return {k: _rebuilt(x) for k, x in reversed(list(v.items()))}
    if isinstance(v, list):
        return [_rebuilt(x) for x in v]
    if isinstance(v, tuple):
        return tuple(_rebuilt(x) for x in v)
    if isinstance(v, frozenset):
        return frozenset(reversed(list(v)))
    return v


@settings(max_examples=100, deadline=None)
@given(values)
def test_key_is_deterministic_for_rebuilt_values(v: Any) -> None:
    key = cache_key("t.op", "u", "t", (), {"v": v})
    assert key == cache_key("t.op", "u", "t", (), {"v": _rebuilt(v)})


class Text(str):
    pass


@pytest.mark.parametrize(
    ("value", "encoding"),
    [
        # The all-str fast path of sets and its general fallback give version 1 bytes.
        ({"b", "a", Text("c")}, b'S{,"a","b","c",}'),
        (frozenset({"b", 1, Text("c"), b"x"}), b'Z{,"b","c",1,b"x",}'),
        # The model encoder reads fields from __dict__, scalars inline.
        (Model(a=1, b=[2, 3]), b'M"tests.runtime.test_keys.Model",{,"a",1,"b",[,2,3,],}'),
        (
            {"m": Model.model_construct(a=True, b=[None, 1.5])},
            b'{,"m",M"tests.runtime.test_keys.Model",{,"a",T,"b",[,N,1.5,],},}',
        ),
        (bytearray(b"\x00"), b'y"\\u0000"'),
    ],
)
def test_fast_paths_keep_the_version_1_encoding(value: Any, encoding: bytes) -> None:
    assert canonical_bytes(value) == encoding


def test_model_missing_a_field_is_refused_as_before() -> None:
    partial = Model.model_construct(a=1)  # no "b": not even a default to fall back on
    with pytest.raises(AttributeError):
        canonical_bytes(partial)
