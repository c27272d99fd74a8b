"""Cache providers both checkers must accept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple


class DictCache:
    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> str:
        return f"{operation_type}|{user_id}|{task_id}|{args!r}|{sorted(kwargs.items())!r}"

    def get_from_cache(self, cache_key: str) -> Any | None:
        return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        self._data[cache_key] = value


class SeedSpellingCache:
    """Written with the seed's typing spellings (Optional, Dict, Tuple)."""

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]
    ) -> str:
        return ""

    def get_from_cache(self, cache_key: str) -> Optional[Any]:
        return None

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        return None


class WiderParamsCache:
    """Accepting wider parameter types than the Protocol passes is fine (contravariance)."""

    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[object, ...], kwargs: Mapping[str, object]
    ) -> str:
        return ""

    def get_from_cache(self, cache_key: str) -> object:
        return None

    def add_to_cache(self, cache_key: str, value: object) -> None:
        return None


if TYPE_CHECKING:
    from aiecs_contracts import ICacheProvider

    _a: type[ICacheProvider] = DictCache
    _b: type[ICacheProvider] = SeedSpellingCache
    _c: type[ICacheProvider] = WiderParamsCache
