"""Flawed cache: long strings enter the key as their first 200 characters.

"Keys must stay short", so every string was cut to ``text[:200]`` before hashing: two
prompts that share a 1,000-character preamble and differ after it share a key, and the
second caller gets the first caller's answer. ``cache.key.distinct`` catches it (strings
that differ only after their first 1,000 characters, and its one-leaf variation of long
strings).
"""

from __future__ import annotations

import hashlib
from typing import Any

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.distinct"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_LIMIT = 200


def _shorten(value: Any) -> Any:
    if isinstance(value, str):
        return value[:_LIMIT]  # BUG: the rest of the text no longer matters
    if isinstance(value, dict):
        mapping: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {k: _shorten(v) for k, v in mapping.items()}
    if type(value) in (list, tuple):
        items: list[Any] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        return type(value)(_shorten(v) for v in items)  # pyright: ignore[reportUnknownArgumentType]
    return value


class ShortKeyCache(LruCache):
    """An LRU cache that hashes only the head of each string."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return a digest of the call, strings shortened."""
        doc = canonical([operation_type, user_id, _shorten(task_id), _shorten(args),
                         _shorten(kwargs)])  # fmt: skip
        return hashlib.blake2b(
            repr(doc).encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()


def factory() -> ShortKeyCache:
    """Return a fresh, empty cache."""
    return ShortKeyCache(max_size=64)
