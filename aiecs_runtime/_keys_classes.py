"""Class identity for cache keys: who a class is, written so it is stable *and* distinct.

A key must tell apart instances of two different classes with equal fields (two models,
two dataclasses, two named tuples, members of two Enums), and it must be equal in every
process that builds the same value. ``module.qualname`` alone is stable but not distinct:
one factory can make many classes with the same qualname (``create_model("Row", ...)``,
``Enum("Color", [...])``, a class statement inside a function), and ``"pkg.Outer" + "." +
"C"`` is the same text as ``"pkg" + "." + "Outer.C"``. ``id(cls)`` or a per-process
registry is distinct but not stable: another process (or the same one, creating its classes
in another order) numbers them differently, so a persistent cache would never hit.

So a class is identified by what another process can recompute from the class alone:

* its ``__module__`` and ``__qualname__`` as two separate, length-delimited strings (no
  join to confuse);
* its kind (Enum, pydantic model, dataclass, named tuple);
* its *shape*: for an Enum, every member's name and value in definition order (and whether
  it is an ``int``/``str``/``Flag`` enum); for a model, dataclass or named tuple, every
  field's name, alias, declared type (described structurally, see `_describe`) and default
  when the default is itself a value of the params domain;
* its own public class attributes: constants (a ``ClassVar``), and for its methods,
  properties and validators the values they close over and their defaults — where the
  arguments of a factory end up when they do not change the fields.

Values outside the params domain (a client, a function) are described by their type, never
by ``repr()`` (an address would change per process). Factory-made classes that differ in
any of this get different identities. The limit, by construction: two classes that agree
on all of it (the same factory called twice with the same arguments) are indistinguishable
to any process that did not create both — a creation counter would not be stable, since
another process may create them in another order — so they share an identity; they also
accept the same data and run the same code on it. Method bodies, private names and
``model_config`` are not part of the identity (their form varies across Python and
framework versions). Types in annotations are described by their module and qualname and
their ``typing`` origin/arguments, not by ``repr()``, which varies across Python versions
(``Optional[int]`` prints as ``int | None`` from 3.14).

The identity is 16 bytes of blake2b over that description, computed once per class.
"""

from __future__ import annotations

import dataclasses
import enum
import threading
import types
import typing
from collections.abc import Callable, Iterable
from hashlib import blake2b
from typing import Any, cast

from pydantic import BaseModel

__all__ = ["class_identity", "is_named_tuple", "plain_tuple"]

# The tuple inside a tuple subclass, read through tuple's own slot (an overridden
# __iter__ or __getitem__ of the subclass is not called).
_tuple_slice = cast(
    "Callable[[Any, slice], tuple[Any, ...]]",
    tuple.__getitem__,  # pyright: ignore[reportUnknownMemberType]
)
_WHOLE = slice(None)


def plain_tuple(v: Any) -> tuple[Any, ...]:
    """The exact ``tuple`` holding the items of a tuple (subclass) instance."""
    return _tuple_slice(v, _WHOLE)


# Kinds: part of the hashed description, so a model and a dataclass never share one.
_ENUM, _MODEL, _DATACLASS, _NAMED_TUPLE = "enum", "model", "dataclass", "namedtuple"

_identities: dict[type[Any], bytes] = {}
_MAX_REMEMBERED = 4096  # classes created per call must not grow the table without limit
_MAX_DEPTH = 12  # nesting of a described annotation (recursive aliases stop here)


def is_named_tuple(cls: type[Any]) -> bool:
    """Whether ``cls`` is a ``namedtuple`` / ``typing.NamedTuple`` class."""
    fields: object = getattr(cls, "_fields", None)
    return issubclass(cls, tuple) and isinstance(fields, tuple)


def class_identity(cls: type[Any]) -> bytes:
    """Return the 16-byte stable identity of ``cls`` (see the module docstring)."""
    known = _identities.get(cls)
    if known is not None:
        return known
    busy: set[type[Any]] = _busy.__dict__.setdefault("classes", set())
    if cls in busy:  # its own description reached it (a member, a class attribute)
        raise _Recursive(cls)
    busy.add(cls)
    try:
        text = _tokens(_description(cls))
    finally:
        busy.discard(cls)
    identity = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if len(_identities) < _MAX_REMEMBERED:
        _identities[cls] = identity
    return identity


class _Recursive(Exception):
    """A class met inside its own description: described there by its type, like others."""


_busy = threading.local()  # the classes whose identity this thread is computing


