"""Inputs for the cache-key checks: generated call contexts, rebuilt copies, confusables."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import decimal
import itertools
import uuid
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from ..strategies import params, params_values

__all__ = ["CONFUSABLE", "SEPARATORS", "KeyInput", "differ", "key_inputs", "rebuild"]

KeyInput = tuple[str, str, str, tuple[Any, ...], dict[str, Any]]
"""(operation_type, user_id, task_id, args, kwargs), as ``generate_cache_key`` takes them."""

_IDS = st.one_of(st.sampled_from(["", "u", "user-1", "t;1", "a b"]), st.text(max_size=8))


def key_inputs() -> st.SearchStrategy[KeyInput]:
    """Generated call contexts from the params value domain."""
    return st.tuples(
        st.one_of(st.sampled_from(["op", "search.run", "db.query"]), st.text(max_size=8)),
        _IDS,
        _IDS,
        st.lists(params_values(2), max_size=3).map(tuple),
        params(max_size=3),
    )


def rebuild(value: Any) -> Any:
    """A structurally identical copy built separately: dicts reversed, sets re-inserted."""
    if isinstance(value, dict):
        items = [(rebuild(k), rebuild(v)) for k, v in value.items()]  # pyright: ignore[reportUnknownVariableType]
        return dict(reversed(items))
    if isinstance(value, list):
        return [rebuild(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, tuple):
        return tuple(rebuild(v) for v in value)  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, (set, frozenset)):
        # Growing the table with padding first and removing it after changes the order the
        # set iterates in, as a set built elsewhere would.
        pad = [("aiecs-pad", i) for i in range(64)]
        out: set[Any] = set(pad)
        for v in reversed(list(value)):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
            out.add(rebuild(v))
        out.difference_update(pad)
        return frozenset(out) if isinstance(value, frozenset) else out
    if isinstance(value, BaseModel):
        return type(value).model_validate(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return copy.copy(value)
    return copy.deepcopy(value)


def _canon(value: Any) -> Any:
    """Fold tuple into list (the contract lets them share a key) for the != test."""
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    return value


def differ(a: Any, b: Any) -> bool:
    """Whether two values must give different keys: unequal even with tuple == list."""
    try:
        return bool(_canon(a) != _canon(b))
    except Exception:
        return False


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
    pairs += [
        (0, False),
        (0, None),
        ("", None),
        ("None", None),
        ("", b""),
        (decimal.Decimal("1"), "1"),
        (decimal.Decimal("1"), 1),
        (b"x", "x"),
        (_NOW, _NOW.isoformat()),
        (_NOW.date(), _NOW.date().isoformat()),
        (_UID, str(_UID)),
        ([1, [2]], [[1], 2]),
        ({"a": 1}, {"b": 1}),
        ({"a": 1}, {"a": "1"}),
        ("a,b", ["a", "b"]),
    ]
    return pairs


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
        ("task id", _base(task_id="t1"), _base(task_id="t2")),
        ("operation type", _base(operation_type="a.run"), _base(operation_type="b.run")),
    ]  # fmt: skip
    out += _separator_shifts()
    for a, b in _scalar_pairs():
        out.append((f"args {a!r} vs {b!r}", _base(args=(a,)), _base(args=(b,))))
        out.append((f"kwargs {a!r} vs {b!r}", _base(kwargs={"v": a}), _base(kwargs={"v": b})))
    return out


CONFUSABLE: list[tuple[str, KeyInput, KeyInput]] = _confusables()
"""Pairs the cache-provider contract names explicitly: each pair must give two different keys."""
