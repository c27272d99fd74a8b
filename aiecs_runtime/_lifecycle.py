"""`AsyncResource`: the one ``async with`` of the runtime's engines and executors.

Entering runs ``_enter`` (nothing by default) and gives the object itself; leaving runs
``aclose``, the same release a caller without ``async with`` calls, and never swallows
the body's exception. A class states only what opening and closing mean for it.
"""

from __future__ import annotations

from typing import Self

__all__ = ["AsyncResource"]


class AsyncResource:
    """``async with resource:`` is ``await resource._enter()`` ... ``await resource.aclose()``."""

    __slots__ = ()

    async def _enter(self) -> None:
        """What entering the context does before the body runs (nothing by default)."""

    async def aclose(self) -> None:
        """Release what the object holds; leaving the context calls it."""
        raise NotImplementedError(f"{type(self).__name__} must define aclose()")

    async def __aenter__(self) -> Self:
        await self._enter()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()  # returns None: the body's exception, if any, propagates