def _description(cls: type[Any]) -> tuple[Any, ...]:
    head = (str(cls.__module__), str(cls.__qualname__))
    if issubclass(cls, enum.Enum):
        bases = tuple(b.__qualname__ for b in (int, str, enum.Flag) if issubclass(cls, b))
        members = tuple((name, _value(member._value_)) for name, member in cls.__members__.items())
        return (_ENUM, *head, bases, members, _attributes(cls, cls.__members__))
    if issubclass(cls, BaseModel):
        model_fields = tuple(
            (name, f.alias, _describe(f.annotation), _default(f.default))
            for name, f in cls.model_fields.items()
        )
        return (_MODEL, *head, model_fields, _attributes(cls, cls.model_fields))
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
        dataclass_fields = tuple(
            (f.name, _describe(f.type), _default(f.default)) for f in dataclasses.fields(cls)
        )
        return (_DATACLASS, *head, dataclass_fields, _attributes(cls, names))
    if is_named_tuple(cls):
        hints: dict[str, Any] = getattr(cls, "__annotations__", {})
        defaults: dict[str, Any] = getattr(cls, "_field_defaults", {})
        tuple_fields = tuple(
            (name, _describe(hints.get(name)), _default(defaults.get(name, _MISSING)))
            for name in cls._fields
        )
        return (_NAMED_TUPLE, *head, tuple_fields, _attributes(cls, cls._fields))
    raise TypeError(f"no class identity for {cls.__module__}.{cls.__qualname__}")


# Names pydantic puts in a model's namespace (which ones varies with its version).
_FRAMEWORK_NAMES = frozenset(
    {"model_config", "model_fields", "model_computed_fields", "model_post_init"}
)


def _attributes(cls: type[Any], fields: Iterable[str]) -> tuple[Any, ...]:
    """The class's own public attributes: constants, and what its methods close over.

    A factory that makes classes with equal fields usually differs in a class constant or in
    a value its methods capture (``def make(kind): class Row: ... def label(self): return
    kind``); both are values another process recomputes. Names with a leading underscore
    and fields are left out: the former are where Python and frameworks keep internals that
    change between versions, the latter are described already.
    """
    skip = {*fields, *_FRAMEWORK_NAMES}
    own = sorted((n, v) for n, v in vars(cls).items() if not n.startswith("_") and n not in skip)
    return tuple((name, _attribute(value)) for name, value in own)


def _attribute(value: Any) -> Any:
    for _ in range(4):  # classmethod, staticmethod, property, a framework's decorator proxy
        inner = next(
            (getattr(value, a) for a in ("__func__", "fget", "wrapped") if hasattr(value, a)),
            None,
        )
        if inner is None:
            break
        value = inner
    if isinstance(value, types.FunctionType):
        cells = tuple(_cell(c) for c in value.__closure__ or ())
        return ("fn", cells, _value(value.__defaults__), _value(value.__kwdefaults__))
    return _value(value)


def _cell(cell: Any) -> Any:
    try:
        return _value(cell.cell_contents)
    except ValueError:  # an empty cell
        return ("empty",)


_MISSING = object()


def _default(value: Any) -> Any:
    """A field default as part of the shape, when it is a plain value (else its type)."""
    if value is _MISSING or value is dataclasses.MISSING or _is_pydantic_undefined(value):
        return ("no default",)
    return _value(value)


def _is_pydantic_undefined(value: Any) -> bool:
    return type(value).__name__ == "PydanticUndefinedType"


def _value(value: Any) -> Any:
    """A member value or default, encoded when it is in the params domain, else its type."""
    # Imported here: the token encoder imports this module for class heads.
    from ._keys_tokens import canonical_text

    try:
        return ("v", canonical_text(value))
    except Exception:  # any value outside the domain is described by its type
        kind: type[Any] = type(value)  # pyright: ignore[reportUnknownVariableType]
        return ("t", str(kind.__module__), str(kind.__qualname__))


def _describe(tp: Any, depth: int = 0) -> Any:
    """A structural, version-independent description of an annotation."""
    if depth > _MAX_DEPTH:
        return ("deep",)
    if isinstance(tp, str):  # a string annotation (from __future__ import annotations)
        return ("s", tp)
    origin = typing.get_origin(tp)
    if origin is not None:
        # int | None and Optional[int] are one thing, spelt by two origins before 3.14.
        name = "Union" if origin is typing.Union or origin is types.UnionType else None
        args = tuple(_describe(a, depth + 1) for a in typing.get_args(tp))
        return ("of", name or _describe(origin, depth + 1), args)
    if isinstance(tp, type):
        return ("c", str(tp.__module__), str(tp.__qualname__))
    if tp is None or isinstance(tp, (bool, int, float, str, bytes, enum.Enum)):
        return ("lit", _value(tp))  # Literal[...] arguments, None in unions
    # TypeVar, ParamSpec, special forms (Any, ...): their names are stable.
    name = getattr(tp, "__name__", None) or getattr(tp, "_name", None) or "?"
    return ("n", str(type(tp).__qualname__), str(name))


def _tokens(description: Any) -> str:
    # Imported here: the token encoder imports this module for class heads.
    from ._keys_tokens import canonical_text

    return canonical_text(description)
