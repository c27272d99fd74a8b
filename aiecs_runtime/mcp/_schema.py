"""An op's MCP ``inputSchema`` from its signature, and its result as JSON.

The schema of each param is pydantic's JSON schema of its annotation: the executor
validates params with pydantic ``TypeAdapter``s of the same annotations (`_params`), so
what the schema advertises is what the call accepts (an ISO string for a ``datetime``, an
object for a model). A param whose annotation pydantic cannot describe (any class it has
no schema for, a callable) gets no constraint (``{}``), as the executor checks it by name
only.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import math
import typing
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_jsonable_python

__all__ = ["NotJSONError", "input_schema", "json_value"]

_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_JSON = dict[str, Any]


def _is_json(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _param_schema(hint: Any, defs: dict[str, Any]) -> _JSON:
    """Pydantic's schema of ``hint`` with its ``$defs`` moved into ``defs`` ({} if none)."""
    if hint is Any or hint is object or hint is inspect.Parameter.empty:
        return {}
    try:
        schema: _JSON = TypeAdapter(hint).json_schema()
    except Exception:  # no schema for this annotation: no constraint, as in validation
        return {}
    own: dict[str, Any] = schema.pop("$defs", {})
    for name, definition in own.items():
        if defs.setdefault(name, definition) != definition:
            # Two params' models share a name but differ: a shared "$ref" would be wrong
            # for one of them, so this param is left unconstrained rather than mislabelled.
            return {}
    return schema


def input_schema(func: Callable[..., Any]) -> _JSON:
    """The JSON schema of the keyword params ``func`` accepts (an MCP ``inputSchema``).

    ``required`` lists the params without defaults; a default is stated in its JSON form
    (`json_value`) when it has one; extra
    properties are allowed only when ``func`` takes ``**kwargs``. Positional-only params
    are left out: the executor passes params by keyword.
    """
    signature = inspect.signature(func)
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except Exception:  # unresolvable forward references: names only, as in validation
        hints = {}
    properties: dict[str, _JSON] = {}
    required: list[str] = []
    defs: dict[str, Any] = {}
    extra = False
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            extra = True
            continue
        if param.kind not in _KEYWORD:
            continue
        schema = _param_schema(hints.get(param.name, param.annotation), defs)
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
        else:
            # Stated in its JSON form (an enum member as its value), if it has one.
            with contextlib.suppress(NotJSONError):
                schema = {**schema, "default": json_value(param.default)}
        properties[param.name] = schema
    out: _JSON = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    if not extra:
        out["additionalProperties"] = False
    if defs:
        out["$defs"] = defs
    return out


class NotJSONError(TypeError):
    """Raised when an op's result has no JSON form."""


def json_value(value: Any) -> Any:
    """``value`` as JSON data: as is when it is JSON, else pydantic's JSON form of it.

    That form is: sets and tuples as lists, ``datetime``/``date``/``time`` as ISO strings,
    ``Decimal`` and ``UUID`` as strings, enums as their values, models and dataclasses as
    objects, UTF-8 ``bytes`` as strings. Anything else (other ``bytes``, a non-finite
    float, an object pydantic does not know) raises `NotJSONError` naming its type.
    """
    if _is_json(value):
        return value
    try:
        converted = to_jsonable_python(value)
    except Exception as exc:
        raise NotJSONError(
            f"the result is a {type(value).__name__} with no JSON form ({exc})"
        ) from None
    if not _is_json(converted):
        floats = isinstance(converted, float) and not math.isfinite(converted)
        why = "a non-finite float" if floats else "a value JSON cannot hold"
        raise NotJSONError(f"the result, a {type(value).__name__}, holds {why}: {value!r:.80}")
    return converted
