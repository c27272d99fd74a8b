"""Flawed cache: dataclasses and models enter the key as ``dataclasses.asdict`` / ``model_dump``.

Turning objects into plain dicts made ``json.dumps`` happy, but the class is lost: a
dataclass, its twin class with the same fields and the equal ``dict`` share a key, and
so do two pydantic models with equal fields. ``cache.key.distinct`` catches it (its
confusable pairs and the look-alike neighbours of generated inputs).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from pydantic import BaseModel

from conformance.targets.correct_cache import LruCache, canonical

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"cache.key.distinct"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _plain(value.model_dump())  # BUG: the model's class is dropped
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))  # BUG: and the dataclass's
    if isinstance(value, dict):
        mapping: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return {k: _plain(v) for k, v in mapping.items()}
    if isinstance(value, (list, tuple)) and not hasattr(type(value), "_fields"):  # pyright: ignore[reportUnknownArgumentType]
        items: list[Any] = list(value)  # pyright: ignore[reportUnknownArgumentType]
        return [_plain(v) for v in items]
    return value  # pyright: ignore[reportUnknownVariableType]


class PlainCache(LruCache):
    """An LRU cache that flattens objects to dicts before keying."""

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Return the SHA-256 of the JSON of the flattened call."""
        body = canonical([_plain(list(args)), _plain(kwargs)])
        text = json.dumps([operation_type, user_id, task_id, body], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def factory() -> PlainCache:
    """Return a fresh, empty cache."""
    return PlainCache(max_size=64)
