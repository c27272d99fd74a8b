"""Finding an op on a tool, and what was learnt about it, once per op function.

A name is judged and used as one exact ``str``: a ``str`` subclass is copied to a plain
``str`` first (``str.__str__``), so its own ``startswith``/``isidentifier``/``__hash__``
never run and the name checked is the name looked up. A refusal calls nothing on the
tool, its error message included: the "available ops" list is read from the class and
instance ``__dict__``s, so no property getter, ``__getattr__`` or ``__dir__`` runs.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import FunctionType, MethodType
from typing import Any, Final, cast

from aiecs_contracts import OperationNotFoundError

from ._failures import describe, map_exceptions
from ._params import ParamValidator, build_validator

__all__ = ["Op", "OpTable", "Positional", "exact_name", "positional_call", "public_ops"]

_MEMO_MAX: Final = 65536
_LISTED_MAX: Final = 50
_NOT_POSITIONAL: Final = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS

Positional = Callable[[Callable[..., Any], dict[str, Any]], Any]
"""``call(method, params)``: ``method(**params)`` with the values passed by position."""


@dataclass(frozen=True, slots=True)
class Op:
    """What a call of one op function needs, learnt the first time it is called."""

    is_async: bool
    """``async def`` (or an object whose ``__call__`` is): awaited on the loop, not in a thread."""
    validator: ParamValidator | None
    """None when the signature accepts anything (``**params``, nothing annotated)."""
    passes: Callable[[dict[str, Any]], bool] | None
    """The validator's `ParamValidator.passes`, one attribute hop nearer: every call reads it."""
    positional: Positional | None = None
    """Set when validated params can be passed by position (see `positional_call`); only
    for params that went through validation, which guarantees their names."""


def exact_name(name: object) -> str | None:
    """The plain ``str`` value of ``name`` (a subclass copied without its methods), else None."""
    if type(name) is str:
        return name
    if isinstance(name, str):
        return str.__str__(name)
    return None


def _refusal(name: object) -> str | None:
    text = exact_name(name)
    if text is None:
        return f"a {type(name).__name__}, but an operation name must be a str"
    if text.startswith("_"):
        return "names starting with '_' are private and never callable"
    if not text.isidentifier():
        return "an operation name must be a public Python identifier"
    return None


def public_ops(tool: Any, *, limit: int | None = _LISTED_MAX) -> list[str]:
    """Public callables of ``tool``, sorted, read statically: nothing of the tool runs.

    ``limit`` keeps error messages short; None lists them all (what a server serves).
    """
    names: set[str] = set()
    spaces: list[Any] = []
    cls: type[Any] = type(tool)  # pyright: ignore[reportUnknownVariableType]
    for klass in cls.__mro__:
        if klass is not object:
            spaces.append(type.__dict__["__dict__"].__get__(klass))
    try:
        own = object.__getattribute__(tool, "__dict__")
    except AttributeError:
        own = None
    if type(own) is dict:
        spaces.append(own)
    for space in spaces:
        for key, raw in dict(space).items():
            public = type(key) is str and not key.startswith("_")
            if public and (callable(raw) or isinstance(raw, staticmethod | classmethod)):
                names.add(key)
    return sorted(names)[:limit]


def not_found(tool: Any, shown: str) -> OperationNotFoundError:
    """The error for an op name the tool does not serve (its message runs no tool code)."""
    return OperationNotFoundError(shown, tool=type(tool).__name__, available=public_ops(tool))


