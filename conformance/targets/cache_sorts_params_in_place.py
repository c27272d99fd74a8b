"""Flawed cache: ``generate_cache_key`` sorts the caller's lists in place to ignore order.

The author wanted ``tags=["b", "a"]`` and ``tags=["a", "b"]`` to share a key and "saved a
copy" by calling ``.sort()`` on the lists inside ``kwargs``: the caller's params come
back reordered, and the tool then runs with arguments nobody passed. Caught by
``cache.inputs.unchanged`` (rule 1: a deep copy taken before the call must still equal
what the caller holds afterwards). Ignoring list order is itself wrong: ``[1, 2]`` and
``[2, 1]`` are unequal params, and ``cache.key.distinct`` finds two that share a key.
Its pickled key also changes with the hash seed for some inputs
(``cache.key.stable_across_processes``).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from typing import Any

from conformance.targets.correct_cache import canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "cache.inputs.unchanged",
        "cache.key.distinct",
        # one generated input, rebuilt from the same source in an interpreter with another
        # PYTHONHASHSEED (and not changed by the call), gets another key: a side defect
        "cache.key.stable_across_processes",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _order_free(value: Any) -> Any:
    if isinstance(value, list):
        items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        for item in items:
            _order_free(item)
        items.sort(key=lambda v: str(canonical(v)))  # BUG: sorts the caller's own list
    elif isinstance(value, dict):
        mapping: dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        for item in mapping.values():
            _order_free(item)
    return value  # pyright: ignore[reportUnknownVariableType]


class SortingCache:
    """A dict cache whose keys ignore the order of list items."""

    def __init__(self) -> None:
        self._store: dict[str, Any] = {}
        self._guard = threading.Lock()

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Key the call on its canonical form, list order ignored."""
        normal = [canonical(_order_free(a)) for a in args], canonical(_order_free(kwargs))
        blob = pickle.dumps((operation_type, user_id, task_id, repr(normal)))
        return hashlib.md5(blob).hexdigest()

    def get_from_cache(self, cache_key: str) -> Any:
        """Return the stored value or ``None``."""
        with self._guard:
            return self._store.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value``."""
        with self._guard:
            self._store[cache_key] = value


def factory() -> SortingCache:
    """Return a fresh, empty cache."""
    return SortingCache()
