"""Hypothesis properties of cache keys over the whole params value domain.

* total: every value of the domain has a key (huge ints, NaN/infinite floats and Decimals,
  aware times, IntEnum/StrEnum, named tuples, dataclasses, models, sets, non-str dict keys,
  lone surrogates, long strings);
* deterministic: a copy rebuilt with every dict and set in another order has the same key;
* distinct: a *neighbour* — the value with exactly one place changed into something alike
  but unequal (a confusable type, one character, one key more or less) — never shares it.
"""

# mypy: disable-error-code="redundant-cast"
# (the casts give pyright strict the container types that ``type(v) is dict`` leaves open)

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
import uuid
import zoneinfo
from decimal import Decimal
from typing import Any, cast

import pydantic
from hypothesis import given, settings
from hypothesis import strategies as st

from aiecs_runtime import cache_key, canonical_bytes
from aiecs_runtime._keys_tokens import encode_tokens

from ._key_values import (
    Color,
    Couple,
    Level,
    Mode,
    Model,
    Pair,
    Perm,
    Point,
    Shade,
    Spot,
    Typed,
    open_model,
    secret,
)

_ZONES = st.sampled_from(
    [
        None,
        dt.UTC,
        dt.timezone(dt.timedelta(hours=2)),
        dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
        zoneinfo.ZoneInfo("Europe/Paris"),  # DST: folds and gaps
        zoneinfo.ZoneInfo("America/New_York"),
    ]
)

_hashable: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**60, max_value=2**200),
    st.integers(min_value=-(2**200), max_value=-(2**60)),
    st.text(max_size=8),
    st.text(st.characters(codec=None, categories=["Cs", "Lu", "Ll"]), max_size=4),
    st.binary(max_size=8),
    st.floats(),  # NaN and infinities included
    st.decimals(allow_nan=False),
    st.sampled_from([Decimal("NaN"), Decimal("-NaN"), Decimal("-0"), Decimal("Infinity")]),
    st.uuids(),
    st.dates(),
    st.datetimes(timezones=_ZONES),
    st.times(timezones=_ZONES),
    st.sampled_from([Color.RED, Shade.RED, Level.LOW, Mode.FAST]),
    st.builds(Pair, st.integers(), st.text(max_size=3)),
    st.builds(Couple, st.integers(), st.text(max_size=3)),
    st.builds(Typed, st.integers(), st.integers()),
)

_leaf: st.SearchStrategy[Any] = st.one_of(
    _hashable,
    st.decimals(),  # sNaN too, which cannot be a set member
    st.builds(Point, st.integers(), st.text(max_size=3)),
    st.builds(Spot, st.integers(), st.text(max_size=3)),
    st.builds(Model, a=st.integers(), b=st.lists(st.integers(), max_size=3)),
    st.builds(secret, st.integers(-3, 3), st.text(max_size=3)),
    st.builds(
        open_model, st.integers(-3, 3), st.dictionaries(st.sampled_from("bcd"), st.integers())
    ),
    st.sampled_from([Perm.R, Perm.W, Perm.R | Perm.W, Perm(0)]),
    st.text(min_size=1000, max_size=1010),
)

domain: st.SearchStrategy[Any] = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(_hashable, inner, max_size=3),  # keys that are not all str
        st.sets(_hashable, max_size=4),
        st.frozensets(_hashable, max_size=4),
    ),
    max_leaves=16,
)


def _key(v: Any) -> str:
    return cache_key("t.op", "u", "t", (), {"v": v})


@settings(max_examples=300, deadline=None)
@given(domain)
def test_every_value_of_the_domain_has_a_key(v: Any) -> None:
    k = _key(v)
    assert len(k) == 32 and int(k, 16) >= 0
    assert canonical_bytes(v)[:1] in (b"M", b"T")


def _rebuilt(v: Any) -> Any:
    """A structurally equal copy built separately, dicts and sets in reverse order."""
    if type(v) is dict:
        return {k: _rebuilt(x) for k, x in reversed(list(cast("dict[Any, Any]", v).items()))}
    if type(v) is list:
        return [_rebuilt(x) for x in cast("list[Any]", v)]
    if type(v) is tuple:
        return tuple(_rebuilt(x) for x in cast("tuple[Any, ...]", v))
    if type(v) is set:
        return set(reversed(list(cast("set[Any]", v))))
    if type(v) is frozenset:
        return frozenset(reversed(list(cast("frozenset[Any]", v))))
    return v


@settings(max_examples=200, deadline=None)
@given(domain)
def test_key_is_deterministic_for_rebuilt_values(v: Any) -> None:
    assert _key(v) == _key(_rebuilt(v))


