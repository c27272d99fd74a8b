"""A duck-typed cache, checked statically and at run time."""

from typing import Any

from aiecs_contracts import ICacheProvider, conforms, explain


class TinyCache:  # no base class: the contract is structural
    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str,
        args: tuple[Any, ...], kwargs: dict[str, Any],
    ) -> str:  # fmt: skip
        return repr((operation_type, user_id, task_id, args, kwargs))

    def get_from_cache(self, cache_key: str) -> Any | None:
        return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        self._data[cache_key] = value


cache: ICacheProvider = TinyCache()  # 1. mypy and pyright accept it
if __name__ == "__main__":
    print(conforms(cache, ICacheProvider))  # 2. so does the strict run-time check
    print(explain(TinyCache, ICacheProvider))  # every mismatch, as data: none here
