"""Parameter validation from an operation's signature, built once per operation.

Only parameters whose annotation says something (not missing, not ``Any``) go through a
pydantic ``TypeAdapter``; the rest are checked for presence and name only, so an op taking
``**params`` receives exactly what the caller passed, strings with ``;``, ``--`` or
``SELECT`` included: nothing here inspects text.

Each validator also carries ``passes``, a check built for its signature that says, in about
80 ns, whether params would come back unchanged (the right names, each annotated value
already of its exact plain type). The executor calls the full validator only when it says
no; the full path then coerces, or names every bad field.
"""

from __future__ import annotations

import contextlib
import inspect
import typing
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from aiecs_contracts import ParameterValidationError

__all__ = ["ParamValidator", "build_validator"]

_PLAIN = frozenset({int, str, float, bool, bytes})
_KEYWORD_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class ParamValidator:
    """Checks (and coerces) keyword params against one operation's signature."""

    __slots__ = (
        "accepted",
        "adapters",
        "exact",
        "name",
        "passes",
        "required",
        "var_keyword",
    )

    def __init__(self, func: Callable[..., Any], name: str) -> None:
        self.name = name
        signature = inspect.signature(func)
        try:
            hints = typing.get_type_hints(func)
        except Exception:  # unresolvable forward references: validate names only
            hints = {}
        self.var_keyword = False
        accepted: list[str] = []
        required: list[str] = []
        adapters: dict[str, TypeAdapter[Any]] = {}
        exact: dict[str, type[Any]] = {}
        for param in signature.parameters.values():
            if param.kind is inspect.Parameter.VAR_KEYWORD:
                self.var_keyword = True
            elif param.kind in _KEYWORD_KINDS:
                accepted.append(param.name)
                if param.default is inspect.Parameter.empty:
                    required.append(param.name)
                hint = hints.get(param.name, Any)
                if hint is not Any and hint is not object:
                    if hint in _PLAIN:
                        # A value already of exactly this type passes unchanged; only
                        # others pay for pydantic.
                        exact[param.name] = hint
                    # A type pydantic cannot build a schema for is checked by name only.
                    with contextlib.suppress(Exception):
                        adapters[param.name] = TypeAdapter(hint)
        self.accepted = frozenset(accepted)
        self.required = tuple(required)
        self.adapters = adapters
        self.exact = exact
        self.passes: Callable[[dict[str, Any]], bool] = _fast_check(self)
        """Whether params pass unchanged (the common call): a cheap check, no errors built."""

    def __call__(self, params: dict[str, Any]) -> dict[str, Any]:
        """Return params ready to pass, or raise `ParameterValidationError` naming each field."""
        if self.passes(params):
            return params
        return self._full(params)

    def _full(self, params: dict[str, Any]) -> dict[str, Any]:
        errors: list[tuple[str, str]] = []
        for name in self.required:
            if name not in params:
                errors.append((name, "required but missing"))
        if not self.var_keyword:
            accepted = self.accepted
            for name in params:
                if name not in accepted:
                    errors.append((name, "not a parameter of this operation"))
        out = params
        exact = self.exact
        for name, adapter in self.adapters.items():
            if name in params:
                value = params[name]
                if type(value) is exact.get(name):
                    continue
                try:
                    coerced = adapter.validate_python(value)
                except ValidationError as error:
                    detail = "; ".join(e["msg"] for e in error.errors(include_url=False))
                    errors.append((name, detail))
                    continue
                if out is params:
                    out = dict(params)
                out[name] = coerced
        if errors:
            listed = ", ".join(f"{field!r}: {why}" for field, why in errors)
            names = ", ".join(sorted(self.accepted)) or "none"
            raise ParameterValidationError(
                f"bad params for {self.name}: {listed} (accepted: {names}"
                f"{', plus any keyword' if self.var_keyword else ''})",
                errors=errors,
            )
        return out


def _fast_check(validator: ParamValidator) -> Callable[[dict[str, Any]], bool]:
    # True only when the full path would return params unchanged: every required name
    # given, no unknown name, every annotated value already of its exact plain type.
    # False sends the call down the full path, which coerces or names each bad field.
    exact, adapters = validator.exact, validator.adapters
    closed = not validator.var_keyword and len(validator.required) == len(
        validator.accepted
    ) == len(adapters) == len(exact)
    if closed:
        # Every param required, with an exact type: the right count plus each name holding
        # a value of its type (``get`` gives None, never a plain type, for an absent name)
        # means exactly the accepted names. Written out for the usual arities.
        items = tuple(exact.items())
        if len(items) == 1:
            ((a, ta),) = items
            return lambda p: len(p) == 1 and type(p.get(a)) is ta
        if len(items) == 2:
            (a, ta), (b, tb) = items
            return lambda p: len(p) == 2 and type(p.get(a)) is ta and type(p.get(b)) is tb
        if len(items) == 3:
            (a, ta), (b, tb), (c, tc) = items
            return lambda p: (
                len(p) == 3
                and type(p.get(a)) is ta
                and type(p.get(b)) is tb
                and type(p.get(c)) is tc
            )
    required = frozenset(validator.required)
    accepted = None if validator.var_keyword else validator.accepted
    # Per annotated param, the exact type that passes unchanged and a stand-in of that
    # type for "absent", so one ``get`` answers both; params without an exact type get a
    # type no value has, so a present value always takes the full path.
    checks = tuple(
        (name, exact[name], exact[name]()) if name in exact else (name, _Absent, _ABSENT)
        for name in adapters
    )

    def passes(p: dict[str, Any]) -> bool:
        keys = p.keys()
        if not keys >= required or (accepted is not None and not keys <= accepted):
            return False
        get = p.get
        return all(type(get(name, absent)) is plain for name, plain, absent in checks)

    return passes


class _Absent:
    """The type of the stand-in for an absent param that has no exact type."""


_ABSENT = _Absent()


def build_validator(func: Callable[..., Any], name: str) -> ParamValidator | None:
    """Return a validator for ``func``, or ``None`` when its signature cannot be read."""
    try:
        return ParamValidator(func, name)
    except (TypeError, ValueError):  # builtins and C callables without a signature
        return None