class OpTable:
    """Admits ``(tool, name, params)``: the callable, its `Op`, params; memoises both checks."""

    __slots__ = ("names", "ops")

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.ops: dict[Any, Op] = {}

    def check(self, tool: Any, name: object) -> str:
        """Return the exact name if it may be called, else raise (calling nothing)."""
        if type(name) is str and name in self.names:
            return name
        why = _refusal(name)
        text = exact_name(name)
        if why is not None:
            shown = f"<{type(name).__name__}>" if text is None else repr(text)  # no repr(name)
            raise not_found(tool, f"{shown} ({why})")
        assert text is not None
        if len(self.names) < _MEMO_MAX:
            self.names.add(text)
        return text

    def admit(
        self, tool: Any, name: object, params: dict[str, Any], validate: bool
    ) -> tuple[str, Callable[..., Any], Op, dict[str, Any]]:
        """Refuse, resolve and (if ``validate``) validate, in one frame: every call runs this.

        Returns ``(exact name, the op callable, what it needs, params)``; params come back
        as given unless validation coerced them (then a new dict), or it raises.
        """
        text = name if type(name) is str and name in self.names else self.check(tool, name)
        try:
            method = getattr(tool, text)
        except AttributeError:
            raise not_found(tool, text) from None
        except BaseException:  # a property that raises: the tool failed, say so
            with map_exceptions(describe(tool, text)):
                raise
        try:
            key = method.__func__  # a bound method: what was learnt is the function's
        except AttributeError:
            key = method
        try:
            op = self.ops.get(key)
        except Exception:  # an unhashable callable (or a raising __hash__): learn each time
            op = learn(tool, text, method)
        else:
            if op is None:
                op = learn(tool, text, method)
                if len(self.ops) >= _MEMO_MAX:
                    self.ops.clear()
                with contextlib.suppress(Exception):
                    self.ops[key] = op
        passes = op.passes
        if passes is not None and validate and not passes(params):
            params = cast("ParamValidator", op.validator)(params)  # set whenever passes is
        return text, method, op, params


def learn(tool: Any, name: str, method: Any) -> Op:
    """Work out, once, how to call ``method`` and which params it takes."""
    if not callable(method):
        raise not_found(tool, f"{name!r} (it is a {type(method).__name__}, not a callable)")
    # Only what is itself a coroutine function runs on the loop. Anything else (a sync
    # decorator around an async def, a plain callable returning an awaitable) runs in a
    # thread, and an awaitable it returns is awaited: async-ness follows what it returns.
    is_async = inspect.iscoroutinefunction(method) or inspect.iscoroutinefunction(
        getattr(type(method), "__call__", None)  # noqa: B004 - async __call__ objects
    )
    validator = build_validator(method, f"{type(tool).__name__}.{name}")
    if (
        validator is not None
        and validator.var_keyword
        and not validator.adapters
        and not validator.required
    ):
        validator = None  # accepts anything: nothing to check
    passes = None if validator is None else validator.passes
    positional = positional_call(method, validator)
    return Op(is_async=is_async, validator=validator, passes=passes, positional=positional)


def positional_call(method: Any, validator: ParamValidator | None) -> Positional | None:
    """A call of ``method`` passing validated params by position, when that binds the same.

    ``method(**params)`` turns the dict into keywords on every call (≈ 110 ns here, half of
    it the unpacking); ``m(p[a], p[b])`` does not. It binds the same arguments only when
    the validated params hold exactly the names the function's own code takes, in order,
    none positional-only or keyword-only, no ``*args``/``**kwargs``: then every param is
    required, so validated params hold exactly those names. The code object is read, not
    the signature, which a ``__wrapped__`` or ``__signature__`` can make say otherwise.
    Written out for one to three params, as `ParamValidator.passes` is.
    """
    if validator is None or validator.var_keyword:
        return None
    bound = type(method) is MethodType
    func = method.__func__ if bound else method
    if type(func) is not FunctionType:
        return None
    code = func.__code__
    if code.co_flags & _NOT_POSITIONAL or code.co_kwonlyargcount or code.co_posonlyargcount:
        return None
    names = code.co_varnames[int(bound) : code.co_argcount]
    if names != validator.required or frozenset(names) != validator.accepted:
        return None  # what validation checks is not what this code takes
    if len(names) == 1:
        (a,) = names
        return lambda m, p: m(p[a])
    if len(names) == 2:
        a, b = names
        return lambda m, p: m(p[a], p[b])
    if len(names) == 3:
        a, b, c = names
        return lambda m, p: m(p[a], p[b], p[c])
    return None
