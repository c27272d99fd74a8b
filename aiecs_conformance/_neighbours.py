"""Neighbours of params values: values that look alike but must never share a cache key.

`identity` is the equivalence CONTRACTS.md allows keys to follow: two values may share a
key only when their identities are equal. It tags every value with its type (so ``1``,
``1.0``, ``True`` and ``"1"`` differ, and two classes with equal fields differ) and folds
only what the contract lets merge: ``0.0`` / ``-0.0``, ``Decimal("1.0")`` /
``Decimal("1.00")``, one instant in two time zones, ``tuple`` / ``list``, ``set`` /
``frozenset``, and an ``IntEnum`` / ``StrEnum`` member with its value.

`leaf_variants` changes one scalar into an unequal one of the same type (the one-leaf
variation); `look_alikes` derives the confusable forms of a value (a twin class, the equal
dict, the string form, a type change, case and normalisation variants, a boundary shift…);
`neighbour_candidates` applies both at every node of a nested value; `neighbours` is the
public hypothesis strategy over them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import decimal
import enum
import itertools
import math
import unicodedata
import uuid
from collections.abc import Callable, Hashable, Iterator
from typing import Any, cast

from hypothesis import strategies as st
from pydantic import BaseModel

from ._values import TWINS

__all__ = [
    "identity",
    "leaf_pairs",
    "leaf_variants",
    "look_alikes",
    "must_differ",
    "neighbour_candidates",
    "neighbours",
    "replace_at",
    "value_neighbour_pairs",
]

# Variants stay within the default 28 significant digits, so a key that normalises
# Decimals in the default context (allowed: 1.0 and 1.00 may share a key) still tells
# them apart; only the contract's distinctions are asked for.
_DECIMALS = decimal.Context(prec=28, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _untyped(value: object) -> Any:
    # The values walked here are of many types; past an isinstance test their items are Any.
    return value


def _qualname(value: object) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_named_tuple(value: object) -> bool:
    return isinstance(value, tuple) and hasattr(type(cast("object", value)), "_fields")


def _decimal_identity(value: decimal.Decimal) -> Hashable:
    if value.is_nan():
        return ("decimal", "NaN")
    if value.is_infinite():
        return ("decimal", "inf", value.is_signed())
    if value.is_zero():
        return ("decimal", 0)
    sign, digits, exponent = value.as_tuple()
    kept = list(digits)
    exp = int(exponent)
    while kept and kept[-1] == 0:  # 1.0 and 1.00 are one value written twice
        kept.pop()
        exp += 1
    return ("decimal", sign, tuple(kept), exp)


def _instant(value: dt.datetime) -> Hashable:
    offset = value.utcoffset()
    assert offset is not None
    try:
        return ("datetime", "aware", value.replace(tzinfo=None) - offset)
    except OverflowError:
        return ("datetime", "aware", value.replace(tzinfo=None), offset)


def _time_identity(value: dt.time) -> Hashable:
    offset = value.utcoffset()
    micros = ((value.hour * 60 + value.minute) * 60 + value.second) * 10**6 + value.microsecond
    if offset is None:
        return ("time", micros)
    return ("time", "aware", micros - offset // dt.timedelta(microseconds=1))


def identity(value: object) -> Hashable:
    """What a key may depend on: equal identities may share a key, unequal ones must not."""
    if value is None:
        return ("none",)
    if isinstance(value, enum.Enum):
        if isinstance(value, (int, str)):  # an IntEnum / StrEnum member may share its value's key
            return identity(int(value) if isinstance(value, int) else str(value._value_))
        return ("enum", _qualname(value), value.name)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", abs(value) if value == 0.0 else value)  # -0.0 and 0.0: one value
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, (bytes, bytearray)):
        return ("bytes", bytes(value))
    if isinstance(value, decimal.Decimal):
        return _decimal_identity(value)
    if isinstance(value, uuid.UUID):
        return ("uuid", value.int)
    if isinstance(value, dt.datetime):
        return _instant(value) if value.utcoffset() is not None else ("datetime", value)
    if isinstance(value, dt.date):
        return ("date", value)
    if isinstance(value, dt.time):
        return _time_identity(value)
    if _is_named_tuple(value):
        items = cast("tuple[Any, ...]", value)
        return ("namedtuple", _qualname(value), tuple(identity(v) for v in items))
    if isinstance(value, (list, tuple)):
        seq = cast("list[Any]", value)
        return ("seq", tuple(identity(v) for v in seq))
    if isinstance(value, dict):
        mapping: dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return ("dict", frozenset((identity(k), identity(v)) for k, v in mapping.items()))
    if isinstance(value, (set, frozenset)):
        members = cast("frozenset[Any]", value)
        return ("set", frozenset(identity(v) for v in members))
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        return ("model", _qualname(value), tuple((n, identity(getattr(value, n))) for n in names))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return ("dataclass", _qualname(value),
                tuple((f.name, identity(getattr(value, f.name))) for f in fields))  # fmt: skip
    return ("other", _qualname(value), repr(value))


def must_differ(a: object, b: object) -> bool:
    """Whether CONTRACTS.md requires ``a`` and ``b`` (in the same place) to get two keys."""
    try:
        return identity(a) != identity(b)
    except Exception:  # a value outside the domain: no claim about it
        return False


# -- one leaf: an unequal value of the same type -------------------------------------------


def _int_variants(v: int) -> list[Any]:
    return [v + 1, v - 1, -v if v else 7, v ^ (1 << 31), v ^ (1 << 53), v ^ (1 << 64)]


def _float_variants(v: float) -> list[Any]:
    out = [math.nextafter(v, math.inf), math.nextafter(v, -math.inf), v + 1.0, -v if v else 1.0]
    return [f for f in out if math.isfinite(f)]


def _str_variants(v: str) -> list[Any]:
    out = [v + "x", "x" + v, v[:-1], v.swapcase(), v.upper(), v.lower(), v.casefold()]
    if v:
        last = chr(ord(v[-1]) ^ 1)
        first = chr(ord(v[0]) ^ 1)
        out += [v[:-1] + last, first + v[1:]]
        mid = len(v) // 2
        out.append(v[:mid] + chr(ord(v[mid]) ^ 2) + v[mid + 1 :])
    out += [unicodedata.normalize(form, v) for form in ("NFC", "NFD", "NFKC", "NFKD")]
    return out


def _bytes_variants(v: bytes) -> list[Any]:
    out: list[Any] = [v + b"\x00", b"x" + v, v.upper(), v.lower()]
    if v:
        out += [v[:-1] + bytes([v[-1] ^ 1]), bytes([v[0] ^ 0x80]) + v[1:], v[:-1]]
    return out


def _decimal_variants(v: decimal.Decimal) -> list[Any]:
    if v.is_nan():
        return [decimal.Decimal("Infinity"), decimal.Decimal(0)]
    if v.is_infinite():
        return [-v, decimal.Decimal("NaN"), decimal.Decimal(0)]
    if v.is_zero():
        return [decimal.Decimal(1), decimal.Decimal("-1"), decimal.Decimal("1E-9")]
    return [
        _DECIMALS.next_plus(v),
        _DECIMALS.next_minus(v),
        _DECIMALS.add(v, decimal.Decimal(1)),
        _DECIMALS.add(v, decimal.Decimal("0.1")),
        _DECIMALS.scaleb(v, 1),
        -v,
    ]


def _shift_offset(offset: dt.timedelta, minutes: int) -> dt.timezone:
    moved = offset + dt.timedelta(minutes=minutes)
    if abs(moved) >= dt.timedelta(hours=24):
        moved = offset - dt.timedelta(minutes=minutes)
    return dt.timezone(moved)


def _datetime_variants(v: dt.datetime) -> list[Any]:
    out: list[Any] = []
    for delta in (dt.timedelta(microseconds=1), dt.timedelta(seconds=1), dt.timedelta(days=1)):
        for sign in (1, -1):
            with contextlib.suppress(OverflowError):
                out.append(v + sign * delta)
    offset = v.utcoffset()
    if offset is None:
        out += [v.replace(tzinfo=dt.UTC), v.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))]
    else:  # the same wall clock in another zone is another instant
        out += [v.replace(tzinfo=None), v.replace(tzinfo=_shift_offset(offset, 1)),
                v.replace(tzinfo=_shift_offset(offset, 60))]  # fmt: skip
    return out


def _date_variants(v: dt.date) -> list[Any]:
    out: list[Any] = []
    for days in (1, -1, 365):
        with contextlib.suppress(OverflowError):
            out.append(v + dt.timedelta(days=days))
    return out


def _time_variants(v: dt.time) -> list[Any]:
    out: list[Any] = [
        v.replace(microsecond=(v.microsecond + 1) % 10**6),
        v.replace(second=(v.second + 1) % 60),
        v.replace(hour=(v.hour + 1) % 24),
    ]
    offset = v.utcoffset()
    if offset is None:
        out += [v.replace(tzinfo=dt.UTC), v.replace(tzinfo=dt.timezone(dt.timedelta(hours=-3)))]
    else:
        out += [v.replace(tzinfo=None), v.replace(tzinfo=_shift_offset(offset, 1)),
                v.replace(tzinfo=_shift_offset(offset, 60))]  # fmt: skip
    return out


def _uuid_variants(v: uuid.UUID) -> list[Any]:
    return [
        uuid.UUID(int=v.int ^ 1),
        uuid.UUID(int=v.int ^ (1 << 127)),
        uuid.UUID(int=v.int ^ (1 << 64)),
    ]


def leaf_variants(leaf: object) -> list[Any]:
    """Unequal values of the same type as the scalar ``leaf`` (empty for ``None``)."""
    if isinstance(leaf, enum.Enum):
        return [m for m in type(leaf) if m is not leaf]
    if isinstance(leaf, bool):
        return [not leaf]
    if isinstance(leaf, int):
        return _int_variants(leaf)
    if isinstance(leaf, float):
        return _float_variants(leaf)
    if isinstance(leaf, str):
        return _str_variants(leaf)
    if isinstance(leaf, bytes):
        return _bytes_variants(leaf)
    if isinstance(leaf, decimal.Decimal):
        return _decimal_variants(leaf)
    if isinstance(leaf, uuid.UUID):
        return _uuid_variants(leaf)
    if isinstance(leaf, dt.datetime):
        return _datetime_variants(leaf)
    if isinstance(leaf, dt.date):
        return _date_variants(leaf)
    if isinstance(leaf, dt.time):
        return _time_variants(leaf)
    return []


_LONG = "k" * 1000


def _guarded(derive: Callable[[object], list[Any]], value: object) -> list[Any]:
    # A kit check must never blame the target for the kit's own error: a value the
    # derivations cannot handle simply has no neighbours of that kind.
    try:
        return derive(value)
    except Exception:
        return []


def leaf_pairs(leaf: object) -> list[tuple[Any, Any]]:
    """Pairs of same-type values derived from ``leaf`` that must get different keys.

    ``(leaf, variant)`` for every variant, plus pairs that need both sides changed: two
    case variants, two normalisation forms, a 1,000-character common prefix, ints past
    the float and 64-bit ranges.
    """
    pairs: list[tuple[Any, Any]] = [(leaf, v) for v in _guarded(leaf_variants, leaf)]
    if isinstance(leaf, str):
        pairs += [
            (leaf + "a", leaf + "A"),
            (leaf + "\ufb01", leaf + "fi"),
            (leaf + "\u00e9", leaf + "e\u0301"),
            (_LONG + leaf + "a", _LONG + leaf + "b"),
            (leaf + _LONG + "a", leaf + _LONG + "b"),
        ]
    elif isinstance(leaf, int) and not isinstance(leaf, (bool, enum.Enum)):
        big = (leaf << 64) | 1
        pairs += [(big, big + 1), (big, big + 2), (-big, -big - 2)]
    elif isinstance(leaf, bytes):
        pairs += [(leaf + b"a", leaf + b"A"), (leaf + b"\x00", leaf + b"\x01")]
    return [(a, b) for a, b in pairs if must_differ(a, b)]


# -- look-alikes: confusable values of other types or classes -----------------------------


def _twin(value: object) -> list[Any]:
    twin = TWINS.get(type(value))
    if twin is None:
        return []
    if isinstance(value, enum.Enum):
        return [cast("Any", twin)[value.name]]
    if isinstance(value, BaseModel):
        return [twin(**{n: getattr(value, n) for n in type(value).model_fields})]
    if _is_named_tuple(value):
        return [twin(*cast("tuple[Any, ...]", value))]
    fields = dataclasses.fields(cast("Any", value))
    return [twin(**{f.name: getattr(value, f.name) for f in fields})]


def _scalar_look_alikes(value: object) -> list[Any]:
    if value is None:
        return ["", 0, False, "None", "null", []]
    if isinstance(value, enum.Enum):
        out: list[Any] = [value.name, *_twin(value)]
        if not isinstance(value, (int, str)):
            out.append(value.value)
        return out
    if isinstance(value, bool):
        return [int(value), str(value), str(value).lower(), None if not value else 1.0]
    if isinstance(value, int):
        out = [float(value)] if abs(value) < 2**53 else []
        if abs(value) < 10**1000:
            out.append(str(value))
        if value in (0, 1):
            out.append(bool(value))
        return [*out, decimal.Decimal(value)]
    if isinstance(value, float):
        out = [repr(value), decimal.Decimal(repr(value))]
        if value.is_integer():
            out.append(int(value))
        return out
    if isinstance(value, str):
        out = [value.encode("utf-8", "surrogatepass")]
        if value in ("", "None", "null"):
            out.append(None)
        digits = value.strip().removeprefix("-")
        if digits.isascii() and digits.isdecimal() and len(digits) < 100:
            out.append(int(value))
        return out
    if isinstance(value, bytes):
        return [value.decode("latin-1"), list(value)]
    if isinstance(value, decimal.Decimal):
        out = [str(value)]
        if value.is_finite():
            out.append(float(value))
            if value == value.to_integral_value() and value.adjusted() < 1000:
                out.append(int(value))
        return out
    if isinstance(value, uuid.UUID):
        return [str(value), value.hex, value.bytes]
    if isinstance(value, dt.datetime):
        return [value.isoformat(), value.date(), value.timetz()]
    if isinstance(value, dt.date):
        return [value.isoformat(), dt.datetime.combine(value, dt.time())]
    if isinstance(value, dt.time):
        return [value.isoformat(), str(value)]
    return []


def _object_look_alikes(value: object) -> list[Any]:
    if isinstance(value, BaseModel):
        return [*_twin(value), value.model_dump()]
    if _is_named_tuple(value):
        return [*_twin(value), dict(cast("Any", value)._asdict())]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return [*_twin(value), {f.name: getattr(value, f.name) for f in fields}]
    return []


def _shifts(items: list[Any]) -> Iterator[list[Any]]:
    """Move one character across each boundary between adjacent strings."""
    for i in range(len(items) - 1):
        a, b = items[i], items[i + 1]
        if isinstance(a, str) and isinstance(b, str):
            if a:
                yield [*items[:i], a[:-1], a[-1] + b, *items[i + 2 :]]
            if b:
                yield [*items[:i], a + b[0], b[1:], *items[i + 2 :]]


def _container_look_alikes(value: object) -> list[Any]:
    if _is_named_tuple(value):
        return []
    if isinstance(value, (list, tuple)):
        items = list(cast("list[Any]", value))
        kind: Callable[[list[Any]], Any] = list if isinstance(value, list) else tuple
        out: list[Any] = [kind([*items, None]), kind([items])]
        out += [kind(s) for s in _shifts(items)]
        if items:
            out += [kind(items[:-1]), kind(items[::-1]), kind(items[1:])]
        return out
    if isinstance(value, dict):
        mapping = dict(cast("dict[str, Any]", value))
        out = [{**mapping, "none": None}]
        for key in list(mapping)[:4]:  # None vs an absent key, a renamed key
            out.append({k: v for k, v in mapping.items() if k != key})
            if mapping[key] is not None:
                out.append({**mapping, key: None})
            renamed = key.swapcase() if key.swapcase() != key else key + "_"
            if renamed not in mapping:
                out.append({(renamed if k == key else k): v for k, v in mapping.items()})
        return out
    if isinstance(value, (set, frozenset)):
        members = cast("frozenset[Any]", value)
        kind2: Callable[[Any], Any] = type(members)
        out = [kind2({*members, "aiecs-extra"}), list(members)]
        out += [kind2(m for m in members if m is not drop) for drop in list(members)[:3]]
        return out
    return []


def look_alikes(value: object) -> list[Any]:
    """Values derived from ``value`` that look alike but must get another key."""
    try:
        found = [*_scalar_look_alikes(value), *_object_look_alikes(value),
                 *_container_look_alikes(value)]  # fmt: skip
    except Exception:  # a value outside the domain (a subclass with odd methods): no claim
        return []
    return [v for v in found if must_differ(value, v)]


# -- every node of a nested value -----------------------------------------------------------

_Step = tuple[str, Any]
_Path = tuple[_Step, ...]


def _children(value: object) -> Iterator[tuple[_Step, Any]]:
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(cast("list[Any]", value)):
            yield ("[]", i), v
    elif isinstance(value, dict):
        for k, v in cast("dict[str, Any]", value).items():
            yield ("key", k), k
            yield ("[]", k), v
    elif isinstance(value, (set, frozenset)):
        for m in cast("frozenset[Any]", value):
            yield ("member", m), m
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield (".", name), getattr(value, name)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield (".", f.name), getattr(value, f.name)


def _nodes(value: object, path: _Path = ()) -> Iterator[tuple[_Path, Any]]:
    yield path, value
    for step, child in _children(value):
        yield from _nodes(child, (*path, step))


def _replace_one(value: Any, step: _Step, new: Any) -> Any:
    kind, where = step
    value = _untyped(value)
    if _is_named_tuple(value):
        items = list(value)
        items[where] = new
        return type(value)(*items)
    if isinstance(value, list):
        return [new if i == where else v for i, v in enumerate(_untyped(value))]  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, tuple):
        return tuple(new if i == where else v for i, v in enumerate(_untyped(value)))  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, dict):
        mapping: dict[Any, Any] = _untyped(value)  # pyright: ignore[reportUnknownArgumentType]
        if kind == "key":
            if not isinstance(new, str) or new in mapping:
                raise ValueError("dict keys stay distinct str")
            return {(new if k == where else k): v for k, v in mapping.items()}
        return {k: (new if k == where else v) for k, v in mapping.items()}
    if isinstance(value, (set, frozenset)):
        members = cast("frozenset[Any]", value)
        hash(new)
        return type(members)([*(m for m in members if m is not where), new])
    if isinstance(value, BaseModel):
        fields = {n: getattr(value, n) for n in type(value).model_fields}
        return type(value)(**{**fields, where: new})
    return dataclasses.replace(value, **{where: new})


def replace_at(value: Any, path: _Path, new: Any) -> Any:
    """A copy of ``value`` with the node at ``path`` replaced by ``new`` (raises if it cannot)."""
    if not path:
        return new
    step, rest = path[0], path[1:]
    child = dict(_children(value))[step] if step[0] != "member" else step[1]
    return _replace_one(value, step, replace_at(child, rest, new))


def neighbour_candidates(value: object, *, keep_type: bool = False, limit: int = 400) -> list[Any]:
    """Neighbours of ``value``: one-leaf variants and look-alikes at every node.

    ``keep_type`` keeps the root's type (for ``args`` / ``kwargs``, which stay a tuple and a
    dict). Every candidate must get a key other than ``value``'s. When there are more than
    ``limit``, they are taken in turns from every node (look-alikes first), so a short list
    still reaches the type changes of nested members.
    """
    per_node: list[list[Any]] = []
    for path, node in _nodes(value):
        found: list[Any] = []
        for new in (*look_alikes(node), *_guarded(leaf_variants, node)):
            try:
                candidate = replace_at(value, path, new)
            except Exception:  # a strict model refusing the type, an unhashable set member
                continue
            if keep_type and type(candidate) is not type(value):
                continue
            if must_differ(value, candidate):
                found.append(candidate)
        per_node.append(found)
    out: list[Any] = []
    for turn in itertools.zip_longest(*per_node):
        out += [c for c in turn if c is not None]
        if len(out) >= limit:
            return out[:limit]
    return out


def neighbours(value: object) -> st.SearchStrategy[Any]:
    """Values that look like ``value`` but compare unequal (or are of another type/class).

    Derived by transformations at any node: one leaf changed to an unequal value of the
    same type, a twin class, the equal dict of a dataclass or model, an enum member's
    value, naive vs aware, case and normalisation variants, a type change, the string
    form, ``None`` vs an absent key, a boundary shift between strings.
    """
    found = neighbour_candidates(value)
    if not found:  # only values outside the domain have none; a list around them differs
        found = [[value]]
    return st.sampled_from(found)


def value_neighbour_pairs(values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, Any]]:
    """``(value, neighbour)`` pairs: two values that must never share a cache key."""
    return values.flatmap(lambda v: st.tuples(st.just(v), neighbours(v)))
