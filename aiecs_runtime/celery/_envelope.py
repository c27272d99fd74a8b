"""What a worker sends back for one operation, and how the caller turns it into a value.

The task never raises: it returns ``{"ok": true, "v": "<wire json>"}`` or
``{"ok": false, "type": ..., "code": ..., "message": ..., "cause": {...} | null}``.
Error classes are rebuilt only from an allow-list (ours, and built-in exceptions for the
cause), never looked up by arbitrary module path.
"""

from __future__ import annotations

import builtins
from typing import Any, cast

from aiecs_contracts import (
    ErrorCode,
    ExecutionError,
    InvalidOperationSpecError,
    OperationFailedError,
    OperationNotFoundError,
    OperationTimeoutError,
    ParameterValidationError,
    RetryExhaustedError,
    ToolNotFoundError,
)

from .._wire import WireDecodeError, loads

__all__ = ["RemoteError", "error_envelope", "ok_envelope", "open_envelope"]

_KNOWN: dict[str, type[ExecutionError]] = {
    cls.__name__: cls
    for cls in (
        ExecutionError,
        InvalidOperationSpecError,
        OperationFailedError,
        OperationNotFoundError,
        OperationTimeoutError,
        ParameterValidationError,
        RetryExhaustedError,
        ToolNotFoundError,
    )
}
_ATTRS = ("tool_name", "operation_name", "tool", "available", "timeout", "attempts", "errors")


class RemoteError(Exception):
    """Stands in for an exception raised on a worker whose class is not rebuilt here."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name = type_name
        self.remote_message = message


def ok_envelope(value_json: bytes) -> dict[str, Any]:
    """The envelope of a successful operation (its result already wire-encoded)."""
    return {"ok": True, "v": value_json.decode("utf-8")}


def _plain(value: object) -> Any:
    if isinstance(value, tuple):
        return [_plain(x) for x in cast(tuple[object, ...], value)]
    if isinstance(value, str | int | float | None):
        return value
    return str(value)


def _describe(exc: BaseException) -> dict[str, Any]:
    return {"type": type(exc).__name__, "message": str(exc)}


def error_envelope(exc: BaseException) -> dict[str, Any]:
    """The envelope of a failed operation: type, code, message and the cause's outline."""
    env: dict[str, Any] = {"ok": False, **_describe(exc)}
    if isinstance(exc, ExecutionError):
        env["code"] = exc.code.value
        env["attrs"] = {a: _plain(getattr(exc, a)) for a in _ATTRS if a in vars(exc)}
    else:
        env["code"] = ErrorCode.EXECUTION_ERROR.value
    cause = exc.__cause__
    env["cause"] = _describe(cause) if cause is not None else None
    return env


def _rebuild_cause(outline: object) -> BaseException | None:
    if not isinstance(outline, dict):
        return None
    outline_: dict[str, Any] = outline  # pyright: ignore[reportUnknownVariableType]
    name, message = str(outline_.get("type", "")), str(outline_.get("message", ""))
    builtin = getattr(builtins, name, None) if name.isidentifier() else None
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(message)
        except Exception:  # an exception type with an unusual constructor
            pass
    return RemoteError(name, message)


def _rebuild(env: dict[str, Any], spec: str) -> BaseException:
    name = str(env.get("type", ""))
    message = str(env.get("message", "")) or name
    code = env.get("code") or ErrorCode.EXECUTION_ERROR.value
    try:
        code = ErrorCode(code)
    except ValueError:
        code = ErrorCode.EXECUTION_ERROR
    cls = _KNOWN.get(name)
    if cls is None:
        err: ExecutionError = OperationFailedError(f"{spec} failed on a worker: {name}: {message}")
    else:
        err = cls.__new__(cls)
        Exception.__init__(err, message)
        attrs = env.get("attrs")
        if isinstance(attrs, dict):
            for key, value in attrs.items():  # pyright: ignore[reportUnknownVariableType]
                if key in _ATTRS:
                    setattr(err, key, tuple(value) if isinstance(value, list) else value)  # pyright: ignore[reportUnknownArgumentType]
    err.code = code
    cause = _rebuild_cause(env.get("cause"))
    if cause is not None:
        err.__cause__ = cause
    return err


def open_envelope(env: object, spec: str) -> Any:
    """Return the operation's result, or raise the error the envelope describes."""
    if not isinstance(env, dict):
        raise OperationFailedError(f"{spec}: a worker answered {type(env).__name__}, not a result")
    env_: dict[str, Any] = env  # pyright: ignore[reportUnknownVariableType]
    if env_.get("ok") is True:
        payload = env_.get("v")
        if not isinstance(payload, str):
            raise OperationFailedError(f"{spec}: a worker answered a result without a value")
        try:
            return loads(payload)
        except WireDecodeError as exc:
            raise OperationFailedError(
                f"{spec}: the result could not be decoded here: {exc}"
            ) from exc
    raise _rebuild(env_, spec)
