"""Flawed cache: the key is ``f"{op}:{user}:{task}:{args}:{kwargs}"``.

The mistakes, all from formatting instead of encoding:

- no escaping, so field boundaries shift (``user="a:b", task="c"`` equals
  ``user="a", task="b:c"``) and ``str()`` forms collide across types -> ``cache.key.distinct``;
- the dict's ``repr`` follows insertion order and a set's follows its iteration order, so
  the same kwargs built in another order give another key -> ``cache.key.deterministic``;
- a set of strings iterates in hash order, which changes with ``PYTHONHASHSEED``
  -> ``cache.key.stable_across_processes``;
- formatting an int past 4,300 digits raises ``ValueError`` -> ``cache.key.total``.
"""

from __future__ import annotations

from typing import Any, Dict

from conformance.targets.correct_cache import LruCache

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "cache.key.distinct",
        "cache.key.deterministic",
        "cache.key.stable_across_processes",
        "cache.key.total",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class FormattedKeyCache(LruCache):
    """An LRU cache whose keys are human-readable, and ambiguous."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return a readable key made by formatting every field."""
        return f"{operation_type}:{user_id}:{task_id}:{args}:{kwargs}"  # BUG: not an encoding


def factory() -> FormattedKeyCache:
    """Return a fresh, empty cache."""
    return FormattedKeyCache(max_size=64)
