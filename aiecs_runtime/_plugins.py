"""Entry-point discovery shared by `ToolRegistry.discover` and `ExecutionEngine`.

One broken plugin must not take the others down, and must not fail silently either: each
failure is logged at WARNING naming the entry point, its group, the distribution that
declares it, and what went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points

__all__ = ["describe", "points", "report_failure"]


def points(group: str) -> Iterator[EntryPoint]:
    """Yield the entry points of ``group``, in a stable (name) order."""
    yield from sorted(entry_points(group=group), key=lambda point: (point.name, point.value))


def describe(point: EntryPoint) -> str:
    """Return ``entry point 'name' = 'value' in group 'g' (distribution 'd')``."""
    dist = point.dist.name if point.dist is not None else "unknown"
    return (
        f"entry point {point.name!r} = {point.value!r} in group {point.group!r} "
        f"(distribution {dist!r})"
    )


def report_failure(
    log: logging.Logger, point: EntryPoint, error: BaseException, *, traceback: bool
) -> None:
    """Log why a plugin was skipped, and what to do about it."""
    dist = point.dist.name if point.dist is not None else "the package declaring it"
    log.warning(
        "skipped %s: %s: %s (fix or uninstall %s; the other plugins are unaffected)",
        describe(point),
        type(error).__name__,
        error,
        dist,
        exc_info=error if traceback else None,
    )
