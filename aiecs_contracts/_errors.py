"""The execution error hierarchy: every error carries an `ErrorCode`.

It also holds the one schema by which these errors cross a process boundary (the Celery
envelope, the wire): `ExecutionError.to_dict()` and `ExecutionError.from_dict()`. The
schema is derived from the classes themselves: the rebuildable classes are every
`ExecutionError` subclass defined in ``aiecs_contracts``, and a class's attributes are the
names its ``__init__`` takes besides the message (``tool_name``, ``available``, ``spec``,
``task_name``, ``executor_type``...), so a new error class or attribute cannot be left out.
Rebuilding never runs a constructor or any other code of the data's choosing: the class is
looked up by name among those classes only, and attributes are set as plain data.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, cast

from aiecs_models import ErrorCode

__all__ = [
    "ExecutionError",
    "ExecutorNotFoundError",
    "InvalidOperationSpecError",
    "OperationFailedError",
    "OperationNotFoundError",
    "OperationTimeoutError",
    "ParameterValidationError",
    "RetryExhaustedError",
    "TaskNotFoundError",
    "ToolNotFoundError",
    "safe_str",
]


def _restore(cls: type[ExecutionError], message: str, state: dict[str, Any]) -> ExecutionError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


def _subclasses(cls: type[ExecutionError]) -> Iterable[type[ExecutionError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _schema_classes() -> dict[str, type[ExecutionError]]:
    # Computed on each call (cheap: a dozen classes): a class defined after the first
    # call is still found. Only our own classes: a name in the data must never pick an
    # application's class, whose constructor or attributes we know nothing about.
    found: dict[str, type[ExecutionError]] = {"ExecutionError": ExecutionError}
    for cls in _subclasses(ExecutionError):
        if cls.__module__.split(".")[0] == "aiecs_contracts":
            found[cls.__name__] = cls
    return found


def _fields(cls: type[ExecutionError]) -> tuple[str, ...]:
    """The attributes of ``cls`` in the schema: its ``__init__`` parameters but the message."""
    skip = {"self", "message", "code"}
    names: list[str] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or not issubclass(klass, ExecutionError):
            continue
        for param in inspect.signature(init).parameters.values():
            variadic = param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
            if not variadic and param.name not in skip and param.name not in names:
                names.append(param.name)
    return tuple(names)


def _plain(value: object, depth: int = 0) -> Any:
    """``value`` as JSON-shaped data: scalars kept, tuples and lists as lists, others repr'd."""
    if value is None or isinstance(value, bool | str | float):
        return str.__str__(value) if isinstance(value, str) else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, tuple | list) and depth < 8:
        items = cast(Sequence[object], value)
        return [_plain(v, depth + 1) for v in items]
    return _safe_repr(value)  # pyright: ignore[reportUnknownArgumentType]