# -- neighbours ------------------------------------------------------------------------------


def _alike(x: Any) -> list[Any]:
    """Values alike ``x`` that must not share its key (cache.key.distinct)."""
    out: list[Any] = [[x], (x,), {"x": x}, None if x is not None else "None"]
    if type(x) is bool:
        out += [int(x), float(x), str(x), not x]
    elif type(x) is int:
        out += [float(x) if abs(x) < 2**53 else str(x), str(x), x + 1, -x - 1, Decimal(x)]
        out += [x + 2**64, x - 2**64, x * 2**64]  # the same low 64 bits
        if x in (0, 1):
            out.append(bool(x))
    elif type(x) is float:
        out += [repr(x), Decimal(repr(x)) if x == x else Decimal("NaN")]
        if x == x and abs(x) != float("inf") and x == int(x):
            out.append(int(x))
    elif type(x) is str:
        out += [x + "\x00", x.encode("utf-8", "surrogatepass"), "\u00e9" + x]
        out += [y for y in (x.upper(), x.lower(), unicodedata.normalize("NFD", x)) if y != x]
    elif type(x) is bytes:
        out += [x.decode("latin-1"), x + b"\x00", list(x)]
    elif type(x) is Decimal:
        out += [str(x), x.to_eng_string() + "0"]
    elif type(x) is uuid.UUID:
        out += [str(x), x.bytes, x.hex]
    elif type(x) is dt.datetime:
        out += [x.isoformat(), x + dt.timedelta(microseconds=1)]
        out.append(x.replace(tzinfo=dt.UTC if x.tzinfo is None else None))
    elif type(x) is dt.date or type(x) is dt.time:
        out.append(x.isoformat())
    elif isinstance(x, Color | Shade | Level | Mode | Perm):
        out.append(x.value)
    elif isinstance(x, Point | Spot):
        out.append(dataclasses.asdict(x))
    elif isinstance(x, pydantic.BaseModel):
        out.append(x.model_dump())
    elif isinstance(x, Pair | Couple | Typed):
        out.append(tuple(cast("tuple[Any, ...]", x)))
    elif type(x) is set or type(x) is frozenset:
        members = sorted(cast("set[Any]", x), key=canonical_bytes)
        out += [members, tuple(members), dict.fromkeys(members)]
    elif type(x) is dict:
        mapping = cast("dict[Any, Any]", x)
        out.append([[k, value] for k, value in mapping.items()])
        if any(type(k) is not str for k in mapping):
            out.append({str(k): value for k, value in mapping.items()})
    return out


def _neighbours(v: Any) -> list[Any]:
    """Copies of ``v`` with one place changed into something alike but different."""
    out = _alike(v)
    if type(v) is dict:
        items: list[tuple[Any, Any]] = list(cast("dict[Any, Any]", v).items())
        for i, (k, x) in enumerate(items):
            out.append(dict([*items[:i], *items[i + 1 :]]))  # one key fewer
            out += [dict([*items[:i], (k, n), *items[i + 1 :]]) for n in _neighbours(x)]
        out.append(dict([*items, ("\x00absent", None)]))  # one key more, holding None
    elif type(v) is list or type(v) is tuple:
        seq: list[Any] = list(cast("list[Any]", v))
        changed: list[list[Any]] = [
            [*seq[:i], n, *seq[i + 1 :]] for i, x in enumerate(seq) for n in _neighbours(x)
        ]
        changed.append([*seq, None])
        out += changed if isinstance(v, list) else [tuple(c) for c in changed]
    elif type(v) is set or type(v) is frozenset:
        out.append({*cast("set[Any]", v), "\x00absent"})
    return out


def _same_value(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is type(b) and repr(a) == repr(b)
    except Exception:  # comparing odd pairs is only a filter
        return False


@settings(max_examples=150, deadline=None)
@given(domain)
def test_no_neighbour_shares_the_key(v: Any) -> None:
    k = _key(v)
    for n in _neighbours(v)[:200]:
        if _same_value(v, n):  # e.g. x.upper() of a caseless string
            continue
        assert _key(n) != k, (v, n)


@settings(max_examples=100, deadline=None)
@given(domain)
def test_the_token_encoder_alone_keeps_every_neighbour_apart(v: Any) -> None:
    """The fallback must be as distinct as the fast path: it sees any value msgpack refuses."""
    encoded = encode_tokens((v,))
    assert encoded == encode_tokens((_rebuilt(v),))
    for n in _neighbours(v)[:200]:
        if not _same_value(v, n):
            assert encode_tokens((n,)) != encoded, (v, n)
