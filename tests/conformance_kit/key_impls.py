"""Caches correct but for one merge or order dependence in their keys (for the kit's tests)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import threading
from typing import Any

from conformance.targets.correct_cache import canonical


class _Store:
    def __init__(self) -> None:
        self._data: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get_from_cache(self, cache_key: str) -> Any:
        with self._lock:
            return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        with self._lock:
            self._data[cache_key] = value


class MergingCache(_Store):
    """Canonical keys, except that ``merge`` maps some unequal leaves to one form."""

    def merge(self, value: Any) -> Any:
        return value

    def _walk(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._walk(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
        if type(value) in (list, tuple):
            return [self._walk(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
        return self.merge(value)

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: Any, kwargs: Any
    ) -> str:
        doc = canonical([operation_type, user_id, task_id, self._walk(list(args)),
                         self._walk(dict(kwargs))])  # fmt: skip
        return hashlib.sha256(repr(doc).encode("utf-8", "surrogatepass")).hexdigest()


class IntParityCache(MergingCache):
    """Ints merge with the int one above them when even (``2`` and ``3`` share a key)."""

    def merge(self, value: Any) -> Any:
        if type(value) is int:
            return value | 1
        return value


class DecimalPlacesCache(MergingCache):
    """Finite Decimals are rounded to two places (``1.001`` and ``1.002`` share a key)."""

    def merge(self, value: Any) -> Any:
        if isinstance(value, decimal.Decimal) and value.is_finite():
            return value.quantize(decimal.Decimal("0.01"), context=decimal.Context(prec=10_000))
        return value


class AwareTimeMinutesCache(MergingCache):
    """Aware times keep only hour and minute (seconds and microseconds merge)."""

    def merge(self, value: Any) -> Any:
        if isinstance(value, dt.time) and value.tzinfo is not None:
            return ("time", value.hour, value.minute, str(value.utcoffset()))
        return value


class ReprKeyCache(_Store):
    """Keys are the repr of the call: sets and dicts follow their iteration order."""

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: Any, kwargs: Any
    ) -> str:
        text = repr((operation_type, user_id, task_id, args, sorted(kwargs.items())))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class IterationOrderCache(MergingCache):
    """Canonical keys, but sets are encoded in iteration order, not sorted."""

    def merge(self, value: Any) -> Any:
        if isinstance(value, (set, frozenset)):
            return ["set", [self._walk(v) for v in value]]  # pyright: ignore[reportUnknownVariableType]
        return value
