"""Flawed cache: string params are lower-cased so "Paris" and "paris" hit one entry.

A friendly search-box normalisation applied in the wrong layer: the cache key of every
string (in args and kwargs, nested included) goes through ``.lower()``, so two calls
whose arguments differ only in case share a key, and ``"ǅ"``-style title-case letters
merge with their lower-case forms. ``cache.key.distinct`` catches it (case variants among
its confusable pairs and one-leaf variations).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.distinct"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _fold(value: Any) -> Any:
    if type(value) is str:
        return value.lower()  # BUG: case is part of the value
    if isinstance(value, dict):
        mapping: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {k: _fold(v) for k, v in mapping.items()}
    if type(value) in (list, tuple):
        items: list[Any] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        return [_fold(v) for v in items]
    return value


class FoldingCache(LruCache):
    """An LRU cache whose keys ignore the case of strings."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the SHA-256 of the call's canonical JSON, strings lower-cased."""
        doc = [operation_type, user_id, task_id, canonical(_fold(list(args))),
               canonical(_fold(kwargs))]  # fmt: skip
        return hashlib.sha256(json.dumps(doc, ensure_ascii=True).encode()).hexdigest()


def factory() -> FoldingCache:
    """Return a fresh, empty cache."""
    return FoldingCache(max_size=64)
