"""`RetryPolicy`: which failures are transient, how often to try, how long to wait.

Like stamina, a policy names what it retries: ``RetryPolicy(attempts=3, on=ConnectionError)``.
A policy that retries nothing by default would look configured and call a failing op once.
The executor runs the attempts (its retry step); the policy only answers, after each
failure, "wait this long and try again" or "give up with this error".
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

from aiecs_contracts import OperationFailedError, RetryExhaustedError

__all__ = ["RetryPolicy"]

_MAX_DOUBLINGS: Final = 64  # 2**64 * any sane initial is far past any sane maximum

ExceptionTypes = type[BaseException] | tuple[type[BaseException], ...]


def _is_exception_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseException)


def _seconds(name: str, value: object) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or value < 0:  # type: ignore[arg-type, operator]
        raise ValueError(
            f"RetryPolicy({name}={value!r}): expected a finite, non-negative number of seconds"
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class RetryPolicy:
    """Retry a failed call with exponential backoff and jitter, for the errors ``on`` names.

    ``attempts`` counts every call, the first included. ``on`` is an exception class or a
    tuple of them; an op's exception is retried when it is an instance (also when it
    arrives wrapped in `OperationFailedError`). The wait before retry ``n`` (1, 2, ...) is
    ``min(maximum, initial * 2**(n-1) + u)``, ``u`` uniform in ``[0, jitter]``.
    """

    on: ExceptionTypes = ()
    attempts: int = 3
    initial: float = 0.1
    maximum: float = 5.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if type(self.attempts) is not int or self.attempts < 1:
            raise ValueError(f"RetryPolicy(attempts={self.attempts!r}): expected an int >= 1")
        for name in ("initial", "maximum", "jitter"):
            _seconds(name, getattr(self, name))
        on = self.on if isinstance(self.on, tuple) else (self.on,)
        if not on:
            raise TypeError(
                "RetryPolicy needs to know what to retry: pass on=<exception class or tuple>, "
                "e.g. RetryPolicy(attempts=3, on=ConnectionError)"
            )
        for exc_type in on:
            if not _is_exception_class(exc_type):
                raise TypeError(
                    f"RetryPolicy(on=...) holds {exc_type!r}; expected exception classes"
                )
        object.__setattr__(self, "on", on)

    @property
    def retry_on(self) -> tuple[type[BaseException], ...]:
        """The exception classes retried, always as a tuple."""
        on = self.on
        return on if isinstance(on, tuple) else (on,)

    def is_transient(self, error: BaseException) -> bool:
        """Return whether ``error`` (or the op exception it wraps) is one ``on`` names."""
        on = self.retry_on
        if isinstance(error, on):
            return True
        return type(error) is OperationFailedError and isinstance(error.__cause__, on)

    def should_retry(self, error: BaseException) -> bool:
        """Return whether a first failure ``error`` gets another attempt."""
        return self.attempts > 1 and self.is_transient(error)

    def wait(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the second attempt)."""
        base = self.initial * 2.0 ** min(retry - 1, _MAX_DOUBLINGS)
        return min(self.maximum, base + random.uniform(0.0, self.jitter))

    def after_failure(self, error: BaseException, attempt: int, what: str) -> float:
        """After attempt ``attempt`` failed with ``error``: the wait before the next one.

        Must be called inside the ``except`` block that caught ``error``: a non-transient
        error is re-raised as it is, and when no attempt remains `RetryExhaustedError` is
        raised with ``__cause__`` set to the last failure.
        """
        if self.attempts == 1 or not self.is_transient(error):
            raise error  # not retried at all: the failure as it is
        if attempt >= self.attempts:
            raise self.exhausted(error, what)
        return self.wait(attempt)

    def exhausted(self, last: BaseException, what: str) -> RetryExhaustedError:
        """The error for ``what`` after every attempt failed, the last with ``last``."""
        cause = last.__cause__ if type(last) is OperationFailedError and last.__cause__ else last
        error = RetryExhaustedError(
            f"{what} failed {self.attempts} times; the last failure was "
            f"{type(cause).__name__}: {cause}",
            attempts=self.attempts,
        )
        error.__cause__ = cause
        return error
