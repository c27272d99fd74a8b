"""signature.*: the shape of every member, from `aiecs_contracts.explain` plus annotations."""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any

from aiecs_contracts import Mismatch, MismatchKind, explain, protocol_members

from .._context import CheckFailure, Context
from .._registry import PROTOCOLS
from . import implements

_KINDS = {
    "signature.members": (MismatchKind.MISSING, MismatchKind.NOT_CALLABLE),
    "signature.async": (MismatchKind.SYNC_ASYNC,),
    "signature.parameters": (MismatchKind.PARAMETERS, MismatchKind.UNVERIFIABLE),
}


def _from_explain(ctx: Context, check_id: str) -> None:
    protocol = PROTOCOLS[ctx.contract]
    problems: list[Mismatch] = [
        p for p in explain(ctx.sample, protocol) if p.kind in _KINDS[check_id]
    ]
    if problems:
        raise CheckFailure(
            f"{type(ctx.sample).__name__} vs {protocol.__name__}: "
            + "; ".join(str(p) for p in problems)
        )


@implements("signature.members")
def members(ctx: Context) -> None:
    """Every required member exists and is callable."""
    _from_explain(ctx, "signature.members")


@implements("signature.async")
def async_kind(ctx: Context) -> None:
    """Async members are coroutine functions, sync ones are not."""
    _from_explain(ctx, "signature.async")


@implements("signature.parameters")
def parameters(ctx: Context) -> None:
    """Every Protocol parameter is accepted the same way, its default included."""
    _from_explain(ctx, "signature.parameters")
    protocol = PROTOCOLS[ctx.contract]
    problems: list[str] = []
    for spec in protocol_members(protocol):
        if spec.function is not None:
            problems += _default_mismatches(spec.name, spec.function, ctx.sample)
    if problems:
        raise CheckFailure(
            f"{type(ctx.sample).__name__} vs {protocol.__name__}: " + "; ".join(problems)
        )


def _default_mismatches(name: str, function: Any, sample: object) -> list[str]:
    """Parameters the Protocol gives a default that the implementation gives another."""
    impl = getattr(sample, name, None)
    if impl is None or not callable(impl):
        return []  # signature.members' finding
    try:
        want = inspect.signature(function).parameters
        have = inspect.signature(impl).parameters
    except (TypeError, ValueError):
        return []  # no signature to read: explain() reports what it cannot verify
    out: list[str] = []
    for pname, param in want.items():
        got = have.get(pname)
        if param.default is inspect.Parameter.empty or got is None:
            continue
        if got.default is inspect.Parameter.empty:
            continue  # a missing default is explain()'s finding
        same = type(got.default) is type(param.default) and got.default == param.default
        if not same:
            out.append(
                f"{name}: parameter '{pname}' defaults to {got.default!r}, the protocol's "
                f"default is {param.default!r} (a caller that leaves it out gets another "
                f"behaviour)"
            )
    return out


@implements("signature.annotations")
def annotations_compatible(ctx: Context) -> None:
    """Where both sides annotate with plain classes, the implementation's fit the Protocol's."""
    protocol = PROTOCOLS[ctx.contract]
    problems: list[str] = []
    for spec in protocol_members(protocol):
        if spec.function is None:
            continue
        impl = inspect.getattr_static(ctx.sample, spec.name, None)
        if isinstance(impl, (staticmethod, classmethod)):
            impl = impl.__func__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if impl is None or not callable(impl):  # pyright: ignore[reportUnknownArgumentType]
            continue
        want = _hints(spec.function)
        have = _hints(impl)
        if want is None or have is None:
            continue
        for name, expected in want.items():
            if name not in have:
                continue
            got = have[name]
            if name == "return":
                ok = _fits(got, expected)  # covariant: the implementation may narrow
                role = "returns"
            else:
                ok = _fits(expected, got)  # contravariant: the implementation may widen
                role = f"parameter '{name}' is"
            if not ok:
                problems.append(
                    f"{spec.name}: {role} annotated {_name(got)}, the protocol says "
                    f"{_name(expected)}"
                )
    if problems:
        raise CheckFailure(
            f"{type(ctx.sample).__name__} vs {protocol.__name__}: " + "; ".join(problems)
        )


def _hints(function: Any) -> dict[str, Any] | None:
    try:
        return typing.get_type_hints(inspect.unwrap(function))
    except Exception:  # unresolvable forward references: nothing to compare
        return None


def _classes(annotation: Any) -> tuple[type, ...] | None:
    """The plain classes an annotation stands for, or None when it is not that simple."""
    if annotation is None or annotation is type(None):
        return (type(None),)
    if annotation is Any:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out: list[type] = []
        for arg in typing.get_args(annotation):
            classes = _classes(arg)
            if classes is None:
                return None
            out.extend(classes)
        return tuple(out)
    if isinstance(origin, type):
        return (origin,)
    if isinstance(annotation, type) and not getattr(annotation, "_is_protocol", False):
        return (annotation,)
    return None


def _fits(narrow: Any, wide: Any) -> bool:
    """Whether every value of ``narrow`` is a value of ``wide``; lenient when unsure."""
    small = _classes(narrow)
    big = _classes(wide)
    if small is None or big is None or object in big:
        return True
    return all(any(_subclass(s, b) for b in big) for s in small)


def _subclass(small: type, big: type) -> bool:
    if big is float and small is int:
        return True  # PEP 484 numeric tower
    try:
        return issubclass(small, big)
    except TypeError:
        return True


def _name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")
