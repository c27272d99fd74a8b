"""What a worker sends back for one operation, and how the caller turns it into a value.

The task never raises: it returns ``{"ok": true, "v": "<wire json>"}`` or
``{"ok": false, "e": "<wire json>"}`` where the wire value is ``{"error": ..., "cause":
...}``: ``error`` in the one error schema of ``aiecs_contracts`` (`ExecutionError.to_dict`,
which rebuilds only our own classes, by exact name, without running their code), ``cause``
the type name and message of the op's own exception (rebuilt as a built-in exception of
that name, or a `RemoteError`). Both parts go through the wire, not Celery's JSON, so
values Celery's encoder refuses (ints over 4,300 digits) cross as they do locally.
"""

from __future__ import annotations

import builtins
import contextlib
from typing import Any, cast

from aiecs_contracts import ErrorCode, ExecutionError, OperationFailedError
from aiecs_contracts._errors import safe_str

from .._wire import UnencodableValueError, WireDecodeError, decode, dumps, encode, loads

__all__ = ["RemoteError", "error_envelope", "ok_envelope", "open_envelope"]


class RemoteError(Exception):
    """Stands in for an exception raised on a worker whose class is not rebuilt here."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name = type_name
        self.remote_message = message


def ok_envelope(value_json: bytes) -> dict[str, Any]:
    """The envelope of a successful operation (its result already wire-encoded)."""
    return {"ok": True, "v": value_json.decode("utf-8")}


def _outline(exc: BaseException) -> dict[str, Any]:
    return {"type": type(exc).__name__, "message": safe_str(exc)}


def error_envelope(exc: BaseException) -> dict[str, Any]:
    """The envelope of a failed operation: the error in the schema, and its cause's outline."""
    error: dict[str, Any]
    if isinstance(exc, ExecutionError):
        error = exc.to_dict()
    else:  # not one of ours: the caller turns it into an OperationFailedError (E003)
        error = {**_outline(exc), "code": ErrorCode.EXECUTION_ERROR.value, "attrs": {}}
    cause = exc.__cause__
    body: dict[str, Any] = {"error": error, "cause": _outline(cause) if cause is not None else None}
    if cause is not None:
        # The cause itself, as a wire value (its class, args and public attributes), where
        # the wire can carry it: the caller then sees the op's own exception as __cause__.
        with contextlib.suppress(UnencodableValueError, ValueError, RecursionError):
            body["cause_value"] = encode(cause)
    try:
        return {"ok": False, "e": dumps(body).decode("utf-8")}
    except (UnencodableValueError, ValueError):  # an attribute the wire refuses: drop them
        error = {**error, "attrs": {}}
        return {"ok": False, "e": dumps({"error": error, "cause": None}).decode("utf-8")}


def _rebuild_cause(outline: object) -> BaseException | None:
    if not isinstance(outline, dict):
        return None
    outline_ = cast(dict[str, Any], outline)
    name, message = str(outline_.get("type", "")), str(outline_.get("message", ""))
    builtin = getattr(builtins, name, None) if name.isidentifier() else None
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(message)
        except Exception:  # an exception type with an unusual constructor
            pass
    return RemoteError(name, message)


def _rebuild(body: object, spec: str) -> BaseException:
    if not isinstance(body, dict):
        return OperationFailedError(f"{spec}: a worker answered a malformed error")
    body_ = cast(dict[str, Any], body)
    raw: object = body_.get("error")
    error = cast(dict[str, Any], raw) if isinstance(raw, dict) else {}
    err = ExecutionError.from_dict(error)
    if type(err) is ExecutionError and error.get("type") != "ExecutionError":
        # Not one of our classes (the op's executor raised something else): E003, with
        # the remote type and message, as the local OperationExecutor reports it.
        name, message = str(error.get("type", "")), str(error.get("message", ""))
        err = OperationFailedError(f"{spec} failed on a worker: {name}: {message}")
    cause = _rebuild_cause(body_.get("cause"))
    if "cause_value" in body_:
        try:
            rebuilt: object = decode(body_["cause_value"])
        except WireDecodeError:  # a class this process does not know: keep the outline
            rebuilt = None
        if isinstance(rebuilt, BaseException):
            cause = rebuilt
    if cause is not None:
        err.__cause__ = cause
    return err


def open_envelope(env: object, spec: str) -> Any:
    """Return the operation's result, or raise the error the envelope describes."""
    if not isinstance(env, dict):
        raise OperationFailedError(f"{spec}: a worker answered {type(env).__name__}, not a result")
    env_ = cast(dict[str, Any], env)
    ok, payload = env_.get("ok"), env_.get("v" if env_.get("ok") is True else "e")
    if not isinstance(payload, str):
        raise OperationFailedError(f"{spec}: a worker answered an envelope without its value")
    try:
        value = loads(payload)
    except WireDecodeError as exc:
        raise OperationFailedError(f"{spec}: the answer could not be decoded here: {exc}") from exc
    if ok is True:
        return value
    raise _rebuild(value, spec)
