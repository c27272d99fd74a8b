"""Which classes the wire may rebuild: only those the application registered.

Data never chooses which code runs. A reader rebuilds an ``Enum``, pydantic model or
dataclass value only if its class is registered in this process, and then only through
the class's public constructor (``model_validate`` with the declared fields, the
dataclass ``__init__``); private attributes are never sent and never set.

A class is registered by `register_wire_class`, or by this process writing a value of it
(a process that sends a class over the wire handles that class anyway). A worker that only
reads a class another process writes, such as a Celery worker receiving params, registers
it explicitly at start-up.
"""

from __future__ import annotations

import builtins
import dataclasses
import enum
import sys
import threading
from typing import Any, Final

from pydantic import BaseModel

__all__ = [
    "class_path",
    "is_named_tuple",
    "register_wire_class",
    "registered_class",
    "writable_class_path",
]

_registered: dict[str, type[Any]] = {}
_lock: Final = threading.Lock()


def class_path(cls: type[Any]) -> str:
    """``"module:qualname"``: how the wire names a class."""
    return f"{cls.__module__}:{cls.__qualname__}"


def is_named_tuple(cls: type[Any]) -> bool:
    """A ``typing.NamedTuple`` / ``collections.namedtuple`` class."""
    fields: object = getattr(cls, "_fields", None)
    return issubclass(cls, tuple) and cls is not tuple and isinstance(fields, tuple)


def _rebuildable(cls: type[Any]) -> bool:
    return (
        issubclass(cls, enum.Enum | BaseModel | BaseException) or dataclasses.is_dataclass(cls)
        or is_named_tuple(cls)
    )  # fmt: skip


def _reachable(path: str) -> type[Any] | None:
    """The class at ``module:qualname`` in an already-imported module, running no code."""
    module_name, colon, qualname = path.partition(":")
    module = sys.modules.get(module_name) if colon else None
    if module is None:
        return None
    found: object = module
    for part in qualname.split("."):
        if not part.isidentifier():
            return None  # "<locals>" and friends: not reachable by name
        try:
            found = vars(found)[part]
        except (KeyError, TypeError):
            return None
    return found if isinstance(found, type) else None


def register_wire_class(*classes: object) -> None:
    """Let the wire (RedisCache, Celery) rebuild values of ``classes`` in this process.

    Each must be an ``Enum``, a pydantic ``BaseModel``, a dataclass, a named tuple or an
    exception class defined at module level (reachable as ``module:qualname``), else
    ``TypeError`` names the problem.
    """
    for cls in classes:
        if not isinstance(cls, type) or not _rebuildable(cls):
            raise TypeError(
                f"register_wire_class({cls!r}): expected an Enum, BaseModel, dataclass, "
                "named tuple or exception class"
            )
        klass: type[Any] = cls
        path = class_path(klass)
        if _reachable(path) is not klass:
            raise TypeError(
                f"register_wire_class({klass!r}): it is not reachable as {path!r} (defined "
                "inside a function, or shadowed), so no reader could name it"
            )
        with _lock:
            _registered[path] = cls


def writable_class_path(value: object) -> str | None:
    """Register ``type(value)`` (this process writes it) and return its path, or None
    when no reader could name it (a local class, a shadowed name)."""
    cls: type[Any] = type(value)
    path = class_path(cls)
    if _registered.get(path) is cls:
        return path
    if _reachable(path) is not cls:
        return None
    with _lock:
        _registered[path] = cls
    return path


def registered_class(path: object) -> type[Any] | None:
    """The registered class named ``path``, or None (unknown, or never registered).

    The built-in exception classes (``builtins:ValueError`` …) count as registered: their
    ``args`` are all a reader sets, and no code of the data's choosing runs.
    """
    if type(path) is not str:
        return None
    found = _registered.get(path)
    if found is None and path.startswith("builtins:"):
        builtin: object = getattr(builtins, path.removeprefix("builtins:"), None)
        if isinstance(builtin, type) and issubclass(builtin, BaseException):
            return builtin
    return found
