"""Parameter validation from an operation's signature, built once per operation.

Only parameters whose annotation says something (not missing, not ``Any``) go through a
pydantic ``TypeAdapter``; the rest are checked for presence and name only, so an op taking
``**params`` receives exactly what the caller passed, strings with ``;``, ``--`` or
``SELECT`` included: nothing here inspects text.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from aiecs_contracts import ParameterValidationError

__all__ = ["ParamValidator", "build_validator"]

_KEYWORD_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class ParamValidator:
    """Checks (and coerces) keyword params against one operation's signature."""

    __slots__ = ("accepted", "adapters", "name", "required", "var_keyword")

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
        for param in signature.parameters.values():
            if param.kind is inspect.Parameter.VAR_KEYWORD:
                self.var_keyword = True
            elif param.kind in _KEYWORD_KINDS:
                accepted.append(param.name)
                if param.default is inspect.Parameter.empty:
                    required.append(param.name)
                hint = hints.get(param.name, Any)
                if hint is not Any and hint is not object:
                    try:
                        adapters[param.name] = TypeAdapter(hint)
                    except Exception:  # a type pydantic cannot build a schema for
                        pass
        self.accepted = frozenset(accepted)
        self.required = tuple(required)
        self.adapters = adapters

    def __call__(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Return params ready to pass, or raise `ParameterValidationError` naming each field."""
        errors: list[tuple[str, str]] = []
        for name in self.required:
            if name not in params:
                errors.append((name, "required but missing"))
        if not self.var_keyword:
            for name in params:
                if name not in self.accepted:
                    errors.append((name, "not a parameter of this operation"))
        out = dict(params)
        for name, adapter in self.adapters.items():
            if name in out:
                try:
                    out[name] = adapter.validate_python(out[name])
                except ValidationError as error:
                    detail = "; ".join(e["msg"] for e in error.errors(include_url=False))
                    errors.append((name, detail))
        if errors:
            listed = ", ".join(f"{field!r}: {why}" for field, why in errors)
            accepted = ", ".join(sorted(self.accepted)) or "none"
            raise ParameterValidationError(
                f"bad params for {self.name}: {listed} (accepted: {accepted}"
                f"{', plus any keyword' if self.var_keyword else ''})",
                errors=errors,
            )
        return out


def build_validator(func: Callable[..., Any], name: str) -> ParamValidator | None:
    """Return a validator for ``func``, or ``None`` when its signature cannot be read."""
    try:
        return ParamValidator(func, name)
    except (TypeError, ValueError):  # builtins and C callables without a signature
        return None
