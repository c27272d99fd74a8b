"""The hypothesis strategies of probe tools: op names, shapes, ops and whole tools."""

from __future__ import annotations

import keyword
from typing import Any

from hypothesis import strategies as st

from ._outcomes import op_failures, op_results
from ._shapes import ASYNC_ONLY_SHAPES, OP_SHAPES, ProbeOp, ShapedTool, build_tool

__all__ = ["op_names", "op_shapes", "probe_ops", "probe_tools"]

_RESERVED_NAMES = frozenset({"mutated_by_op"})


def _usable(name: str) -> bool:
    return not keyword.iskeyword(name) and name not in _RESERVED_NAMES


def op_names() -> st.SearchStrategy[str]:
    """Public op names: ASCII identifiers of any case, not starting with ``_``."""
    return st.one_of(
        st.sampled_from(["echo", "run", "search", "fetch", "get", "execute", "call", "Run"]),
        st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,20}", fullmatch=True),
    ).filter(_usable)


def op_shapes() -> st.SearchStrategy[str]:
    """One of `OP_SHAPES`."""
    return st.sampled_from(OP_SHAPES)


@st.composite
def probe_ops(
    draw: st.DrawFn,
    *,
    name: st.SearchStrategy[str] | None = None,
    shapes: tuple[str, ...] = OP_SHAPES,
    is_async: bool | None = None,
    results: st.SearchStrategy[Any] | None = None,
    fails: bool | None = False,
    mutates: bool | None = None,
) -> ProbeOp:
    """One op: a shape, sync or async, returning a drawn result or raising a drawn failure.

    ``is_async=None`` draws it; ``fails=None`` draws raise-or-return; ``results`` defaults
    to `op_results()`.
    """
    shape = draw(st.sampled_from(shapes))
    if shape in ASYNC_ONLY_SHAPES:
        asynchronous = True
    else:
        asynchronous = draw(st.booleans()) if is_async is None else is_async
    failing = draw(st.booleans()) if fails is None else fails
    op = ProbeOp(
        name=draw(name if name is not None else op_names()),
        shape=shape,
        is_async=asynchronous,
        mutates=draw(st.booleans()) if mutates is None else mutates,
    )
    if failing:
        op.failure = draw(op_failures())
    else:
        op.result = draw(results if results is not None else op_results())
    return op


def _build(name: str, ops: list[ProbeOp]) -> ShapedTool:
    return build_tool(name, ops)


def probe_tools(
    *,
    min_ops: int = 1,
    max_ops: int = 4,
    ops: st.SearchStrategy[ProbeOp] | None = None,
    name: str = "tool",
) -> st.SearchStrategy[ShapedTool]:
    """Tools of a fresh class each, with ``min_ops``..``max_ops`` ops of distinct names."""
    drawn = st.lists(
        ops if ops is not None else probe_ops(),
        min_size=min_ops,
        max_size=max_ops,
        unique_by=lambda op: op.name,
    )
    return st.builds(_build, st.just(name), drawn)
