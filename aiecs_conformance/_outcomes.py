"""What a probe op can do when it is called: return a value from the whole domain, or raise.

`op_results()` draws what an op *returns*: every params value, the falsy values an
implementation is tempted to read as "no result", and exception instances returned as
values (a result, not a failure). `op_failures()` draws what an op *raises*: standard
library and user-defined `Exception` subclasses, with a message, with an empty one
(``str(exc) == ""``), or with arguments that are not text at all.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from .strategies import params_values

__all__ = [
    "FAILURE_CLASSES",
    "FALSY_RESULTS",
    "CodedFailure",
    "ProbeFailure",
    "ProbeLookupFailure",
    "ProbeValueFailure",
    "failure_classes",
    "op_failures",
    "op_results",
]


class ProbeFailure(Exception):
    """A user-defined exception with no base but `Exception`."""


class ProbeLookupFailure(LookupError):
    """A user-defined `LookupError`: an executor must not take it for "no such op"."""


class ProbeValueFailure(ValueError):
    """A user-defined `ValueError`: an executor must not take it for a bad spec."""


class CodedFailure(Exception):
    """An exception whose constructor takes no message: ``str(exc)`` is empty."""

    def __init__(self, code: int = 0) -> None:
        super().__init__()
        self.code = code

    def __repr__(self) -> str:
        return f"CodedFailure(code={self.code!r})"


#: Results an implementation may mistake for "nothing came back".
_EMPTY_LIST: list[Any] = []
_EMPTY_DICT: dict[str, Any] = {}
_EMPTY_SET: set[Any] = set()
FALSY_RESULTS: tuple[object, ...] = (
    None, 0, 0.0, "", b"", False, _EMPTY_LIST, _EMPTY_DICT, (), _EMPTY_SET
)  # fmt: skip

#: Every exception class an op may raise. `StopIteration` / `StopAsyncIteration` are left
#: out (Python itself turns them into `RuntimeError` inside generators and coroutines).
FAILURE_CLASSES: tuple[type[Exception], ...] = (
    Exception,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    LookupError,
    RuntimeError,
    TimeoutError,
    ConnectionError,
    PermissionError,
    FileNotFoundError,
    OSError,
    ZeroDivisionError,
    AssertionError,
    NotImplementedError,
    AttributeError,
    UnicodeError,
    ProbeFailure,
    ProbeLookupFailure,
    ProbeValueFailure,
)

_MESSAGES = st.one_of(
    st.just(""),
    st.sampled_from(["boom", "SELECT 1; --", "multi\nline", "é ünïcode", "x" * 300]),
    st.text(max_size=20),
)


def failure_classes() -> st.SearchStrategy[type[Exception]]:
    """The exception classes of `FAILURE_CLASSES`."""
    return st.sampled_from(FAILURE_CLASSES)


def _instance(cls: type[Exception], message: str, with_args: bool) -> Exception:
    return cls(message) if with_args else cls()


def _key_error(key: int) -> Exception:
    return KeyError(key)  # a key, not a message


def _two_args(text: str, number: int) -> Exception:
    return ValueError(text, number)


@functools.cache
def op_failures() -> st.SearchStrategy[Exception]:
    """Exception instances an op raises: any class, with or without a message."""
    plain = st.builds(_instance, failure_classes(), _MESSAGES, st.booleans())
    odd = st.one_of(
        st.builds(CodedFailure, st.integers(-5, 5)),
        st.builds(_key_error, st.integers()),
        st.builds(_two_args, st.text(max_size=5), st.integers()),
    )
    return st.one_of(plain, odd)


@functools.cache
def op_results() -> st.SearchStrategy[Any]:
    """Values an op returns: the params domain, falsy values, exceptions as values."""
    return st.one_of(
        st.sampled_from(FALSY_RESULTS).map(_fresh),
        params_values(2),
        op_failures(),
    )


def _fresh(value: object) -> object:
    # The falsy containers are shared constants: hand out a new one each draw, so an
    # implementation that mutates one result cannot reach the next example.
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    if isinstance(value, set):
        fresh: set[Any] = set()
        return fresh
    return value
