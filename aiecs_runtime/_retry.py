"""`RetryPolicy`: which failures are transient and how long to wait between attempts."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import tenacity

from aiecs_contracts import OperationFailedError, RetryExhaustedError

__all__ = ["RetryPolicy"]


def _is_exception_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseException)


@dataclass(frozen=True, kw_only=True, slots=True)
class RetryPolicy:
    """Retry a failed call with exponential backoff and jitter, for transient errors only.

    ``attempts`` counts every call, the first included; only exceptions that are instances
    of ``retry_on`` are retried (nothing by default: say which failures are transient).
    The wait before retry ``n`` (1, 2, ...) is ``min(maximum, initial * 2**(n-1) + u)``,
    ``u`` uniform in ``[0, jitter]``.
    """

    attempts: int = 3
    retry_on: tuple[type[BaseException], ...] = field(default=())
    initial: float = 0.1
    maximum: float = 5.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"RetryPolicy(attempts={self.attempts!r}): expected an int >= 1")
        if self.initial < 0 or self.maximum < 0 or self.jitter < 0:
            raise ValueError(
                f"RetryPolicy(initial={self.initial!r}, maximum={self.maximum!r}, "
                f"jitter={self.jitter!r}): expected non-negative seconds"
            )
        for exc_type in self.retry_on:
            if not _is_exception_class(exc_type):
                raise TypeError(
                    f"RetryPolicy(retry_on=...) holds {exc_type!r}; expected exception classes"
                )

    def _wait(self) -> tenacity.wait.wait_base:
        # Tenacity numbers its attempts from our second call, after `_first_wait` already
        # waited `initial`; doubling its base keeps the waits initial, 2x, 4x, ...
        base = self.initial * 2
        try:  # tenacity >= 9.1 calls the first wait "multiplier"; older ones "initial"
            return tenacity.wait_exponential_jitter(
                multiplier=base, max=self.maximum, jitter=self.jitter
            )
        except TypeError:  # pragma: no cover - older tenacity
            return tenacity.wait_exponential_jitter(
                initial=base, max=self.maximum, jitter=self.jitter
            )

    def _first_wait(self) -> float:
        # Like tenacity's waits: never longer than ``maximum``, jitter included.
        return min(self.maximum, random.uniform(self.initial, self.initial + self.jitter))

    def should_retry(self, error: BaseException) -> bool:
        """Return whether ``error`` is transient under this policy and attempts remain."""
        return self.attempts > 1 and self.is_transient(error)

    def is_transient(self, error: BaseException) -> bool:
        """Return whether ``error`` (or the op exception it wraps) is in ``retry_on``."""
        if isinstance(error, self.retry_on):
            return True
        return type(error) is OperationFailedError and isinstance(error.__cause__, self.retry_on)

    def _exhausted(self, last: BaseException, what: str) -> RetryExhaustedError:
        cause = last.__cause__ if type(last) is OperationFailedError and last.__cause__ else last
        error = RetryExhaustedError(
            f"{what} failed {self.attempts} times; the last failure was "
            f"{type(cause).__name__}: {cause}",
            attempts=self.attempts,
        )
        error.__cause__ = cause
        return error

    def retry_after_sync(
        self, first_error: BaseException, call: Callable[[], Any], what: str
    ) -> Any:
        """Blocking twin of `retry_after`, for ``execute`` on a plain ``def`` op."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts - 1),
            wait=self._wait(),
            retry=tenacity.retry_if_exception(self.is_transient),
            reraise=True,
        )
        if self.initial:
            time.sleep(self._first_wait())
        try:
            for attempt in retrying:
                with attempt:
                    return call()
        except Exception as error:
            if not self.is_transient(error):
                raise
            raise self._exhausted(error, what) from error.__cause__ or error
        raise self._exhausted(first_error, what)  # pragma: no cover

    async def retry_after(
        self, first_error: BaseException, call: Callable[[], Awaitable[Any]], what: str
    ) -> Any:
        """Run the remaining attempts of ``call`` after ``first_error`` (the first attempt).

        Raises `RetryExhaustedError` (``__cause__`` = the last failure) when every attempt
        failed with a transient error; a non-transient error is raised as it is.
        """
        # The first attempt ran outside tenacity so the success path costs nothing.
        retrying = tenacity.AsyncRetrying(
            stop=tenacity.stop_after_attempt(self.attempts - 1),
            wait=self._wait(),
            retry=tenacity.retry_if_exception(self.is_transient),
            reraise=True,
        )
        if self.initial:
            await asyncio.sleep(self._first_wait())
        try:
            async for attempt in retrying:
                with attempt:
                    return await call()
        except Exception as error:
            if not self.is_transient(error):
                raise
            raise self._exhausted(error, what) from error.__cause__ or error
        raise self._exhausted(first_error, what)  # pragma: no cover
