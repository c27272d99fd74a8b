"""A correct cache provider: canonical, type-tagged keys and a thread-safe bounded LRU.

Keys are the SHA-256 of a canonical JSON encoding in which every value carries its type,
dicts are sorted by key and sets by their members' encodings, so equal-looking values of
different types never collide, insertion order never matters, and nothing depends on
``PYTHONHASHSEED``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any, Dict, cast

from pydantic import BaseModel

CONTRACT = "cache-provider"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_MISSING = object()


def _qualname(value: object) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def canonical(value: object) -> Any:
    """Encode ``value`` as JSON-ready data that tags every value with its type."""
    # Order matters: Enum before int/str (IntEnum, StrEnum), bool before int, datetime
    # before date (datetime is a date subclass).
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return ["enum", _qualname(value), value.name, canonical(value.value)]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", hex(value)]  # str() refuses ints past 4,300 digits; hex() does not
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, bytes | bytearray):
        return [type(value).__name__, bytes(value).hex()]
    if isinstance(value, Decimal):
        return ["decimal", str(value)]
    if isinstance(value, uuid.UUID):
        return ["uuid", str(value)]
    if isinstance(value, dt.datetime):
        return ["datetime", value.isoformat(), value.fold, value.tzname()]
    if isinstance(value, dt.date):
        return ["date", value.isoformat()]
    if isinstance(value, dt.time):
        return ["time", value.isoformat(), value.fold, value.tzname()]
    if isinstance(value, dict):
        mapping = cast("Mapping[object, object]", value)
        items: list[list[Any]] = [[canonical(k), canonical(v)] for k, v in mapping.items()]
        items.sort(key=_dumps)
        return ["dict", items]
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):  # a named tuple  # pyright: ignore[reportUnknownArgumentType]
        named = cast("Sequence[object]", value)
        return ["namedtuple", _qualname(value), [canonical(v) for v in named]]  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, list | tuple):
        sequence = cast("Sequence[object]", value)
        return [type(sequence).__name__, [canonical(v) for v in sequence]]
    if isinstance(value, set | frozenset):
        group = cast("AbstractSet[object]", value)
        members = [canonical(v) for v in group]
        members.sort(key=_dumps)
        return [type(group).__name__, members]
    if isinstance(value, BaseModel):
        fields = {name: canonical(getattr(value, name)) for name in type(value).model_fields}
        return ["model", _qualname(value), fields]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return ["dataclass", _qualname(value), fields]
    # Outside the documented value domain: the repr is the best stable description.
    return ["repr", _qualname(value), repr(value)]


def _dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


class LruCache:
    """A bounded, thread-safe LRU cache of operation results."""

    def __init__(self, max_size: int = 1024) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be a positive int, got {max_size!r}")
        self.max_size = max_size
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:
        """Return the SHA-256 hex digest of the call's canonical encoding."""
        payload = _dumps(
            [operation_type, user_id, task_id, canonical(tuple(args)), canonical(dict(kwargs))]
        )
        return "aiecs:" + hashlib.sha256(payload.encode("ascii")).hexdigest()

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the value stored under ``cache_key``, or ``None`` on a miss."""
        with self._lock:
            value = self._data.get(cache_key, _MISSING)
            if value is _MISSING:
                return None
            self._data.move_to_end(cache_key)
            return value

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store ``value`` under ``cache_key``, evicting the least recently used entry."""
        with self._lock:
            self._data[cache_key] = value
            self._data.move_to_end(cache_key)
            while len(self._data) > self.max_size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


def factory() -> LruCache:
    """Return a fresh, empty cache with a small bound, so eviction is exercised."""
    return LruCache(max_size=64)
