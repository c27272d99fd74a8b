"""The tagged JSON wire encoding used by RedisCache and the Celery back end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from aiecs_runtime._wire import UnencodableValueError, WireDecodeError, dumps, loads


class Colour(enum.Enum):
    RED = "red"
    GREEN = 2


class Level(enum.IntEnum):
    LOW = 1


class Point(BaseModel):
    x: int
    label: str = "p"
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Box:
    size: float
    items: Any = None


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.binary(),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.dates(),
    st.times(timezones=st.none() | st.timezones()),
    st.decimals(allow_nan=False),
    st.uuids(),
    st.sampled_from([Colour.RED, Colour.GREEN, Level.LOW]),
    st.builds(Point, x=st.integers(), label=st.text()),
)
hashables = st.one_of(st.integers(), st.text(), st.binary(), st.uuids(), st.dates())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(), inner, max_size=4),
        st.sets(hashables, max_size=4),
        st.frozensets(hashables, max_size=4),
        st.builds(Box, size=st.floats(allow_nan=False), items=inner),
    ),
    max_leaves=12,
)


@settings(max_examples=200)
@given(values)
def test_every_domain_value_roundtrips_exactly(value: Any) -> None:
    back = loads(dumps(value))
    assert back == value
    assert type(back) is type(value)


@pytest.mark.parametrize(
    "value",
    [
        {"$t": "tuple", "v": [1]},
        {1: "int key", "1": "str key"},
        "lone \ud800 surrogate",
        {"k\udfff": b"\x00"},
        float("inf"),
        Point(x=1, tags=("a",)),
        Level.LOW,
        [1, 1.0, True, "1", Decimal("1"), b"1"],
    ],
)
def test_edge_values_roundtrip(value: Any) -> None:
    back = loads(dumps(value))
    assert back == value
    assert repr(back) == repr(value)


def test_local_classes_are_refused_not_mangled() -> None:
    @dataclasses.dataclass
    class Local:
        a: int

    with pytest.raises(UnencodableValueError, match="Local"):
        dumps([Local(1)])
    with pytest.raises(UnencodableValueError, match="object"):
        dumps(object())


@pytest.mark.parametrize(
    "payload",
    [
        b"\x80\x04\x95not json",
        b'{"$t": "nope", "v": 1}',
        b'{"$t": "model", "c": "os:system", "v": {}, "s": []}',
        b'{"$t": "model", "c": "subprocess:Popen", "v": {"args": "true"}, "s": []}',
        b'{"$t": "dataclass", "c": "not_imported_module_xyz:C", "v": {}}',
        b'{"$t": "enum", "c": "tests.runtime.test_redis_wire:Colour", "v": "__class__"}',
        b'{"$t": "bytes", "v": "***"}',
    ],
)
def test_foreign_or_hostile_data_is_refused(payload: bytes) -> None:
    with pytest.raises(WireDecodeError):
        loads(payload)


def test_classes_resolve_by_path_without_import() -> None:
    # Colour's module is imported (this one), so it rebuilds to the very same member.
    assert loads(dumps(Colour.GREEN)) is Colour.GREEN
    when = dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert loads(dumps(when)) == when
    assert loads(dumps(uuid.UUID(int=7))) == uuid.UUID(int=7)
