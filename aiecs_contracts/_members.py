"""Reading a Protocol's required members and an implementation's members without running it."""

from __future__ import annotations

import contextlib
import functools
import inspect
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, cast

__all__ = ["CallKind", "MemberSpec", "call_kind", "protocol_members", "resolve_member"]

# Attributes typing puts on every Protocol class; none of them is a member.
_TYPING_INTERNALS = frozenset(
    {
        "__abstractmethods__", "__annotations__", "__dict__", "__doc__", "__init__",
        "__module__", "__new__", "__slots__", "__subclasshook__", "__weakref__",
        "__class_getitem__", "__init_subclass__", "__parameters__", "__orig_bases__",
        "__orig_class__", "__protocol_attrs__", "__non_callable_proto_members__",
        "__type_params__", "__qualname__", "__static_attributes__", "__firstlineno__",
        "_is_protocol", "_is_runtime_protocol", "__callable_proto_members_only__",
        "_abc_impl", "__annotate__", "__annotate_func__", "__annotations_cache__",
    }
)  # fmt: skip


class CallKind(StrEnum):
    """How a callable runs when called: plainly, as a coroutine, or as a generator."""

    PLAIN = "a plain function"
    COROUTINE = "an async def (coroutine) function"
    ASYNC_GENERATOR = "an async generator function"
    GENERATOR = "a generator function"


@dataclass(frozen=True)
class MemberSpec:
    """One required member of a Protocol: its name, and its function if it is a method."""

    name: str
    function: Any | None  # None for a data member such as VersionedInterface.version
    owner: type


def protocol_members(protocol: type) -> tuple[MemberSpec, ...]:
    """Return every member a Protocol requires, inherited ones included, in MRO order."""
    if not getattr(protocol, "_is_protocol", False):
        raise TypeError(
            f"{protocol!r} is not a typing.Protocol class; pass one of the aiecs_contracts "
            f"Protocols such as ICacheProvider"
        )
    return _protocol_members(protocol)


@functools.cache
def _protocol_members(protocol: type) -> tuple[MemberSpec, ...]:
    seen: dict[str, MemberSpec] = {}
    for base in protocol.__mro__:
        if base in (object, Protocol) or not getattr(base, "_is_protocol", False):
            continue
        if base.__module__ == "typing" and base.__name__ == "Generic":
            continue
        names = list(vars(base)) + list(getattr(base, "__annotations__", {}))
        for name in names:
            if name in seen or name in _TYPING_INTERNALS:
                continue
            raw = vars(base).get(name)
            if name in getattr(base, "__annotations__", {}) and raw is None:
                seen[name] = MemberSpec(name, None, base)
            elif inspect.isfunction(raw):
                seen[name] = MemberSpec(name, raw, base)
    return tuple(seen.values())


def resolve_member(obj_or_cls: object, name: str) -> tuple[bool, Any, bool, bool]:
    """Find ``name`` statically: (found, raw value, came from an instance dict, binds self)."""
    is_cls = isinstance(obj_or_cls, type)
    if not is_cls:
        try:
            inst_dict: Any = object.__getattribute__(obj_or_cls, "__dict__")
        except AttributeError:
            inst_dict = None
        if isinstance(inst_dict, dict) and name in inst_dict:
            return True, cast(Any, inst_dict)[name], True, False
    cls = obj_or_cls if is_cls else type(obj_or_cls)
    assert isinstance(cls, type)
    for klass in cls.__mro__:
        if name in vars(klass):
            raw: Any = vars(klass)[name]
            if klass is object:
                # object's own slots (__init__, __eq__) are never an implementation
                return False, None, False, False
            if isinstance(raw, staticmethod | classmethod):
                func: Any = cast(Any, raw).__func__
                return True, func, False, isinstance(raw, classmethod)
            return True, raw, False, inspect.isfunction(raw) or _binds_self(raw)
    return False, None, False, False


def _binds_self(raw: object) -> bool:
    # functools.partialmethod and other method descriptors bind like functions.
    return isinstance(raw, functools.partialmethod)


def call_kind(func: Any) -> CallKind:
    """Classify a callable (after unwrapping decorators) as plain, coroutine or generator."""
    target = func
    if isinstance(target, functools.partialmethod):
        target = target.func
    with contextlib.suppress(ValueError):  # a __wrapped__ cycle: judge the outer callable
        target = inspect.unwrap(target)
    while isinstance(target, functools.partial):
        target = target.func
    if not (inspect.isfunction(target) or inspect.ismethod(target)) and callable(target):
        call = inspect.getattr_static(type(target), "__call__", None)
        if call is not None and inspect.isfunction(call):
            target = call
    if inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(target):
        return CallKind.COROUTINE
    if inspect.isasyncgenfunction(target):
        return CallKind.ASYNC_GENERATOR
    if inspect.isgeneratorfunction(target):
        return CallKind.GENERATOR
    return CallKind.PLAIN
