"""A duck-typed, thread-safe, bounded cache whose keys survive the conformance kit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast
from uuid import UUID


def _canon(value: Any) -> Any:
    """Encode a value as JSON-able data that records its type, order-independently."""
    # Type tags keep 1, 1.0, True and "1" apart; sorting makes dict and set order moot.
    # Classes by module and qualified name: two `Point`s from two modules never share keys.
    tag = f"{type(value).__module__}.{type(value).__qualname__}"
    if type(value) is int:  # hex: str() and JSON refuse ints past 4,300 digits
        return ["int", hex(value)]
    if value is None or type(value) in (bool, str):
        return [type(value).__name__, value]
    if isinstance(value, enum.Enum):
        return ["enum", tag, value.name]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, (bytes, bytearray)):
        return [type(value).__name__, value.hex()]
    if isinstance(value, (Decimal, UUID, dt.datetime, dt.date, dt.time)):
        return [type(value).__name__, str(value)]
    if isinstance(value, (list, tuple)):
        items = cast("Iterable[Any]", value)
        return [tag, [_canon(v) for v in items]]
    if isinstance(value, (set, frozenset)):
        members = cast("Iterable[Any]", value)
        return [tag, sorted(_dump(_canon(v)) for v in members)]
    if isinstance(value, dict):
        mapping = cast("Mapping[Any, Any]", value)
        return ["dict", sorted([_dump(_canon(k)), _canon(v)] for k, v in mapping.items())]
    if hasattr(value, "model_dump"):  # a pydantic model
        return ["model", tag, _canon(dict(value))]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return ["dataclass", tag, _canon(fields)]
    return [tag, repr(value)]


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


class DictCache:
    """An LRU cache of at most ``max_size`` entries; no base class, no import of ours."""

    def __init__(self, max_size: int = 1024) -> None:
        self.max_size = max_size
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        payload = _dump(_canon([operation_type, user_id, task_id, args, kwargs]))
        return hashlib.sha256(payload.encode("ascii")).hexdigest()

    def get_from_cache(self, cache_key: str) -> Any | None:
        with self._lock:
            if cache_key not in self._data:
                return None
            self._data.move_to_end(cache_key)
            return self._data[cache_key]

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        with self._lock:
            self._data[cache_key] = value
            self._data.move_to_end(cache_key)
            while len(self._data) > self.max_size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


if __name__ == "__main__":
    cache = DictCache(max_size=2)
    key = cache.generate_cache_key("search.run", "alice", "t1", (), {"q": {"b", "a"}})
    cache.add_to_cache(key, ["result"])
    print(cache.get_from_cache(key))
    print(key == cache.generate_cache_key("search.run", "alice", "t1", (), {"q": {"a", "b"}}))
    print(key == cache.generate_cache_key("search.run", "bob", "t1", (), {"q": {"a", "b"}}))
