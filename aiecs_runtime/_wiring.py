"""The pipeline's cache and observer steps: keys, reads and writes that never fail a call.

A tool's cache identity is its ``cache_identity`` string if it has one, else a token per
live object (two tools never share entries, even if one dies and another gets its
``id()``); tools that cannot be weakly referenced are never cached.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from typing import Any, cast

from aiecs_contracts import ExecutionError, ICacheProvider

from ._monitoring import ExecutionEvent, ExecutionObserver, notify_failure, notify_start
from ._scope import current

__all__ = ["Identities", "cache_get", "cache_hit", "cache_key", "cache_put", "event", "refused"]

_log = logging.getLogger("aiecs_runtime.executor")
_serial = itertools.count(1)

Identities = weakref.WeakKeyDictionary[Any, str]


def _identity(identities: Identities, tool: Any) -> str:
    explicit = getattr(tool, "cache_identity", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    try:
        found = identities.get(tool)
    except TypeError:  # not weak-referenceable or unhashable: never cache it
        return ""
    if found is None:
        cls: type[Any] = type(tool)  # pyright: ignore[reportUnknownVariableType]
        found = f"{cls.__module__}.{cls.__qualname__}#{next(_serial)}"
        try:
            identities[tool] = found
        except TypeError:
            return ""
    return found


def cache_key(
    cache: ICacheProvider, identities: Identities, tool: Any, name: str, params: dict[str, Any]
) -> str | None:
    """The key of this call in ``cache``, or None when it is not to be cached."""
    identity = _identity(identities, tool)
    if not identity:
        return None
    user_id, task_id = current()
    try:
        return cache.generate_cache_key(f"{identity}.{name}", user_id, task_id, (), params)
    except Exception:
        _log.debug("params of %s are not cacheable; running uncached", name, exc_info=True)
        return None


def cache_get(cache: ICacheProvider, key: str) -> Any:
    """The cached value, or None; a failing cache is a miss."""
    try:
        return cache.get_from_cache(key)
    except Exception:
        _log.warning("cache read failed; treating it as a miss", exc_info=True)
        return None


def cache_put(cache: ICacheProvider, key: str, value: Any) -> None:
    """Store ``value``; a failing cache leaves the result uncached."""
    try:
        cache.add_to_cache(key, value)
    except Exception:
        _log.warning("cache write failed; the result is returned uncached", exc_info=True)


def event(
    tool: Any,
    name: object,
    params: dict[str, Any],
    *,
    refused: bool = False,
    cache_hit: bool | None = None,
) -> ExecutionEvent:
    """What observers are told about one call."""
    user_id, task_id = current()
    tool_name = getattr(tool, "name", None)
    if type(tool_name) is not str:
        tool_name = type(tool).__name__
    # A refused call may carry any object as its op name; never run its methods.
    op = name if type(name) is str else f"<{type(name).__name__}>"
    return ExecutionEvent(
        tool_name, op, params, user_id, task_id, refused=refused, cache_hit=cache_hit
    )


def cache_hit(
    observers: tuple[ExecutionObserver, ...], tool: Any, name: str, params: dict[str, Any]
) -> None:
    """Tell the observers that have ``on_cache_hit`` about a call the cache served."""
    for observer in observers:
        hook = getattr(observer, "on_cache_hit", None)
        if hook is None:
            continue
        try:
            hook(event(tool, name, params, cache_hit=True))
        except Exception:
            _log.exception("observer %r failed in on_cache_hit", observer)


def refused(
    observers: tuple[ExecutionObserver, ...],
    tool: Any,
    name: object,
    params: Any,
    error: ExecutionError,
) -> None:
    """Tell observers about a call refused before its op ran: still a failed call."""
    given: dict[str, Any] = cast("dict[str, Any]", params) if isinstance(params, dict) else {}
    happened = event(tool, name, given, refused=True)
    notify_start(observers, happened)
    notify_failure(observers, happened, 0.0, error)
