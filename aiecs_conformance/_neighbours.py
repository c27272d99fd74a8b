"""Neighbours of params values: values that look alike but must never share a cache key.

Two values may share a key only when their `identity` is equal (see `_identity`).
`leaf_variants` (in `_variants`) changes one scalar into an unequal one of the same type
(the one-leaf variation); `look_alikes` derives the confusable forms of a value (a twin
class, the equal dict, the string form, a type change, case and normalisation variants, a
boundary shift...); `neighbour_candidates` applies both at every node of a nested value;
`neighbours` is the public hypothesis strategy over them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import itertools
import uuid
from collections.abc import Callable, Iterator
from typing import Any, cast

from hypothesis import strategies as st
from pydantic import BaseModel

from ._identity import identity, must_differ
from ._identity import is_named_tuple as _is_named_tuple
from ._identity import untyped as _untyped
from ._values import NAMESAKES, TWINS
from ._variants import guarded as _guarded
from ._variants import leaf_pairs, leaf_variants

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

# -- look-alikes: confusable values of other types or classes -----------------------------


def _twin(value: object) -> list[Any]:
    """The value as an instance of its twin class and of its namesake (where they exist)."""
    kinds = (TWINS.get(type(value)), NAMESAKES.get(type(value)))
    return [_as(value, cls) for cls in kinds if cls is not None]


def _as(value: object, twin: type[Any]) -> Any:
    if isinstance(value, enum.Enum):
        return cast("Any", twin)[value.name]
    if isinstance(value, BaseModel):
        return twin(**{n: getattr(value, n) for n in type(value).model_fields})
    if _is_named_tuple(value):
        return twin(*cast("tuple[Any, ...]", value))
    fields = dataclasses.fields(cast("Any", value))
    return twin(**{f.name: getattr(value, f.name) for f in fields})


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
