"""Where an op's failure becomes ours: `map_exceptions`, the one translation boundary.

An op's own exception becomes `OperationFailedError` with ``__cause__`` set; our own
`ExecutionError`s pass unchanged. ``SystemExit`` raised by a tool is that op's failure too
(a tool calling ``sys.exit()`` must not end the run, the worker or the caller's process),
with the exit code in the message. ``KeyboardInterrupt``, ``GeneratorExit`` and
``asyncio.CancelledError`` are not failures of the op and always propagate.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Final

from aiecs_contracts import ExecutionError, OperationFailedError, OperationTimeoutError

__all__ = ["describe", "map_exceptions", "message_of", "timeout_error", "translate"]

# What an op may raise that is its own failure; everything else BaseException propagates.
_OP_FAILURES: Final = (Exception, SystemExit)


def describe(tool: Any, name: str) -> str:
    """``"operation Tool.name"``: how every message names one op."""
    return f"operation {type(tool).__name__}.{name}"


def translate(error: BaseException, what: str) -> BaseException:
    """Return what the caller sees for ``error`` raised by ``what``."""
    if isinstance(error, ExecutionError) or not isinstance(error, _OP_FAILURES):
        return error
    wrapped = OperationFailedError(f"{what} raised {_detail(error)}")
    wrapped.__cause__ = error
    return wrapped


def _detail(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"SystemExit (exit code {error.code!r})"
    text = _text(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def message_of(error: BaseException) -> str:
    """A failed step's message: never empty, never raising, naming at least the type."""
    if isinstance(error, SystemExit):
        return _detail(error)
    return _text(error) or type(error).__name__


def _text(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # an exception whose __str__ raises still gets a message
        return f"<{type(error).__name__} whose str() raised>"


class map_exceptions:  # named like a function: used like one, as httpx's is
    """``with map_exceptions(what):`` raises `translate` of what the block raises."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if error is None:
            return
        translated = translate(error, self.what)
        if translated is not error:
            raise translated from error


def timeout_error(what: str, timeout: float, *, in_thread: bool) -> OperationTimeoutError:
    """The one message for an op that did not finish in time."""
    note = " (its thread runs on until the op returns)" if in_thread else ""
    return OperationTimeoutError(f"{what} did not finish within {timeout}s{note}", timeout=timeout)
