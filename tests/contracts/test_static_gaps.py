"""What mypy and pyright miss (tests/typing/pass_gaps.py), `explain` catches."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import aiecs_contracts as ac
from aiecs_contracts import MismatchKind, explain, protocol_members

_TYPING = Path(__file__).resolve().parents[1] / "typing"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"typing_case_{name}", _TYPING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("cls_name", "protocol", "member"),
    [
        ("SyncExecuteAsyncReturningAny", ac.IToolExecutor, "execute_async"),
        ("AsyncGetFromCache", ac.ICacheProvider, "get_from_cache"),
        ("SyncBatchReturningAny", ac.ExecutionInterface, "batch_execute_operations"),
    ],
)
def test_explain_reports_what_both_checkers_accept(
    cls_name: str, protocol: type, member: str
) -> None:
    cls = getattr(_load("pass_gaps"), cls_name)
    found = explain(cls, protocol)
    assert [(m.member, m.kind) for m in found] == [(member, MismatchKind.SYNC_ASYNC)]


def test_checker_disagreements_are_caught_by_explain() -> None:
    tools = _load("fail_tools")
    ops = _load("fail_operations")
    extra = explain(tools.ExtraRequiredParam, ac.IToolExecutor)  # pyright accepts it
    assert any("extra required parameter 'user'" in m.message for m in extra)
    renamed = explain(ops.SpecRenamed, ac.ExecutionInterface)  # mypy accepts it
    assert any("'spec'" in m.message and "operation_spec" in m.message for m in renamed)


_PROTOCOLS = [
    getattr(ac, name)
    for name in ac.__all__
    if isinstance(getattr(ac, name), type) and getattr(getattr(ac, name), "_is_protocol", False)
]


@pytest.mark.parametrize("protocol", _PROTOCOLS, ids=lambda p: p.__name__)
def test_every_member_is_checked_for_sync_versus_async(protocol: type) -> None:
    """Flip each method between def and async def: explain must notice, member by member."""
    for member in protocol_members(protocol):
        if member.function is None:
            continue
        declared_async = inspect.iscoroutinefunction(member.function)
        namespace: dict[str, Any] = {}
        for other in protocol_members(protocol):
            namespace[other.name] = other.function if other.function else "1.0"
        sig = inspect.signature(member.function)

        def flipped_sync(*args: Any, **kwargs: Any) -> Any:
            return None

        async def flipped_async(*args: Any, **kwargs: Any) -> Any:
            return None

        flipped = flipped_sync if declared_async else flipped_async
        flipped.__signature__ = sig  # type: ignore[attr-defined]
        namespace[member.name] = flipped
        impl = type("Impl", (), namespace)
        kinds = {(m.member, m.kind) for m in explain(impl, protocol)}
        assert kinds == {(member.name, MismatchKind.SYNC_ASYNC)}, (protocol, member.name, kinds)
