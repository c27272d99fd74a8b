"""The seed's example CacheProviderImpl (annotated, otherwise unchanged), and what breaks."""

import hashlib
import json
from decimal import Decimal
from typing import Any, Dict, Optional  # the seed spelling

from aiecs_contracts import ICacheProvider, conforms


class CacheProviderImpl:  # was: class CacheProviderImpl(ICacheProvider) over the ABC
    def __init__(self, cache_size: int = 1000):
        self._cache: Dict[str, Any] = {}
        self._cache_size = cache_size

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...],
        kwargs: Dict[str, Any],
    ) -> str:  # fmt: skip
        key_data = {
            "operation_type": operation_type,
            "user_id": user_id,
            "task_id": task_id,
            "args": args,
            "kwargs": kwargs,
        }
        key_str = json.dumps(key_data, sort_keys=True)
        return hashlib.md5(key_str.encode()).hexdigest()

    def get_from_cache(self, cache_key: str) -> Optional[Any]:  # noqa: UP045
        return self._cache.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        if len(self._cache) >= self._cache_size:
            oldest_key = next(iter(self._cache))  # oldest insertion, not least recently used
            del self._cache[oldest_key]
        self._cache[cache_key] = value


cache = CacheProviderImpl()
print(conforms(cache, ICacheProvider))  # the shape is right: it still fits, unchanged
for value in [Decimal("9.99"), {"a", "b"}, b"raw"]:  # all in the params value domain
    try:
        cache.generate_cache_key("shop.price", "alice", "t1", (), {"x": value})
    except TypeError as exc:  # cache.key.total fails
        print(f"{type(value).__name__}: {exc}")
