"""Reading step results duck-typed, and building probe op lists for the operation checks."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, short
from .._probes import expected

__all__ = ["KINDS", "Step", "build_ops", "expect", "ok_kinds", "read_step", "text"]

KINDS = ("echo", "aecho", "nap", "fail", "afail")
FAILING = frozenset({"fail", "afail"})


@dataclass(frozen=True)
class Step:
    """The 7 fields of a step result, read leniently (missing ones are ``None``)."""

    step: Any
    result: Any
    completed: Any
    message: Any
    status: str
    error_code: str | None
    error_message: Any


def text(value: Any) -> str:
    """The wire string of an enum member or a plain value."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def read_step(obj: Any, where: str) -> Step:
    """Read a returned step result like the seed's callers do, by attribute."""
    if isinstance(obj, BaseException):
        raise CheckFailure(f"{where} is the exception {short(obj, 80)}, not a step result")

    def get(name: str) -> Any:
        if isinstance(obj, Mapping):
            return obj.get(name)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return getattr(obj, name, None)

    code = get("error_code")
    return Step(
        step=get("step"),
        result=get("result"),
        completed=get("completed"),
        message=get("message"),
        status=text(get("status")),
        error_code=None if code is None else text(code),
        error_message=get("error_message"),
    )


def build_ops(kinds: list[str]) -> list[dict[str, Any]]:
    """Op dicts for probe tool ``t``; later naps are shorter, so they finish out of order."""
    ops: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        p: dict[str, Any] = {"i": i}
        if kind == "nap":
            p["ms"] = 2 * (len(kinds) - i)
        ops.append({"operation": f"t.{kind}", "params": p})
    return ops


def expect(op: Mapping[str, Any]) -> dict[str, Any]:
    """What the probe op of ``op`` returns."""
    kind = str(op["operation"]).partition(".")[2]
    return expected("t", kind, op["params"])


def ok_kinds() -> st.SearchStrategy[list[str]]:
    """Lists of succeeding op kinds."""
    return st.lists(st.sampled_from(["echo", "aecho", "nap"]), min_size=1, max_size=5)


def any_kinds() -> st.SearchStrategy[list[str]]:
    """Lists of op kinds, failing ones included."""
    return st.lists(st.sampled_from(KINDS), min_size=1, max_size=6)
