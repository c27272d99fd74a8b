"""The strict structural check: `explain`, `conforms` and `ensure_conforms`.

``isinstance`` against a runtime-checkable Protocol only asks whether each member name
exists. `explain` also compares sync against async and every parameter, reads members
with ``inspect.getattr_static`` (no user code runs, no descriptor fires), and reports
every problem at once.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, TypeVar

from ._members import CallKind, call_kind, protocol_members, resolve_member

__all__ = ["Mismatch", "MismatchKind", "conforms", "ensure_conforms", "explain"]

_T = TypeVar("_T")
_P = inspect.Parameter


class MismatchKind(StrEnum):
    """What kind of problem a `Mismatch` reports."""

    MISSING = "missing"
    NOT_CALLABLE = "not_callable"
    SYNC_ASYNC = "sync_async"
    PARAMETERS = "parameters"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class Mismatch:
    """One way an implementation fails to fit a Protocol member."""

    member: str
    kind: MismatchKind
    message: str

    def __str__(self) -> str:
        return f"{self.member}: {self.message}"


def _qualname(obj_or_cls: object) -> str:
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return f"{cls.__module__}.{cls.__qualname__}"


def explain(obj_or_cls: object, protocol: type) -> list[Mismatch]:
    """List every way ``obj_or_cls`` fails to fit ``protocol``; empty when it conforms."""
    out: list[Mismatch] = []
    for spec in protocol_members(protocol):
        found, raw, from_instance, binds = resolve_member(obj_or_cls, spec.name)
        if not found:
            what = "method" if spec.function is not None else "attribute"
            out.append(
                Mismatch(
                    spec.name,
                    MismatchKind.MISSING,
                    f"missing; {protocol.__name__} requires this {what}"
                    + (f" {_describe_expected(spec.function)}" if spec.function else ""),
                )
            )
            continue
        if spec.function is None:
            continue  # a data member: presence is all that can be checked statically
        if not callable(raw) and not _is_method_descriptor(raw):
            out.append(
                Mismatch(
                    spec.name,
                    MismatchKind.NOT_CALLABLE,
                    f"is {type(raw).__name__} {_short_repr(raw)}, not callable; expected "
                    f"{_describe_expected(spec.function)}",
                )
            )
            continue
        out.extend(_compare_call_kind(spec.name, spec.function, raw))
        out.extend(_compare_parameters(spec.name, spec.function, raw, binds and not from_instance))
    return out


def _is_method_descriptor(raw: object) -> bool:
    return hasattr(type(raw), "__get__") and callable(getattr(raw, "func", None))


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe_expected(function: Any) -> str:
    kind = "async def" if inspect.iscoroutinefunction(function) else "def"
    sig = inspect.signature(function)
    params = ", ".join(["self", *(str(p) for p in list(sig.parameters.values())[1:])])
    ret = sig.return_annotation
    shown = "" if ret is inspect.Signature.empty else f" -> {inspect.formatannotation(ret)}"
    return f"`{kind} {function.__name__}({params}){shown}`"


def _compare_call_kind(name: str, expected: Any, raw: Any) -> list[Mismatch]:
    want = CallKind.COROUTINE if inspect.iscoroutinefunction(expected) else CallKind.PLAIN
    got = call_kind(raw)
    if got is want:
        return []
    if want is CallKind.COROUTINE:
        hint = "declare it `async def` so callers can await it"
    else:
        hint = "declare it with plain `def`: callers use its return value directly"
    return [
        Mismatch(
            name,
            MismatchKind.SYNC_ASYNC,
            f"is {got.value}, the protocol declares {want.value}; {hint}",
        )
    ]


def _signature(raw: Any) -> inspect.Signature | None:
    target = raw.func if hasattr(raw, "func") and not callable(raw) else raw
    try:
        return inspect.signature(target)
    except (TypeError, ValueError):
        return None


def _compare_parameters(name: str, expected: Any, raw: Any, drop_self: bool) -> list[Mismatch]:
    want = list(inspect.signature(expected).parameters.values())[1:]
    sig = _signature(raw)
    if sig is None:
        return [
            Mismatch(
                name,
                MismatchKind.UNVERIFIABLE,
                "its signature cannot be read (a builtin or C callable); "
                "wrap it in a Python method with the protocol's parameters",
            )
        ]
    have = list(sig.parameters.values())
    if drop_self and have and have[0].kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD):
        have = have[1:]
    kinds = [p.kind for p in have]
    if kinds == [_P.VAR_POSITIONAL, _P.VAR_KEYWORD] and want:
        return [
            Mismatch(
                name,
                MismatchKind.UNVERIFIABLE,
                f"takes only (*{have[0].name}, **{have[1].name}), so its parameters cannot be "
                f"checked; spell them out, or decorate with functools.wraps so the wrapped "
                f"signature is visible",
            )
        ]
    return [Mismatch(name, MismatchKind.PARAMETERS, msg) for msg in _parameter_problems(want, have)]


def _parameter_problems(want: list[_P], have: list[_P]) -> list[str]:
    problems: list[str] = []
    positional = [p for p in have if p.kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)]
    by_name = {p.name: p for p in have if p.kind in (_P.POSITIONAL_OR_KEYWORD, _P.KEYWORD_ONLY)}
    var_pos = any(p.kind is _P.VAR_POSITIONAL for p in have)
    var_kw = any(p.kind is _P.VAR_KEYWORD for p in have)
    matched: set[str] = set()
    want_pos_index = 0
    for w in want:
        if w.kind is _P.VAR_KEYWORD:
            if not var_kw:
                problems.append(f"lacks **{w.name}; the protocol passes arbitrary keyword params")
            continue
        if w.kind is _P.VAR_POSITIONAL:
            if not var_pos:
                problems.append(f"lacks *{w.name}; the protocol passes extra positional args")
            continue
        if w.kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD):
            index = want_pos_index
            want_pos_index += 1
            slot = positional[index] if index < len(positional) else None
            if slot is not None:
                matched.add(slot.name)
                if w.kind is _P.POSITIONAL_OR_KEYWORD and slot.name != w.name:
                    other = by_name.get(w.name)
                    hint = (
                        f" (its '{w.name}' is at position {positional.index(other) + 1})"
                        if other is not None and other in positional
                        else ""
                    )
                    problems.append(
                        f"parameter {index + 1} is named '{slot.name}', the protocol calls it "
                        f"'{w.name}'{hint}; callers passing {w.name}=... would fail or "
                        f"swap values"
                    )
                    continue
                if w.kind is _P.POSITIONAL_OR_KEYWORD and slot.kind is _P.POSITIONAL_ONLY:
                    problems.append(
                        f"'{w.name}' is positional-only; the protocol lets callers pass it "
                        f"by keyword"
                    )
                    continue
                if w.default is not _P.empty and slot.default is _P.empty:
                    problems.append(
                        f"'{w.name}' has no default; the protocol's default is "
                        f"{w.default!r}, so callers may omit it"
                    )
                continue
            if not var_pos:
                problems.append(f"does not accept '{w.name}' as positional argument {index + 1}")
                continue
        # keyword-only in the protocol, or positional taken by *args: needs the keyword
        if w.kind is _P.POSITIONAL_ONLY:
            continue
        target = by_name.get(w.name)
        if target is not None:
            matched.add(target.name)
            if w.default is not _P.empty and target.default is _P.empty:
                problems.append(
                    f"'{w.name}' has no default; the protocol's default is {w.default!r}, "
                    f"so callers may omit it"
                )
        elif not var_kw:
            problems.append(f"does not accept '{w.name}' (the protocol passes it by keyword)")
    for p in have:
        if p.name in matched or p.kind in (_P.VAR_POSITIONAL, _P.VAR_KEYWORD):
            continue
        if p.default is _P.empty:
            problems.append(
                f"has an extra required parameter '{p.name}' that protocol callers never pass; "
                f"give it a default or remove it"
            )
    return problems


# -- fast yes/no ------------------------------------------------------------------------

_CACHE_LIMIT = 4096
_Verdict = Literal[True] | tuple[str, ...]
# protocol -> {type: True, or the member names the type lacks but an instance could still
# supply through its own __dict__ (empty when nothing an instance adds could help)}.
# Nested dicts rather than (type, protocol) keys: building the key tuple cost as much as
# an ABC isinstance.
_verdicts: dict[type, dict[type, _Verdict]] = {}


def conforms(obj: object, protocol: type) -> bool:
    """Return whether ``obj`` (an instance or a class) fits ``protocol`` strictly.

    Memoised per (type, protocol): after the first call on a type it costs about a dict
    lookup. Instances of a class that defines none of the protocol's members (attribute
    bags such as ``SimpleNamespace``) are judged one by one from their own ``__dict__``;
    any other class is judged once, by its class-level members.
    """
    # Only instances are stored, keyed by their class, so a class passed as ``obj`` (whose
    # __class__ is a metaclass) never hits a stored verdict by mistake.
    try:
        verdict = _verdicts[protocol][obj.__class__]
    except KeyError:
        return _conforms_slow(obj, protocol)
    if verdict is True:
        return True
    if verdict:
        try:
            own = obj.__dict__
        except AttributeError:
            return False
        for name in verdict:
            if name in own:
                return not explain(obj, protocol)
    return False


def _conforms_slow(obj: object, protocol: type) -> bool:
    if isinstance(obj, type):
        return not explain(obj, protocol)
    cls = obj.__class__
    class_problems = explain(cls, protocol)
    memo = _verdicts.setdefault(protocol, {})
    if len(memo) >= _CACHE_LIMIT:
        memo.clear()
    if not class_problems:
        memo[cls] = True
        return True
    members = protocol_members(protocol)
    if len(class_problems) == len(members) and all(
        p.kind is MismatchKind.MISSING for p in class_problems
    ):
        # The class defines none of the members: an attribute bag (SimpleNamespace, a
        # hand-built stub), judged per instance. A class that defines some members is
        # judged per type, so the memo stays a dict lookup.
        memo[cls] = tuple(p.member for p in class_problems)
        return not explain(obj, protocol)
    memo[cls] = ()
    return False


def ensure_conforms(obj: _T, protocol: type) -> _T:
    """Return ``obj`` unchanged if it fits ``protocol``; else raise ``TypeError`` listing why."""
    problems = explain(obj, protocol)
    if problems:
        raise TypeError(format_mismatches(obj, protocol, problems))
    return obj


def format_mismatches(obj: object, protocol: type, problems: list[Mismatch]) -> str:
    """Render mismatches as the readable multi-line message ``ensure_conforms`` raises."""
    noun = "problem" if len(problems) == 1 else "problems"
    lines = [f"{_qualname(obj)} does not conform to {protocol.__name__} ({len(problems)} {noun}):"]
    lines += [f"  - {p}" for p in problems]
    lines.append(
        f"Fix each line above; `aiecs_contracts.explain(obj, {protocol.__name__})` lists "
        f"them as data."
    )
    return "\n".join(lines)
