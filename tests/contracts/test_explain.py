"""explain / conforms / ensure_conforms: every problem at once, no user code run."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from aiecs_contracts import (
    ICacheProvider,
    IOperationExecutor,
    IToolExecutor,
    IToolProvider,
    Mismatch,
    MismatchKind,
    VersionedInterface,
    conforms,
    ensure_conforms,
    explain,
)


class GoodCache:
    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        return "k"

    def get_from_cache(self, cache_key: str) -> Any:
        return None

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        return None


class FourDefects:
    """Missing member, async where sync, swapped ids, positional-only."""

    async def generate_cache_key(  # async + swapped user_id/task_id
        self, operation_type: str, task_id: str, user_id: str, args: Any, kwargs: Any
    ) -> str:
        return ""

    def add_to_cache(self, cache_key: str, /, value: Any) -> None:  # positional-only
        return None

    # get_from_cache missing


def _kinds(found: list[Mismatch]) -> list[tuple[str, MismatchKind]]:
    return [(m.member, m.kind) for m in found]


def test_conforming_class_and_instance() -> None:
    assert explain(GoodCache, ICacheProvider) == []
    assert explain(GoodCache(), ICacheProvider) == []
    assert conforms(GoodCache(), ICacheProvider) and conforms(GoodCache, ICacheProvider)
    cache = GoodCache()
    assert ensure_conforms(cache, ICacheProvider) is cache


def test_four_defects_all_listed() -> None:
    found = explain(FourDefects, ICacheProvider)
    kinds = set(_kinds(found))
    assert ("get_from_cache", MismatchKind.MISSING) in kinds
    assert ("generate_cache_key", MismatchKind.SYNC_ASYNC) in kinds
    assert ("add_to_cache", MismatchKind.PARAMETERS) in kinds
    swapped = [m for m in found if m.member == "generate_cache_key" and "named" in m.message]
    assert swapped, found
    assert len({(m.member, m.kind) for m in found}) >= 4
    assert not conforms(FourDefects(), ICacheProvider)
    with pytest.raises(TypeError) as info:
        ensure_conforms(FourDefects(), ICacheProvider)
    text = str(info.value)
    assert "does not conform to ICacheProvider" in text
    assert text.count("\n  - ") == len(found)


def test_inherited_members_count() -> None:
    class Child(GoodCache):
        pass

    assert explain(Child, ICacheProvider) == []


def test_getattr_static_runs_no_user_code() -> None:
    calls: list[str] = []

    class Sneaky(GoodCache):
        def __getattr__(self, name: str) -> Any:
            calls.append(name)
            return lambda *a, **k: None

        @property
        def get_tool(self) -> Any:
            calls.append("property")
            return lambda tool_name: None

    found = explain(Sneaky(), IToolProvider)
    assert calls == []
    assert ("has_tool", MismatchKind.MISSING) in _kinds(found)
    assert ("get_tool", MismatchKind.NOT_CALLABLE) in _kinds(found)


def test_missing_kwargs_and_extra_required() -> None:
    class Exec:
        def execute(self, tool: Any, operation_name: str) -> Any:
            return None

        async def execute_async(self, tool: Any, operation_name: str, extra: int, **p: Any) -> Any:
            return None

    found = explain(Exec, IToolExecutor)
    messages = " | ".join(str(m) for m in found)
    assert "lacks **params" in messages
    assert "extra required parameter 'extra'" in messages


def test_default_required_where_protocol_has_one() -> None:
    class Ops:
        async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
            return None

        async def batch_execute_operations(self, operations: list[Any]) -> list[Any]:
            return []

        async def execute_operations_sequence(
            self,
            operations: list[Any],
            user_id: str,
            task_id: str,
            stop_on_failure: bool,
            save_callback: Any = None,
        ) -> list[Any]:
            return []

        async def execute_parallel_operations(self, operations: list[Any]) -> list[Any]:
            return []

    found = explain(Ops, IOperationExecutor)
    assert len(found) == 1 and "'stop_on_failure' has no default" in found[0].message


def test_catch_all_and_builtin_signatures_are_unverifiable() -> None:
    class CatchAll:
        def execute(self, *args: Any, **kwargs: Any) -> Any:
            return None

        execute_async = print  # a builtin: no readable signature, and not async

    kinds = _kinds(explain(CatchAll, IToolExecutor))
    assert ("execute", MismatchKind.UNVERIFIABLE) in kinds
    assert ("execute_async", MismatchKind.SYNC_ASYNC) in kinds


def test_wraps_decorated_methods_are_seen_through() -> None:
    def logged(func: Any) -> Any:
        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await func(*args, **kwargs)

        return wrapper

    class Exec:
        def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
            return None

        @logged
        async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
            return None

    assert explain(Exec, IToolExecutor) == []


def test_staticmethod_classmethod_and_instance_attributes() -> None:
    class Provider:
        def __init__(self) -> None:
            self.has_tool = lambda tool_name: False

        @staticmethod
        def get_tool(tool_name: str) -> Any:
            return None

    assert explain(Provider(), IToolProvider) == []
    # on the class, the instance attribute is not visible
    assert _kinds(explain(Provider, IToolProvider)) == [("has_tool", MismatchKind.MISSING)]


def test_data_members() -> None:
    class V:
        version = "1.2"

        def get_version(self) -> str:
            return self.version

    class NoVersion:
        def get_version(self) -> str:
            return "1"

    assert explain(V, VersionedInterface) == []
    assert _kinds(explain(NoVersion, VersionedInterface)) == [("version", MismatchKind.MISSING)]


def test_conforms_judges_attribute_bags_per_instance() -> None:
    class Holder:
        pass

    good, bad = Holder(), Holder()
    good.__dict__.update(
        get_tool=lambda tool_name: None,
        has_tool=lambda tool_name: True,
    )
    assert conforms(good, IToolProvider)
    assert not conforms(bad, IToolProvider)
    assert conforms(good, IToolProvider)


def test_conforms_memo_is_per_protocol() -> None:
    cache = GoodCache()
    assert conforms(cache, ICacheProvider)
    assert not conforms(cache, IToolProvider)
    assert conforms(cache, ICacheProvider)


def test_non_protocol_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match=r"is not a typing\.Protocol"):
        explain(GoodCache(), dict)


def test_conforms_judges_other_classes_per_type() -> None:
    from types import SimpleNamespace

    bag = SimpleNamespace(get_tool=lambda tool_name: None, has_tool=lambda tool_name: True)
    assert conforms(bag, IToolProvider) and not conforms(SimpleNamespace(), IToolProvider)

    class Partial:
        def get_tool(self, tool_name: str) -> Any:
            return None

    assert not conforms(Partial(), IToolProvider)
    filled = Partial()
    filled.__dict__["has_tool"] = lambda tool_name: True
    assert explain(filled, IToolProvider) == []  # explain always looks at the instance
