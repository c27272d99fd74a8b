"""References to earlier results in sequence params: ``"$result[0]"``, ``"$result[1].a.0"``.

A string param that starts with ``$result`` must be a well-formed reference to an earlier,
successful step, else the step fails with ``VALIDATION_ERROR`` naming the reference: it is
never passed on as raw text. ``$$result...`` escapes a literal leading ``$``.
Path segments after the index walk data only, and call nothing on the value: keys of a
``dict``, indexes (digits) of a ``list`` or ``tuple``, the fields of a named tuple, and the
declared fields of a pydantic model or a dataclass, read from the instance's storage (so no
property, ``__getattr__`` or ``__getitem__`` override runs). Anything else, a generator or a
module included, ends the path with ``VALIDATION_ERROR``: a reference never reaches code
or globals through a frame, a function or a class.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from pydantic import BaseModel

from aiecs_contracts import ParameterValidationError

__all__ = ["has_references", "holds_references", "resolve_references"]

_PREFIX = "$result"
_REFERENCE = re.compile(r"\$result\[(\d+)\]((?:\.[^.\s]+)*)")
_MAX_DIGITS: Final = 18  # any index past this is out of range; int() of 5,000 digits raises
_MISSING: Final = object()

# Unbound methods of the built-in types: a subclass's overrides never run on a path.
_dict_has: Callable[[dict[Any, Any], object], bool] = dict.__contains__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
_dict_get: Callable[[dict[Any, Any], Any], Any] = dict.__getitem__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
_list_len: Callable[[list[Any]], int] = list.__len__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
_list_get: Callable[[list[Any], int], Any] = list.__getitem__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
_tuple_len: Callable[[tuple[Any, ...]], int] = tuple.__len__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
_tuple_get: Callable[[tuple[Any, ...], int], Any] = tuple.__getitem__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def _bad(reference: str, why: str) -> ParameterValidationError:
    return ParameterValidationError(
        f"bad result reference {reference!r}: {why} (write '$result[<index>]' or "
        f"'$result[<index>].<key>.<index>...'; '$$' escapes a literal '$')",
        errors=[(reference, why)],
    )


def _index(reference: str, digits: str) -> int:
    if len(digits) > _MAX_DIGITS:
        raise _bad(reference, f"index {digits[:20]}... is out of range (over {_MAX_DIGITS} digits)")
    return int(digits)


def _declared_field(value: Any, segment: str) -> Any:
    """The value of a declared field of a model, dataclass or named tuple, else _MISSING."""
    cls: type[Any] = type(value)  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, BaseModel):
        if segment in type(value).model_fields:
            return value.__dict__.get(segment, _MISSING)
        return _MISSING
    if dataclasses.is_dataclass(cls):
        if segment not in {f.name for f in dataclasses.fields(cls)}:
            return _MISSING
        own = getattr(value, "__dict__", None)
        if type(own) is dict and segment in own:
            return own[segment]  # pyright: ignore[reportUnknownVariableType]
        for klass in cls.__mro__:  # __slots__ dataclasses: the slot's member descriptor
            slot: Any = vars(klass).get(segment)
            if type(slot).__name__ == "member_descriptor":
                try:
                    return slot.__get__(value, cls)
                except AttributeError:
                    return _MISSING
        return _MISSING
    if isinstance(value, tuple):
        fields = next((vars(k)["_fields"] for k in cls.__mro__ if "_fields" in vars(k)), ())
        if type(fields) is tuple and segment in fields:
            return _tuple_get(value, fields.index(segment))  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType]
    return _MISSING


def _lookup(reference: str, value: Any, segment: str) -> Any:
    data: Any = value
    if isinstance(data, dict):
        if _dict_has(data, segment):  # pyright: ignore[reportUnknownArgumentType]
            return _dict_get(data, segment)  # pyright: ignore[reportUnknownArgumentType]
        digits = segment.isdigit() and len(segment) <= _MAX_DIGITS
        if digits and _dict_has(data, int(segment)):  # pyright: ignore[reportUnknownArgumentType]
            return _dict_get(data, int(segment))  # pyright: ignore[reportUnknownArgumentType]
        raise _bad(reference, f"no key {segment!r}")
    if segment.isdigit() and isinstance(data, list | tuple):
        index = _index(reference, segment)
        length = _list_len(data) if isinstance(data, list) else _tuple_len(data)  # pyright: ignore[reportUnknownArgumentType]
        if index >= length:
            raise _bad(reference, f"index {index} is out of range (length {length})")
        return _list_get(data, index) if isinstance(data, list) else _tuple_get(data, index)  # pyright: ignore[reportUnknownArgumentType]
    if not segment.startswith("_"):
        found = _declared_field(data, segment)
        if found is not _MISSING:
            return found
    raise _bad(
        reference,
        f"a {type(data).__name__} has no key, index or declared field {segment!r} "
        "(paths walk dict keys, list/tuple indexes and declared fields of models, "
        "dataclasses and named tuples)",
    )


def _resolve_one(text: str, results: Sequence[Any], ok: Sequence[bool]) -> Any:
    match = _REFERENCE.fullmatch(text)
    if match is None:
        raise _bad(text, "malformed")
    index = _index(text, match.group(1))
    if index >= len(results):
        raise _bad(text, f"step {index} has not run yet ({len(results)} earlier steps)")
    if not ok[index]:
        raise _bad(text, f"step {index} failed, so it has no result")
    value = results[index]
    path = match.group(2)
    if path:
        for segment in path[1:].split("."):
            value = _lookup(text, value, segment)
    return value


def resolve_references(params: Any, results: Sequence[Any], ok: Sequence[bool]) -> Any:
    """Return ``params`` with every reference replaced by the earlier result it names."""
    if isinstance(params, str):
        if params.startswith(_PREFIX):
            return _resolve_one(params, results, ok)
        if params.startswith("$$result"):
            return params[1:]
        return params
    if isinstance(params, dict):
        return {k: resolve_references(v, results, ok) for k, v in params.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(params, list):
        return [resolve_references(v, results, ok) for v in params]  # pyright: ignore[reportUnknownVariableType]
    if type(params) is tuple:  # named tuples are data of their own, passed as they are
        return tuple(resolve_references(v, results, ok) for v in params)  # pyright: ignore[reportUnknownVariableType]
    return params


def has_references(params: Any) -> bool:
    """Return whether ``params`` holds any string starting with ``$`` (cheap pre-check)."""
    if isinstance(params, str):
        return params.startswith("$")
    container: Any = params  # not narrowed by the isinstance checks below
    if isinstance(params, dict):
        values: Iterable[Any] = container.values()
    elif isinstance(params, list) or type(params) is tuple:
        values = container
    else:
        return False
    # Loops, not any(generator): no generator frame per container.
    for value in values:
        t: type[Any] = type(value)  # pyright: ignore[reportUnknownVariableType]
        if t is str:
            if value.startswith("$"):
                return True
        elif t is int or t is float or t is bool or value is None:
            continue
        elif has_references(value):
            return True
    return False


def holds_references(operations: Iterable[Any]) -> bool:
    """Return ``False`` only when no op's params can hold a reference (one scan per run)."""
    # No cast() here: it is a real call, and this loop runs once per op of a sequence.
    for item in operations:
        if type(item) is not dict:
            return True  # an unusual item: let the exact per-step check decide
        params = item.get("params")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if type(params) is dict:  # pyright: ignore[reportUnknownArgumentType]
            # has_references, inlined for the usual flat params of plain values.
            for value in params.values():  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
                t: type[Any] = type(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
                if t is str:
                    if value[:1] == "$":
                        return True
                elif (
                    t is not int and t is not float and value is not None and has_references(value)
                ):
                    return True
        elif params is not None and has_references(params):
            return True
    return False