def _frozen(value: object) -> Any:
    """The inverse of `_plain` for the attribute types we use: lists back to tuples."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in cast(list[object], value))
    return value


def _safe_repr(value: object) -> str:
    try:
        return repr(value)
    except Exception:  # a hostile or huge value: its type still says what it was
        return f"<{type(value).__name__} object>"


def safe_str(exc: BaseException) -> str:
    """``str(exc)``, or a placeholder naming its type when that raises (e.g. a huge int)."""
    try:
        return str(exc)
    except Exception:
        return f"<unprintable {type(exc).__name__}>"


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


# -- base -------------------------------------------------------------------------------


class ExecutionError(Exception):
    """Base of every error the execution layer raises; ``code`` tells the failure kind."""

    default_code: ClassVar[ErrorCode] = ErrorCode.EXECUTION_ERROR

    def __init__(self, message: str = "", *, code: ErrorCode | str | None = None) -> None:
        super().__init__(message)
        self.code: ErrorCode = ErrorCode(code) if code is not None else self.default_code

    @property
    def message(self) -> str:
        """The human-readable message."""
        return str(self)

    # -- the error schema across processes -----------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """This error as JSON-shaped data: ``{"type", "code", "message", "attrs"}``.

        ``type`` is the class name, but for a class defined outside ``aiecs_contracts``
        it is the nearest such base (an application's subclass of `OperationFailedError`
        travels as an `OperationFailedError` with its own message and code).
        """
        known = _schema_classes()
        cls: type[ExecutionError] = next(
            c for c in type(self).__mro__ if known.get(c.__name__) is c
        )
        state = vars(self)
        attrs = {name: _plain(state[name]) for name in _fields(cls) if name in state}
        code: object = state.get("code")
        try:
            wire_code = ErrorCode(code).value if isinstance(code, str) else None
        except ValueError:
            wire_code = None
        return {
            "type": cls.__name__,
            "code": wire_code or cls.default_code.value,
            "message": safe_str(self),
            "attrs": attrs,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExecutionError:
        """Rebuild an error from `to_dict` data; unknown types become ``cls`` (the base).

        Nothing of the data's choosing runs: the class is one of ours, found by exact
        name, built without calling its ``__init__``; only its schema attributes are set.
        A bad ``code`` falls back to the class's default code.
        """
        name = data.get("type")
        found = _schema_classes().get(name) if type(name) is str else None
        target: type[ExecutionError] = (
            found if found is not None and issubclass(found, cls) else cls
        )
        message = data.get("message")
        err = target.__new__(target)
        Exception.__init__(err, message if type(message) is str else "")
        code: object = data.get("code")
        try:
            err.code = ErrorCode(code) if type(code) is str else target.default_code
        except ValueError:
            err.code = target.default_code
        attrs: object = data.get("attrs")
        if isinstance(attrs, Mapping):
            given = cast(Mapping[str, object], attrs)
            for field in _fields(target):
                if field in given:
                    setattr(err, field, _frozen(given[field]))
        return err

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default Exception pickling; keep
        # every attribute so errors cross process boundaries (Celery, multiprocessing).
        return (_restore, (type(self), str(self), dict(self.__dict__)))


# -- lookups (also LookupError) ---------------------------------------------------------


class ToolNotFoundError(ExecutionError, LookupError):
    """Raised when no tool is served under the requested name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, tool_name: str, *, available: Iterable[str] = ()) -> None:
        known = sorted(available)
        super().__init__(f"no tool named {tool_name!r}{_did_you_mean(tool_name, known)}")
        self.tool_name = tool_name
        self.available: tuple[str, ...] = tuple(known)


class OperationNotFoundError(ExecutionError, LookupError):
    """Raised when a tool has no public operation of the requested name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(
        self, operation_name: str, *, tool: str = "", available: Iterable[str] = ()
    ) -> None:
        known = sorted(available)
        where = f" on tool {tool!r}" if tool else ""
        super().__init__(
            f"no public operation {operation_name!r}{where}{_did_you_mean(operation_name, known)}"
        )
        self.operation_name = operation_name
        self.tool = tool
        self.available: tuple[str, ...] = tuple(known)


class TaskNotFoundError(ExecutionError, LookupError):
    """Raised when no task is registered under the requested name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, task_name: str, *, available: Iterable[str] = ()) -> None:
        known = sorted(available)
        super().__init__(f"no task named {task_name!r}{_did_you_mean(task_name, known)}")
        self.task_name = task_name
        self.available: tuple[str, ...] = tuple(known)


class ExecutorNotFoundError(ExecutionError, LookupError):
    """Raised when no executor is registered under the requested type name."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, executor_type: str, *, available: Iterable[str] = ()) -> None:
        known = sorted(available)
        super().__init__(
            f"no executor registered as {executor_type!r}{_did_you_mean(executor_type, known)}"
        )
        self.executor_type = executor_type
        self.available: tuple[str, ...] = tuple(known)


# -- bad input (also ValueError) --------------------------------------------------------


class InvalidOperationSpecError(ExecutionError, ValueError):
    """Raised when an operation spec is not of the form ``"<tool>.<public_op>"``."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, message: str, *, spec: object = None) -> None:
        super().__init__(message)
        self.spec = spec


class ParameterValidationError(ExecutionError, ValueError):
    """Raised when params do not fit the operation's signature; names each bad field."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, message: str, *, errors: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.errors: tuple[tuple[str, str], ...] = tuple(errors)


# -- running ----------------------------------------------------------------------------


class OperationFailedError(ExecutionError):
    """Raised when an operation itself raised; ``__cause__`` is its exception."""

    default_code = ErrorCode.EXECUTION_ERROR


class RetryExhaustedError(OperationFailedError):
    """Raised when every retry attempt failed; ``__cause__`` is the last failure."""

    default_code = ErrorCode.RETRY_EXHAUSTED

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts


class OperationTimeoutError(ExecutionError, TimeoutError):
    """Raised when an operation did not finish within its time limit."""

    default_code = ErrorCode.TIMEOUT_ERROR

    def __init__(self, message: str, *, timeout: float | None = None) -> None:
        super().__init__(message)
        self.timeout = timeout
