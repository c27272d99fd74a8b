"""Cache providers both checkers must reject (one defect each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


class _Base:
    def get_from_cache(self, cache_key: str) -> Any | None:
        return None

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        return None


class SwappedIds(_Base):
    def generate_cache_key(
        self, operation_type: str, task_id: str, user_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> str:
        return ""


class ListArgs(_Base):
    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: list[Any], kwargs: dict[str, Any]
    ) -> str:
        return ""


class IntKey(_Base):
    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> int:
        return 0


class NoAdd:
    def generate_cache_key(
        self, operation_type: str, user_id: str, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> str:
        return ""

    def get_from_cache(self, cache_key: str) -> Any | None:
        return None


if TYPE_CHECKING:
    from aiecs_contracts import ICacheProvider

    _a: type[ICacheProvider] = SwappedIds  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _b: type[ICacheProvider] = ListArgs  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _c: type[ICacheProvider] = IntKey  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _d: type[ICacheProvider] = NoAdd  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
