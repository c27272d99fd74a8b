"""The call scope: which ``(user_id, task_id)`` the current calls run for.

It is part of every cache key, so two users never share a cached result, and observers
see it in each `ExecutionEvent`. A `contextvars.ContextVar`, so it follows the caller into
``async def`` ops, into threads the executor starts, and not into unrelated tasks.
"""

from __future__ import annotations

import contextvars
from collections.abc import Generator
from contextlib import contextmanager

__all__ = ["call_scope", "current_scope"]

_scope: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "aiecs_call_scope", default=("", "")
)

current = _scope.get
"""The fast read the executor uses (same as `current_scope`, without the call layer)."""


def current_scope() -> tuple[str, str]:
    """Return the ``(user_id, task_id)`` the current calls run for (``("", "")`` if none)."""
    return _scope.get()


@contextmanager
def call_scope(user_id: str, task_id: str) -> Generator[None]:
    """Run the calls inside the block for ``user_id``/``task_id`` (part of every cache key)."""
    token = _scope.set((user_id, task_id))
    try:
        yield
    finally:
        _scope.reset(token)
